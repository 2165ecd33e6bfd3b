"""Issue 11 item 10: a first `kubectl apply -k` of the folder has what it needs, and `render`
says what the cluster must already have."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from hera_pipelines.cli import main
from tests.cluster.conftest import RenderSet
from tests.conftest import EXAMPLES

KEEP = {"argocd.argoproj.io/sync-options": "Prune=false,Delete=false"}


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_kubectl_kustomize_builds_every_example(example: Path) -> None:
    folder = example / "manifests"
    done = subprocess.run(
        ["kubectl", "kustomize", str(folder)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    kinds = [doc["kind"] for doc in yaml.safe_load_all(done.stdout) if doc]
    assert len(kinds) == len(list(folder.glob("*/*.yaml")))
    assert "EventBus" in kinds


def test_namespace_is_rendered_on_request_and_never_deleted(render_set: RenderSet) -> None:
    assert render_set("repository: acme/widgets\n").of_kind("Namespace") == []
    manifests = render_set("repository: acme/widgets\nnamespace: agents\ncreateNamespace: true\n")
    (namespace,) = manifests.of_kind("Namespace")
    assert namespace["metadata"]["name"] == "agents"
    assert namespace["metadata"]["annotations"] == KEEP
    assert "namespace" not in namespace["metadata"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="needs kubectl")
def test_kustomize_puts_the_namespace_first(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config("repository: acme/widgets\ncreateNamespace: true\n")
    assert main(["render", "--config", str(config)]) == 0
    capsys.readouterr()
    done = subprocess.run(
        ["kubectl", "kustomize", str(config.parent / "manifests")],
        capture_output=True,
        text=True,
        check=True,
    )
    first = next(doc for doc in yaml.safe_load_all(done.stdout) if doc)
    assert first["kind"] == "Namespace"


def test_render_prints_what_the_cluster_must_have(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config("repository: acme/widgets\n")
    assert main(["render", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    expects = out[out.index("expects:\n") :]
    for needle in (
        "Argo Workflows >= 3.6",
        "Argo Events 1.9",
        "External Secrets Operator >= 0.16",
        "ClusterSecretStore agent-platform",
        "Secret hera-pipelines-git in agent-platform with key `token`",
        "Namespace agent-platform",
        "a GitHub webhook you add by hand",
    ):
        assert needle in expects, expects


def test_render_names_what_external_config_leaves_outside(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(
        "repository: acme/widgets\ncreateNamespace: true\nplatform:\n  coderunTemplate: external\n"
        "events:\n  eventBus: external\n  url: https://hooks.example.com\n"
    )
    assert main(["render", "--config", str(config)]) == 0
    expects = capsys.readouterr().out.split("expects:\n", 1)[1]
    assert "WorkflowTemplate coderun-template (the platform's chart)" in expects
    assert "EventBus default in agent-platform" in expects
    assert "by hand" not in expects
    assert "Namespace agent-platform" not in expects
    assert "github-webhook (secret, token)" in expects
