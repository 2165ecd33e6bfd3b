"""`filters.script`: Lua 5.1 over the event data, as gopher-lua runs it.

``filters.script``: a Lua 5.1 script (gopher-lua in Go, lupa here) run with the event data as
the global ``event``; it passes only when the script returns true.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.simulate.argo.engines import Unsupported
from hera_pipelines.simulate.argo.event import Event

__all__ = ["ScriptFilter"]


class ScriptFilter:
    """A Lua script run with the event data as global `event` (gopher-lua is Lua 5.1).

    The data becomes nested tables (arrays 1-based); a JSON null is nil, so a null inside an
    array leaves a hole where gopher-lua's conversion would close it up.
    """

    _SANDBOX = (
        "os.execute=nil os.remove=nil os.rename=nil os.exit=nil os.getenv=nil os.tmpname=nil "
        "io=nil dofile=nil loadfile=nil require=nil package=nil"
    )

    def __init__(self, src: str) -> None:
        from lupa import lua51  # Lua only for Sensors that have a script

        self._lua = lua51
        self.src = src
        self.runtime = lua51.LuaRuntime(
            register_eval=False, register_builtins=False, unpack_returned_tuples=True
        )
        self.runtime.execute(self._SANDBOX)
        self.function: Any = None
        self.error: str | None = None
        try:
            self.function = self.runtime.compile(src)
        except self._lua.LuaError as exc:
            self.error = str(exc).splitlines()[0]

    def evaluate(self, event: Event | None, reasons: list[str]) -> tuple[bool, str | None]:
        if event is None:
            return False, "nil event"
        if not event.has_data:
            return True, None
        if not event.is_json:
            return False, "invalid character in event data (not JSON)"
        if not isinstance(event.value, dict):
            return (
                False,
                "json: cannot unmarshal non-object event data into map[string]interface {}",
            )
        if self.error is not None:
            return False, self.error
        try:
            table = self.runtime.table_from(event.value, recursive=True)
        except self._lua.LuaError as exc:  # LuaMemoryError: lupa's C conversion nests too deep
            raise Unsupported(f"the event data nests too deeply for Lua here ({exc!r})") from exc
        self.runtime.globals().event = table
        try:
            returned = self.function()
        except self._lua.LuaError as exc:
            return False, str(exc).splitlines()[0]
        last = returned[-1] if isinstance(returned, tuple) and returned else returned
        passed = last is True
        reasons.append(f"script returned {last!r}")
        return passed, None
