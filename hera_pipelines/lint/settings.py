"""The few keys `lint` reads from pipelines.yaml: `output`, and the `lint:` block."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from hera_pipelines.errors import HeraPipelinesError

__all__ = ["DEFAULT_DAG_TASK_CAP", "LintSettings", "read_settings"]

DEFAULT_DAG_TASK_CAP = 200
_KEYS = {"select", "ignore", "externalTemplates", "allowClusterRoles", "maxDagTasks"}


@dataclass(frozen=True)
class LintSettings:
    """`lint:` in pipelines.yaml (all optional) and where the manifests are."""

    output: Path = Path("manifests")
    # rule ids, names, groups or id prefixes, like ruff's
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    # WorkflowTemplates referenced but deployed elsewhere (also the platform's coderun-template
    # when platform.coderunTemplate is `external`)
    external_templates: frozenset[str] = frozenset()
    # ClusterRole / ClusterRoleBinding names that may be rendered
    allow_cluster_roles: frozenset[str] = frozenset()
    # most tasks one DAG template may hold (default: play.maxTasksPerWorkflow)
    max_dag_tasks: int = DEFAULT_DAG_TASK_CAP


def _names(value: Any, file: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise HeraPipelinesError("expected a list of names", file=file, field=f"lint.{key}")


def read_settings(config: Path) -> LintSettings:
    """Settings from `config` if it exists; defaults (manifests/ beside it) otherwise."""
    base = config.parent
    if not config.is_file():
        return LintSettings(output=base / "manifests")
    file = config.as_posix()
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise HeraPipelinesError(f"cannot read: {exc}", file=file) from exc
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise HeraPipelinesError("expected a mapping", file=file)
    output = data.get("output") or "manifests"
    if not isinstance(output, str):
        raise HeraPipelinesError("expected a folder name", file=file, field="output")
    block = data.get("lint") or {}
    if not isinstance(block, Mapping):
        raise HeraPipelinesError("expected a mapping", file=file, field="lint")
    unknown = sorted(set(block) - _KEYS)
    if unknown:
        raise HeraPipelinesError(
            f"unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})",
            file=file,
            field="lint",
        )
    play: Mapping[str, Any] = data["play"] if isinstance(data.get("play"), Mapping) else {}
    platform: Mapping[str, Any] = (
        data["platform"] if isinstance(data.get("platform"), Mapping) else {}
    )
    external = set(_names(block.get("externalTemplates"), file, "externalTemplates"))
    if platform.get("coderunTemplate") == "external":
        external.add(str(platform.get("coderunTemplateName") or "coderun-template"))
    cap = block.get("maxDagTasks", play.get("maxTasksPerWorkflow", DEFAULT_DAG_TASK_CAP))
    if not isinstance(cap, int) or isinstance(cap, bool) or cap < 1:
        raise HeraPipelinesError("expected a positive integer", file=file, field="lint.maxDagTasks")
    return LintSettings(
        output=base / output,
        select=_names(block.get("select"), file, "select"),
        ignore=_names(block.get("ignore"), file, "ignore"),
        external_templates=frozenset(external),
        allow_cluster_roles=frozenset(
            _names(block.get("allowClusterRoles"), file, "allowClusterRoles")
        ),
        max_dag_tasks=cap,
    )
