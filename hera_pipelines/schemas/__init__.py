"""Vendored upstream schemas, tightened and compiled once per process, one validator per kind.

`validate_object(obj)` gives the same verdicts as the jsonschema + kubernetes-validate
reference (`tests/schemas/reference_validation.py`) at a fraction of the cost: each schema is
compiled by fastjsonschema on first use, and the generated code is cached on disk between
processes.
"""

from __future__ import annotations

from hera_pipelines.schemas.compiled import (
    Profile,
    Violation,
    has_schema,
    validate_object,
    violations,
)
from hera_pipelines.schemas.source import SCHEMA_DIR, schema_for, supported_kinds
from hera_pipelines.schemas.strict import strict_schema

__all__ = [
    "SCHEMA_DIR",
    "Profile",
    "Violation",
    "has_schema",
    "schema_for",
    "strict_schema",
    "supported_kinds",
    "validate_object",
    "violations",
]
