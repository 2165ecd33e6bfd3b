"""The one GitHub event source every Sensor depends on, the headers it copies into the body, and
how a Sensor's Go templates read that body.
"""

from __future__ import annotations

import json

__all__ = [
    "ARGO_API",
    "DELIVERY",
    "EVENT_HEADER",
    "EVENT_NAME",
    "EVENT_SOURCE",
    "body_operand",
    "decimal",
]

#: the EventSource's name, and the name of its one GitHub event within it
EVENT_SOURCE = "github"
EVENT_NAME = "github"
#: the headers the GitHub EventSource copies into the body: the event type and delivery id
EVENT_HEADER = "X-GitHub-Event"
DELIVERY = "X-GitHub-Delivery"
#: the API group/version of Sensors, EventSources and the Workflows they start
ARGO_API = "argoproj.io/v1alpha1"


def body_operand(path: str) -> str:
    """A Go-template operand reading a dotted body path (`index` copes with any key).

    Workflow names and trigger parameters read the event the same way. A numeric segment
    indexes a list, and Go's `index` needs an int there, not a string.
    """
    keys = " ".join(k if k.isdigit() else json.dumps(k) for k in path.split("."))
    return f"(index .Input {keys})"


def decimal(path: str) -> str:
    """A Go-template pipeline printing the JSON number at `path` as decimal digits.

    JSON numbers arrive as float64, which Go would print as `1e+09` once large; `int64` first
    keeps run names and `number` parameters plain digits.
    """
    return f"toString (int64 {body_operand(path)})"
