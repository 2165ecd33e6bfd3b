"""The manifests folder from pipelines.yaml's `output` alone, without loading the project.

Where `simulate` finds the manifests without `--manifests`: the `output` key of pipelines.yaml
read on its own, since the whole project (validation, git, gate detection) is not needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import yaml

from hera_pipelines.errors import HeraPipelinesError

__all__ = ["DEFAULT_OUTPUT", "output_folder"]

DEFAULT_OUTPUT: Final = "manifests"  # config.PipelinesConfig.output's default


def output_folder(config: Path) -> Path:
    """`output` (default `manifests`) of the config at `config`, relative to the config's folder."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HeraPipelinesError(f"cannot read: {exc}", file=str(config)) from exc
    try:
        data = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{config}:{mark.line + 1}" if mark is not None else str(config)
        raise HeraPipelinesError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}", file=where
        ) from exc
    output = data.get("output", DEFAULT_OUTPUT) if isinstance(data, dict) else DEFAULT_OUTPUT
    if not isinstance(output, str) or not output:
        raise HeraPipelinesError(
            "expected a non-empty folder name", file=str(config), field="output"
        )
    return config.parent / output
