"""Knetic/govaluate, as Argo Events v1.9 evaluates `exprs` and trigger `conditions`.

Knetic/govaluate, as Argo Events v1.9 uses it for ``exprs`` filters and trigger ``conditions``
(lexer, dates, operators, parser, conditions: one module each).

The behaviour follows govaluate's last release line (v3.0.1-0.20171022003610-9aa49832a739,
the version argo-events pins): the lexer and its token-transition table, numbers as float64,
strings in either quote that end at *either* quote character, backslash escapes (``\\x`` is
``x``), ``[escaped name]`` variables, date-like string literals turned into Unix seconds,
constant regexes compiled at parse time, short-circuit ``&&``/``||``/``?``/``:``/``??``, left
associativity, ``==`` as ``reflect.DeepEqual`` and the runtime type checks with their messages.
No functions are registered (argo-events registers none), and accessors (``a.B``) only ever fail
because payload values are maps, not structs.

Trigger conditions go through two steps in argo-events (``pkg/sensors/listener.go``): the text
is rewritten and evaluated with expr-lang into a string (``dep-a && (dep-b || dep-c)`` becomes
``dep-a&&(dep-b||dep-c)``), then every ``-`` is escaped as ``\\-`` so govaluate reads
dependency names whole. With no ``&`` in that string the event bus fires on any single
dependency, without evaluating the expression at all.
"""
