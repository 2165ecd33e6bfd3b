"""The one GitHub event source every Sensor depends on, and the headers it copies into the body."""

from __future__ import annotations

__all__ = ["ARGO_API", "DELIVERY", "EVENT_HEADER", "EVENT_NAME", "EVENT_SOURCE"]

EVENT_SOURCE = "github"


EVENT_NAME = "github"


EVENT_HEADER = "X-GitHub-Event"


DELIVERY = "X-GitHub-Delivery"


ARGO_API = "argoproj.io/v1alpha1"
