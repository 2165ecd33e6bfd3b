"""A small, honest model of Argo Workflows' parameter substitution (a test helper).

It mirrors argo-workflows `workflow/common/util.go` `ProcessArgs` / `SubstituteParams` and
`util/template` (`template.go` `Replace`, `expression_template.go`): the controller copies each
argument value into the callee template's `inputs.parameters[].value`, serialises the whole
template to JSON, replaces `{{...}}` tags (fasttemplate: from `{{` to the next `}}`) first with
the global values (`workflow.parameters.X`, `workflow.name`, ...) and then, over the result, with
the inputs (`inputs.parameters.X`). A value inserted by one pass is text the next pass scans, and
an input value is scanned by both: that is how a `{{=...}}` inside a parameter value gets
evaluated (argoproj/argo-workflows#7828). DAG task arguments are substituted the same way in the
DAG's scope before they become the callee's arguments.

The model evaluates nothing. A simple tag is replaced by its value; an expression tag
(`{{=...}}`) whose variables are all known is replaced by an opaque token when its result is
typed or encoded (`sprig.b64enc(...)`, `asInt(...)`, `... == 'true'`), and otherwise by the raw
values of every parameter it reads (pessimistic: a value inside any other expression counts as
carried as text). It records every place where a value would bring a new `{{` into text Argo
then substitutes: that is a finding, whatever the value holds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["OPAQUE", "Leaf", "Run", "run_workflow", "tags", "use_library"]

OPAQUE = "\u00abexpr\u00bb"  # an evaluated, typed expression's result (never holds braces)
_OUTPUT = "\u00aboutput\u00bb"  # a step's output: not this model's concern
_VAR = re.compile(
    r"\b(workflow\.parameters|inputs\.parameters)"
    r"(?:\.([A-Za-z0-9_-]+)|\[\s*['\"]([A-Za-z0-9_.-]+)['\"]\s*\])"
)
_TYPED = re.compile(r"^(sprig\.b64enc\(|asInt\()|== 'true'$")


def tags(text: str) -> list[str]:
    """fasttemplate's tags of `text`: each `{{` up to the next `}}` (an unclosed one too)."""
    out, pos = [], 0
    while (start := text.find("{{", pos)) >= 0:
        end = text.find("}}", start + 2)
        if end < 0:
            out.append(text[start + 2 :])
            break
        out.append(text[start + 2 : end])
        pos = end + 2
    return out


def _references(expression: str) -> list[str]:
    return [f"{m.group(1)}.{m.group(2) or m.group(3)}" for m in _VAR.finditer(expression)]


@dataclass
class Run:
    """What the model saw: findings, and every template after substitution."""

    findings: list[str] = field(default_factory=list)
    leaves: list[Leaf] = field(default_factory=list)


@dataclass(frozen=True)
class Leaf:
    """One template as the controller would hand it to the executor (after substitution)."""

    path: str
    template: dict[str, Any]


def _replace(text: str, values: dict[str, str], where: str, run: Run) -> str:
    """One `Replace` pass over JSON text; unknown tags are written back (allowUnresolved)."""
    out: list[str] = []
    pos = 0
    kept = 0
    while (start := text.find("{{", pos)) >= 0:
        end = text.find("}}", start + 2)
        if end < 0:
            break
        out.append(text[pos:start])
        tag = text[start + 2 : end]
        pos = end + 2
        inserted: str | None = None
        if tag.startswith("="):
            expression = json.loads(f'"{tag[1:]}"') if "\\" in tag else tag[1:]
            refs = _references(expression)
            if refs and all(r in values for r in refs):
                if _TYPED.search(expression.strip()):
                    inserted = OPAQUE
                else:
                    inserted = "".join(values[r] for r in refs)
        elif tag.strip() in values:
            inserted = values[tag.strip()]
        if inserted is None:
            out.append("{{" + tag + "}}")
            kept += 1
            continue
        if "{{" in inserted or "}}" in inserted:
            run.findings.append(f"{where}: {{{{{tag}}}}} inserts text holding braces")
        out.append(json.dumps(inserted, ensure_ascii=False)[1:-1])
    out.append(text[pos:])
    result = "".join(out)
    if len(tags(result)) != kept:
        run.findings.append(f"{where}: substitution created {len(tags(result)) - kept} new tags")
    return result


