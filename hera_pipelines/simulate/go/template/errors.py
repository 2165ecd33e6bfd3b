"""The errors a Go text/template returns, and the one the simulator adds for what it lacks."""

from __future__ import annotations

__all__ = ["TemplateError", "UnsupportedTemplateError"]


class TemplateError(Exception):
    """The template does not parse, or executing it fails, as Go's text/template would."""


class UnsupportedTemplateError(TemplateError):
    """The template uses a function or action the simulator does not implement."""
