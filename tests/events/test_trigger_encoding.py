"""`submit` refuses to place payload text where Argo would substitute it as text."""

from __future__ import annotations

import base64
import json

import pytest

from hera_pipelines.config.project import Project
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.events.filters import dependency
from hera_pipelines.events.source import body_operand, decimal
from hera_pipelines.events.triggers import Param, submit
from hera_pipelines.templates import pr_flow
from hera_pipelines.workflows.agent_env import Prefixed
from hera_pipelines.workflows.contract import REPOSITORY, FlowParam
from hera_pipelines.workflows.guard import ACTORS

_VALID = {
    REPOSITORY: Param.repository("body.repository.full_name"),
    pr_flow.PR_NUMBER: Param.number("body.pull_request.number"),
    pr_flow.HEAD_REF: Param.encoded("body.pull_request.head.ref"),
    pr_flow.HEAD_SHA: Param.sha("body.pull_request.head.sha"),
    ACTORS: Param.logins("body.pull_request.user.login", "body.sender.login"),
}


def _trigger(project: Project, parameters: dict[FlowParam, Param]) -> None:
    submit(
        project,
        project.events.routes.pull_request,
        dependency("d", "pull_request", ("opened",)),
        name="t",
        flow=pr_flow.SPEC,
        workflow_name="{{ 'x' }}",
        parameters=parameters,
    )


def test_the_encoded_parameters_are_accepted(basic_project: Project) -> None:
    _trigger(basic_project, _VALID)


@pytest.mark.parametrize(
    ("param", "value", "why"),
    [
        # payload text as a raw GJSON value: Argo would evaluate {{...}} in it
        (pr_flow.HEAD_REF, Param(data_key="body.pull_request.head.ref"), "UNTRUSTED"),
        # any Go template that does not say it encodes
        (pr_flow.HEAD_REF, Param(data_template="{{ .Input.body.x }}"), "UNTRUSTED"),
        # a static text for an UNTRUSTED parameter must be encoded too
        (pr_flow.HEAD_REF, Param.const("main"), "UNTRUSTED"),
        # a TRUSTED number taken as raw text, or with another shape
        (pr_flow.PR_NUMBER, Param(data_key="body.pull_request.number"), "TRUSTED"),
        (pr_flow.PR_NUMBER, Param.sha("body.pull_request.number"), "TRUSTED"),
        (pr_flow.HEAD_SHA, Param.encoded("body.pull_request.head.sha"), "TRUSTED"),
        (REPOSITORY, Param(data_key="body.repository.full_name"), "TRUSTED"),
        # logins (authz's `actors`) only through the validating template
        (ACTORS, Param(data_key="body.sender.login"), "TRUSTED"),
        (ACTORS, Param(data_template="{{ .Input.body.sender.login }}"), "TRUSTED"),
        (ACTORS, Param.encoded("body.sender.login"), "TRUSTED"),
    ],
)
def test_unencoded_or_unvalidated_event_values_are_refused(
    basic_project: Project, param: FlowParam, value: Param, why: str
) -> None:
    with pytest.raises(HeraPipelinesError, match=why):
        _trigger(basic_project, {**_VALID, param: value})


def test_encoded_default_is_base64_of_the_text() -> None:
    param = Param.encoded("body.x", default="{{x}}")
    assert param.default == base64.b64encode(b"{{x}}").decode()
    assert param.data_template is not None and "b64enc" in param.data_template


def test_an_untrusted_parameter_cannot_be_joined_in_an_expression() -> None:
    with pytest.raises(ValueError, match="UNTRUSTED"):
        Prefixed("agent/", pr_flow.HEAD_REF)
    with pytest.raises(ValueError, match="expression"):
        Prefixed("x')+sprig.env('HOME", pr_flow.PR_NUMBER)


def test_a_label_cannot_come_from_an_untrusted_parameter(basic_project: Project) -> None:
    from hera_pipelines.workflows.frame import flow_template

    with pytest.raises(HeraPipelinesError, match="UNTRUSTED"):
        flow_template(
            basic_project,
            pr_flow.SPEC,
            description="x",
            labels_from={"pipelines.agents.platform/pr": pr_flow.HEAD_REF},
        )


def test_logins_yield_only_logins() -> None:
    from hera_pipelines.simulate.go.template.template import compile_template

    param = Param.logins("body.a.login", "body.b.login")
    assert param.data_template is not None
    template = compile_template(param.data_template)

    def run(a: str, b: str) -> str:
        out: str = template.render({"Input": {"body": {"a": {"login": a}, "b": {"login": b}}}})
        return out

    assert run("octocat", "dependabot[bot]") == "octocat dependabot[bot]"
    assert run("{{x}} $(id)", "octocat") == "octocat"
    assert run("octocat", "-x\nevil") == "octocat"
    assert run("a b", "") == ""


def test_body_operand_reads_any_key_and_list_indexes() -> None:
    from hera_pipelines.simulate.go.template.template import compile_template

    body = {"X-GitHub-Delivery": "d-1", "pull_requests": [{"number": 7}]}
    for path, expected in (("body.X-GitHub-Delivery", "d-1"), ("body.pull_requests.0.number", "7")):
        template = compile_template(f"{{{{ toString {body_operand(path)} }}}}")
        assert template.render({"Input": {"body": body}}) == expected


@pytest.mark.parametrize(
    ("param", "good", "bad"),
    [
        (Param.sha("body.v"), "0123456789abcdef0123456789abcdef01234567", "0123abc; rm -rf"),
        (Param.repository("body.v"), "octo-org/hello.world", "octo/../x {{y}}"),
    ],
)
def test_validated_parameters_yield_only_a_match(param: Param, good: str, bad: str) -> None:
    from hera_pipelines.simulate.go.template.template import compile_template

    assert param.data_template is not None
    template = compile_template(param.data_template)
    assert template.render({"Input": {"body": {"v": good}}}) == good
    assert template.render({"Input": {"body": {"v": bad}}}) == ""


def test_decimal_prints_a_large_json_number_as_digits() -> None:
    from hera_pipelines.simulate.go.template.template import compile_template

    body = json.loads('{"n": 1000000000}', parse_int=float)  # Go decodes every number as float64
    for template in (f"{{{{ {decimal('body.n')} }}}}", Param.number("body.n").data_template or ""):
        assert compile_template(template).render({"Input": {"body": body}}) == "1000000000"