def _substitute(
    template: dict[str, Any], globals_: dict[str, str], where: str, run: Run
) -> dict[str, Any]:
    """`SubstituteParams`: globals first, then inputs, over the template's JSON."""
    text = _replace(json.dumps(template, ensure_ascii=False), globals_, f"{where} (globals)", run)
    after: dict[str, Any] = json.loads(text)
    inputs = {
        f"inputs.parameters.{p['name']}": str(p.get("value", ""))
        for p in after.get("inputs", {}).get("parameters", [])
    }
    text = _replace(text, inputs, f"{where} (inputs)", run)
    result: dict[str, Any] = json.loads(text)
    return result


def _process_args(
    template: dict[str, Any],
    arguments: dict[str, str],
    globals_: dict[str, str],
    where: str,
    run: Run,
) -> dict[str, Any]:
    """`ProcessArgs`: argument (else default) values into the inputs, then substitute."""
    template = json.loads(json.dumps(template))
    for param in template.get("inputs", {}).get("parameters", []):
        if param["name"] in arguments:
            param["value"] = arguments[param["name"]]
        elif "value" not in param and "default" in param:
            param["value"] = param["default"]
    return _substitute(template, globals_, where, run)


def _templates(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in obj["spec"]["templates"]}


def run_workflow(
    workflow: dict[str, Any], library: dict[str, dict[str, Any]], name: str = "wf-abc"
) -> Run:
    """Substitute a Workflow created from a WorkflowTemplate, through every DAG task.

    `library` maps WorkflowTemplate names to the rendered objects (for `workflowTemplateRef`
    and `templateRef`). Returns the findings and the substituted templates.
    """
    run = Run()
    use_library(library)
    owner = library[workflow["spec"]["workflowTemplateRef"]["name"]]
    given = {p["name"]: p.get("value") for p in workflow["spec"]["arguments"]["parameters"]}
    globals_ = {"workflow.name": name, "workflow.namespace": "ns", "workflow.uid": "uid"}
    for param in owner["spec"].get("arguments", {}).get("parameters", []):
        value = given.get(param["name"])
        value = param.get("value", "") if value is None else value
        # the controller substitutes globals into the Workflow's spec, its arguments included
        if tags(str(value)):
            run.findings.append(f"workflow argument {param['name']} holds a tag")
        globals_[f"workflow.parameters.{param['name']}"] = str(value)
    globals_["workflow.status"] = "Succeeded"
    entry = owner["spec"]["entrypoint"]
    _call(owner, entry, {}, globals_, entry, run)
    if "onExit" in owner["spec"]:
        _call(owner, owner["spec"]["onExit"], {}, globals_, "onExit", run)
    return run


def _call(
    owner: dict[str, Any],
    template_name: str,
    arguments: dict[str, str],
    globals_: dict[str, str],
    where: str,
    run: Run,
) -> None:
    template = _process_args(_templates(owner)[template_name], arguments, globals_, where, run)
    run.leaves.append(Leaf(where, template))
    # a DAG's tasks, or a steps template's steps (a list of parallel groups): both call
    # templates with arguments the same way
    if template.get("dag"):
        calls = template["dag"]["tasks"]
    elif template.get("steps"):
        calls = [step for group in template["steps"] for step in group]
    else:
        return
    scope = dict(globals_)
    scope.update(
        {
            f"inputs.parameters.{p['name']}": str(p.get("value", ""))
            for p in template.get("inputs", {}).get("parameters", [])
        }
    )
    for task in calls:
        args_text = json.dumps(task.get("arguments", {}), ensure_ascii=False)
        args_text = re.sub(r"\{\{tasks\.[^}]*\}\}", _OUTPUT, args_text)
        args = json.loads(_replace(args_text, scope, f"{where}/{task['name']} arguments", run))
        values = {p["name"]: str(p.get("value", "")) for p in args.get("parameters", [])}
        target, callee = owner, task.get("template")
        if "templateRef" in task:
            target = _LIBRARY[task["templateRef"]["name"]]
            callee = task["templateRef"]["template"]
        assert callee is not None
        _call(target, callee, values, globals_, f"{where}/{task['name']}", run)


_LIBRARY: dict[str, dict[str, Any]] = {}


def use_library(library: dict[str, dict[str, Any]]) -> None:
    """Set the WorkflowTemplates `templateRef` resolves to (the rendered set)."""
    _LIBRARY.clear()
    _LIBRARY.update(library)
