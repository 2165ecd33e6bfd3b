"""The JSON-answering HTTP handler the fake GitHub APIs of the script tests build on."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from typing import Any

__all__ = ["JsonHandler"]


class JsonHandler(BaseHTTPRequestHandler):
    """Quiet (no request log) and answers `send_json(code, body)` as GitHub does."""

    indent: int | None = None  # GitHub's REST API pretty-prints; some tests want compact JSON

    def log_message(self, *args: Any) -> None:
        pass

    def send_json(self, code: int, body: Any) -> None:
        data = json.dumps(body, indent=self.indent).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
