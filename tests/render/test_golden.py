"""The committed manifests of every example are exactly what render produces."""

from __future__ import annotations

from pathlib import Path

from hera_pipelines.cli import main
from hera_pipelines.render.folder import diff_folder
from hera_pipelines.render.set import ManifestSet


def test_committed_manifests_match_render(example: Path, rendered: dict[str, ManifestSet]) -> None:
    drift = diff_folder(example / "manifests", rendered[example.name].files())
    assert not drift, (
        f"{example.name}: golden manifests out of date; run `make golden` and review:\n"
        + drift.unified_diff()[:4000]
    )


def test_render_check_passes_on_committed_examples(example: Path) -> None:
    assert main(["render", "--config", str(example / "pipelines.yaml"), "--check"]) == 0


def test_files_are_lf_terminated_without_nulls(rendered: dict[str, ManifestSet]) -> None:
    for name, manifests in rendered.items():
        for path, data in manifests.files().items():
            text = data.decode("utf-8")
            assert text.endswith("\n") and not text.endswith("\n\n"), (name, path)
            assert "\r" not in text, (name, path)
            assert ": null" not in text and "- null" not in text, (name, path)


def test_one_object_per_file_named_by_kind_and_name(rendered: dict[str, ManifestSet]) -> None:
    for manifests in rendered.values():
        for path, obj in manifests:
            if path == "kustomization.yaml":
                continue
            assert path == f"{obj['kind'].lower()}/{obj['metadata']['name']}.yaml"
            assert list(obj)[:3] == ["apiVersion", "kind", "metadata"]
