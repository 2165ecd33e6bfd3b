"""Go text/template + sprig, as Argo Events parses Sensor templates.

Go text/template with the sprig functions, as Argo Events parses Sensor templates: lexer, parser,
executor, builtins, sprig and the function map, one module each (entry point: ``template``).
"""
