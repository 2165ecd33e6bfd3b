"""Issue 11 item 1: an EventBus exists (or is named as external) and everything uses it."""

from __future__ import annotations

from hera_pipelines.config.events import JETSTREAM_VERSION
from hera_pipelines.render.set import ManifestSet
from tests.cluster.conftest import RenderSet

# The JetStream versions the Argo Events v1.9 controller's default config lists (besides the
# unpinned "latest"); argo-events manifests/base/controller-manager/controller-config.yaml.
CONTROLLER_VERSIONS = {
    "2.8.1",
    "2.8.1-alpine",
    "2.8.2",
    "2.8.2-alpine",
    "2.9.1",
    "2.9.12",
    "2.9.16",
    "2.10.10",
}


def _bus_names(manifests: ManifestSet) -> set[str]:
    return {
        obj["spec"]["eventBusName"]
        for kind in ("EventSource", "Sensor")
        for obj in manifests.of_kind(kind)
    }


def test_every_example_renders_a_pinned_jetstream_bus_everything_uses(
    rendered: dict[str, ManifestSet],
) -> None:
    assert JETSTREAM_VERSION in CONTROLLER_VERSIONS
    for name, manifests in rendered.items():
        (bus,) = manifests.of_kind("EventBus")
        assert bus["metadata"]["name"] == "default", name
        jetstream = bus["spec"]["jetstream"]
        assert jetstream["version"] in CONTROLLER_VERSIONS, name
        assert jetstream["replicas"] >= 3
        assert manifests.of_kind("EventSource") and manifests.of_kind("Sensor")
        assert _bus_names(manifests) == {"default"}, name
        namespaces = {o["metadata"]["namespace"] for o in manifests.of_kind("EventSource")}
        assert namespaces == {bus["metadata"]["namespace"]}


def test_bus_name_and_version_are_configurable(render_set: RenderSet) -> None:
    manifests = render_set(
        "repository: acme/widgets\nevents:\n  eventBus:\n    name: agents\n    version: 2.9.16\n"
    )
    (bus,) = manifests.of_kind("EventBus")
    assert bus["metadata"]["name"] == "agents"
    assert bus["spec"]["jetstream"]["version"] == "2.9.16"
    assert _bus_names(manifests) == {"agents"}


def test_external_bus_is_referenced_not_rendered(render_set: RenderSet) -> None:
    manifests = render_set("repository: acme/widgets\nevents:\n  eventBus: external\n")
    assert manifests.of_kind("EventBus") == []
    assert _bus_names(manifests) == {"default"}


def test_no_events_no_bus(render_set: RenderSet) -> None:
    manifests = render_set("repository: acme/widgets\nevents:\n  enabled: false\n")
    assert manifests.of_kind("EventBus") == []
