"""The one way a route becomes a Sensor: `RouteBuilder` over arms made by `submit`/`resume`.

Every route module supplies only its arms; these tests pin what the shared pieces promise them:
the Sensor exists only while the route is enabled, dependencies and triggers keep the arms'
order and pair up by name, every dependency starts with its event and action filters, and a
route's trusted associations fall back to the events' ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from hera_pipelines.config.events import Association
from hera_pipelines.config.project import Project
from hera_pipelines.events.filters import (
    dependency,
    exact,
    repository_pinned,
    trusted_associations,
)
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, Param, resume, submit
from hera_pipelines.templates import play

_ROUTE = Route("play", ("issue_comment",))


def _arms(project: Project) -> Iterator[Arm]:
    route = project.events.routes.play
    for name in ("first", "second"):
        yield submit(
            project,
            route,
            dependency(name, "issue_comment", ("created", "edited"), [repository_pinned(project)]),
            flow=play.SPEC,
            workflow_name="{{ 'x' }}",
            parameters={play.ACTORS: Param.const("")},
        )
    yield resume(
        project,
        route,
        dependency("third", "pull_request", ("closed",)),
        name="resume-third",
        workflow_name="{{ 'y' }}",
    )


_BUILDER = RouteBuilder(_ROUTE, "github-test", "A test route.", _arms)


def _disabled(project: Project) -> Project:
    routes = project.events.routes.model_copy(
        update={"play": project.events.routes.play.model_copy(update={"enabled": False})}
    )
    return dataclasses.replace(project, events=project.events.model_copy(update={"routes": routes}))


def test_a_disabled_route_renders_no_sensor(basic_project: Project) -> None:
    assert _BUILDER.build(_disabled(basic_project)) == []


def test_the_sensor_frames_the_arms_in_order(basic_project: Project) -> None:
    [sensor] = _BUILDER.build(basic_project)
    assert sensor["kind"] == "Sensor"
    assert sensor["metadata"]["name"] == "github-test"
    assert sensor["metadata"]["annotations"] == {
        "pipelines.agents.platform/description": "A test route."
    }
    spec = sensor["spec"]
    assert [d["name"] for d in spec["dependencies"]] == ["first", "second", "third"]
    triggers = [t["template"] for t in spec["triggers"]]
    # a submit trigger is named as its dependency unless told; each fires on its own dependency
    assert [t["name"] for t in triggers] == ["first", "second", "resume-third"]
    assert [t["conditions"] for t in triggers] == ["first", "second", "third"]
    operations = [t["argoWorkflow"]["operation"] for t in triggers]
    assert operations == ["submit", "submit", "resume"]
    for template, dep in zip(triggers, ["first", "second", "third"], strict=True):
        named = template["argoWorkflow"]["parameters"][0]
        assert named["dest"] == "metadata.name"
        assert named["src"]["dependencyName"] == dep


def test_a_dependency_starts_with_its_event_and_actions(basic_project: Project) -> None:
    dep = dependency("d", "issues", ("labeled", "opened"), [repository_pinned(basic_project)])
    assert dep.filters is not None and dep.filters.data is not None
    first, second, third = dep.filters.data
    assert (first.path, first.value) == ("body.X-GitHub-Event", [exact("issues")])
    assert (second.path, second.value) == ("body.action", [exact("labeled", "opened")])
    assert third.path == "body.repository.full_name"
    assert dep.filters.exprs is None and dep.filters.script is None


def test_trusted_associations_fall_back_to_the_events_ones(basic_project: Project) -> None:
    route = basic_project.events.routes.play
    default = basic_project.events.trusted_associations
    assert (
        trusted_associations(basic_project, route.model_copy(update={"trusted_associations": None}))
        == default
    )
    own = [Association.OWNER]
    assert (
        trusted_associations(basic_project, route.model_copy(update={"trusted_associations": own}))
        == own
    )


def test_submit_and_resume_carry_their_workflow(basic_project: Project) -> None:
    [sensor] = _BUILDER.build(basic_project)
    first, _, third = (
        t["template"]["argoWorkflow"]["source"]["resource"] for t in sensor["spec"]["triggers"]
    )
    assert third == {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"name": "unresolved", "namespace": basic_project.namespace},
    }
    assert first["metadata"]["namespace"] == basic_project.namespace
    assert first["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "hera-pipelines"
    assert first["spec"]["workflowTemplateRef"] == {"name": play.SPEC.name}
