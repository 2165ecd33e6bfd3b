"""Project → ManifestSet: every flow in `templates/`, every route in `sensors/`, and the
library's own objects, validated before anything is written.

Flows and sensors are discovered with pkgutil: adding a flow is adding one module that exposes
`manifests(project) -> list[dict]`; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.render.set import KUSTOMIZATION, ManifestSet
from hera_pipelines.resources import gitops, profiles, rbac, secrets, semaphores

__all__ = ["builders", "render_project"]

Builder = Callable[[Project], list[dict[str, Any]]]
_PACKAGES = ("hera_pipelines.templates", "hera_pipelines.sensors")


def _modules(package: str) -> Iterator[ModuleType]:
    root = importlib.import_module(package)
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{package}.{info.name}")


def builders() -> list[tuple[str, Builder]]:
    """Every object builder, named by module, in a fixed order."""
    found: list[tuple[str, Builder]] = [
        ("hera_pipelines.resources.profiles", profiles.manifests),
        ("hera_pipelines.resources.rbac", rbac.manifests),
        ("hera_pipelines.resources.secrets", secrets.manifests),
        ("hera_pipelines.resources.semaphores", semaphores.manifests),
    ]
    for package in _PACKAGES:
        for module in _modules(package):
            build = getattr(module, "manifests", None)
            if callable(build):
                found.append((module.__name__, build))
    return found


def render_project(project: Project) -> ManifestSet:
    manifests = ManifestSet()
    for _, build in builders():
        manifests.extend(build(project))
    manifests.add(gitops.application(project))
    manifests.add(gitops.kustomization([path for path, _ in manifests]), path=KUSTOMIZATION)
    return manifests
