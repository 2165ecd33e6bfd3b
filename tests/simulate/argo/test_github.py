"""The GitHub EventSource's event: Go's re-marshalled body, headers, limits (start.go, v1.9)."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import uuid

import pytest

from hera_pipelines.simulate.argo.github import (
    DEFAULT_MAX_PAYLOAD_SIZE,
    GithubRoute,
    canonical_header_key,
    default_delivery,
    github_event,
    max_payload_size,
)


def test_event_text_is_go_marshal_of_the_decoded_body() -> None:
    # parseValidateRequest: json.Unmarshal into map[string]interface{} then json.Marshal, so
    # numbers are float64 printed by encoding/json (1e-7, 0.000001, -0), keys sorted, HTML escaped
    payload = b'{"z": 1.0, "b": 0.000001, "a": 1e-7, "c": -0.0, "d": "<&>", "e": 1e21}'
    event = github_event("push", payload, source="github", name="repo", delivery="d")
    text = event.text
    assert text is not None
    body = text[text.index('"body":') + 7 : -1]
    assert body == (
        '{"X-GitHub-Delivery":"d","X-GitHub-Event":"push",'  # byte order: upper case first
        '"a":1e-7,"b":0.000001,"c":-0,"d":"\\u003c\\u0026\\u003e","e":1e+21,"z":1}'
    )
    assert text.startswith('{"headers":{"Content-Type":["application/json"],')
    assert '"X-Github-Event":["push"]' in text


def test_whole_event_is_go_marshal_of_v1alpha1_event() -> None:
    event = github_event("ping", b"{}", source="github", name="repo", delivery="d")
    whole = json.loads(event.to_go_json())
    assert list(whole) == ["context", "data"]
    assert list(whole["context"]) == [
        *("id", "source", "specversion", "type", "datacontenttype", "subject", "time")
    ]
    assert base64.b64decode(whole["data"]).decode() == event.text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # textproto.CanonicalMIMEHeaderKey doc: "accept-encoding" -> "Accept-Encoding"
        ("accept-encoding", "Accept-Encoding"),
        ("X-GitHub-Event", "X-Github-Event"),
        ("x-hub-signature-256", "X-Hub-Signature-256"),
        ("bad header", "bad header"),  # not a token: unchanged
    ],
)
def test_canonical_header_key(name: str, expected: str) -> None:
    assert canonical_header_key(name) == expected


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (None, DEFAULT_MAX_PAYLOAD_SIZE),
        ({"webhook": {"endpoint": "/x"}}, 1_048_576),
        ({"webhook": {"maxPayloadSize": 4096}}, 4096),
        ({"maxPayloadSize": 10}, 10),  # a webhook EventSource: the context is the entry itself
    ],
)
def test_max_payload_size(config: object, expected: int) -> None:
    assert max_payload_size(config) == expected


def test_route_drops_only_beyond_the_limit() -> None:
    route = GithubRoute("github", "repo", {"webhook": {"maxPayloadSize": 3}})
    assert route.drops(b"{}x") is None
    assert route.drops(b"{} x") == (
        "dropped by the EventSource: the payload is 4 bytes, over maxPayloadSize 3"
        " (http: request body too large)"
    )


def test_default_delivery_is_a_version_4_uuid_of_the_delivery_digest() -> None:
    rng = random.Random(7)
    for _ in range(300):
        event_type = rng.choice(["push", "pull_request", "issue_comment", ""])
        payload = rng.randbytes(rng.randint(0, 64))
        digest = hashlib.sha256(event_type.encode() + b"\0" + payload).digest()
        expected = str(uuid.UUID(bytes=digest[:16], version=4))
        assert default_delivery(event_type, payload) == expected
