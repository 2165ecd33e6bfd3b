"""Issue 11 item 3: every container image in the output comes from the one pinned table."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hera_pipelines.config.pipelines import DEFAULT_IMAGES, ImageConfig
from hera_pipelines.config.project import load_project
from hera_pipelines.render.set import ManifestSet
from tests.cluster.conftest import RenderSet
from tests.conftest import EXAMPLES


def images(node: Any) -> Iterator[str]:
    """Every `image` of a container, script or init container anywhere in `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "image" and isinstance(value, str):
                yield value
            else:
                yield from images(value)
    elif isinstance(node, list):
        for value in node:
            yield from images(value)


def test_default_table_is_pinned_and_maintained() -> None:
    for name, image in DEFAULT_IMAGES.items():
        assert image.tag != "latest", name
        assert not image.repository.startswith("bitnami/"), name  # no versioned tags any more
    # registry.k8s.io/kubectl is distroless (no sh): the attempts script needs a shell
    assert DEFAULT_IMAGES["kubectl"].repository == "alpine/k8s"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_image_of_every_example_is_in_the_table(
    example: Any, rendered: dict[str, ManifestSet]
) -> None:
    table = {
        i.reference
        for i in load_project(example / "pipelines.yaml").platform.images.table().values()
    }
    used = {image for _, obj in rendered[example.name] for image in images(obj)}
    assert used, example.name
    assert used <= table, used - table


def test_an_override_with_a_digest_reaches_every_step(render_set: RenderSet) -> None:
    digest = "sha256:" + "ab" * 32
    manifests = render_set(
        "repository: acme/widgets\nplatform:\n  images:\n"
        f"    git:\n      repository: mirror.example.com/alpine/git\n      tag: v2.49.1\n"
        f"      digest: '{digest}'\n"
    )
    used = {image for _, obj in manifests for image in images(obj)}
    assert f"mirror.example.com/alpine/git:v2.49.1@{digest}" in used
    assert not any(i.startswith("alpine/git:") for i in used)


def test_latest_is_refused() -> None:
    with pytest.raises(ValueError, match="pinned"):
        ImageConfig(repository="alpine/git", tag="latest")
