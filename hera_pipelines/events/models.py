"""Hera's typed Argo Events models, without the cost of `hera.events.models`'s `__init__`.

That package's `__init__` imports every module under it, among them a second copy of the whole
Argo Workflows API and the Argo Server request types: about half a second of pydantic class
building in every `render`, for classes no EventSource or Sensor uses. Here the package is
registered without running its `__init__` (its submodules still import through its path), and
`v1alpha1`, the module that defines EventSource and Sensor and everything in them, is imported
directly. The classes are the very ones the package re-exports.

Nothing else in the process sees a difference: the first time anyone asks the package itself for
a name (`from hera.events.models import Sensor`), its real `__init__` runs, once (PEP 562).
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any

__all__ = ["PACKAGE", "core_v1", "intstr", "v1alpha1"]

PACKAGE = "hera.events.models"


def _register_without_init() -> None:
    if PACKAGE in sys.modules:
        return
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(PACKAGE)
    package = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def __getattr__(name: str) -> Any:
        del package.__dict__["__getattr__"]
        loader.exec_module(package)
        return getattr(package, name)

    package.__dict__["__getattr__"] = __getattr__
    sys.modules[PACKAGE] = package


_register_without_init()

# Below the registration on purpose: importing any of these first would run the package's
# `__init__` (tests/architecture checks a render never loads the workflow copy).
from hera.events.models.github.com.argoproj.argo_events.pkg.apis.events import (  # noqa: E402
    v1alpha1,
)
from hera.events.models.io.k8s.api.core import v1 as core_v1  # noqa: E402
from hera.events.models.io.k8s.apimachinery.pkg.util import intstr  # noqa: E402
