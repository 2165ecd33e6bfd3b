"""Issue 11 item 2: the EventSource manages the GitHub hook only at a public https URL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hera_pipelines.cli import main
from hera_pipelines.render.set import ManifestSet
from tests.cluster.conftest import RenderSet


def _github(manifests: ManifestSet) -> dict[str, object]:
    (source,) = manifests.of_kind("EventSource")
    github: dict[str, object] = source["spec"]["github"]["github"]
    return github


def test_default_manages_no_hook(rendered: dict[str, ManifestSet]) -> None:
    for name, manifests in rendered.items():
        github = _github(manifests)
        assert "apiToken" not in github and "githubApp" not in github, name
        (webhook,) = (
            s
            for s in manifests.of_kind("ExternalSecret")
            if s["metadata"]["name"] == "github-webhook"
        )
        assert [d["secretKey"] for d in webhook["spec"]["data"]] == ["secret"]
        assert manifests.of_kind("Ingress") == []


def test_public_url_manages_the_hook_and_the_ingress_exposes_it(render_set: RenderSet) -> None:
    manifests = render_set(
        "repository: acme/widgets\nevents:\n  url: https://hooks.example.com/\n"
        "  ingress:\n    className: nginx\n    tlsSecret: hooks-tls\n"
        "    annotations:\n      cert-manager.io/cluster-issuer: letsencrypt\n"
    )
    github = _github(manifests)
    assert github["apiToken"] == {"name": "github-webhook", "key": "token"}
    assert github["webhook"]["url"] == "https://hooks.example.com"  # type: ignore[index]
    (ingress,) = manifests.of_kind("Ingress")
    assert ingress["metadata"]["annotations"] == {"cert-manager.io/cluster-issuer": "letsencrypt"}
    spec = ingress["spec"]
    assert spec["ingressClassName"] == "nginx"
    assert spec["tls"] == [{"hosts": ["hooks.example.com"], "secretName": "hooks-tls"}]
    (rule,) = spec["rules"]
    assert rule["host"] == "hooks.example.com"
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/github"
    assert path["backend"]["service"] == {
        "name": "github-eventsource-svc",
        "port": {"number": 12000},
    }


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ("  url: http://hooks.example.com\n", "events.url: must be an https:// URL"),
        (
            "  url: https://github-eventsource-svc.agent-platform.svc:12000\n",
            "events.url: 'github-eventsource-svc.agent-platform.svc' is a cluster-internal host",
        ),
        ("  url: https://10.0.0.7\n", "events.url: '10.0.0.7' is not a public address"),
        (
            "  githubApp:\n    appId: 1\n    installationId: 2\n    githubApp: hooks\n",
            "events.githubApp: needs events.url",
        ),
        ("  ingress:\n    className: nginx\n", "events.ingress: needs events.url"),
        ("  eventBus: internal\n", "events.eventBus"),
        (
            "  url: https://example.com/hooks\n  ingress: {}\n",
            "events.url: with events.ingress, events.url must have no path",
        ),
    ],
)
def test_bad_webhook_config_exits_2(
    make_config: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    events: str,
    expected: str,
) -> None:
    config = make_config("repository: acme/widgets\nevents:\n" + events)
    assert main(["render", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert not (config.parent / "manifests").exists()
