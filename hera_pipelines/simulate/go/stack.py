"""A big stack for deep documents, so 10000-level JSON never raises RecursionError.

Deep documents without RecursionError: Go's goroutine stacks grow to 1 GB while CPython stops at
1000 frames, so work on a payload nested up to encoding/json's 10000 levels runs on a thread with
a large stack and a raised recursion limit.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Final, TypeVar

__all__ = ["run_deep"]

T = TypeVar("T")
# Each nesting level costs a few Python frames (decode, copy, marshal, report); 10000 levels fit.
_RECURSION_LIMIT: Final = 60_000
_STACK_BYTES: Final = 512 * 1024 * 1024  # reserved address space, touched only when used


def run_deep(work: Callable[[], T]) -> T:
    """`work()` on a thread whose stack and recursion limit hold 10000-deep JSON; returns its
    result or raises its exception."""
    result: list[T] = []
    error: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # handed to the caller's thread below
            error.append(exc)

    old_limit = sys.getrecursionlimit()
    old_stack = threading.stack_size()
    sys.setrecursionlimit(max(old_limit, _RECURSION_LIMIT))
    try:
        threading.stack_size(_STACK_BYTES)
        thread = threading.Thread(target=target, name="simulate-deep", daemon=True)
        threading.stack_size(old_stack)
        thread.start()
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if error:
        raise error[0]
    return result[0]
