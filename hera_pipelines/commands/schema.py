"""`schema`: the JSON Schema of pipelines.yaml, for editors (yaml-language-server) and CI."""

from __future__ import annotations

import argparse
import json

from hera_pipelines.config.pipelines import PipelinesConfig

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "run", "schema"]

HELP = "print the JSON Schema of pipelines.yaml"
DESCRIPTION = """\
Print the JSON Schema of pipelines.yaml on stdout. Point your editor at it for completion, e.g.
first line of pipelines.yaml:  # yaml-language-server: $schema=pipelines.schema.json
"""


def schema() -> dict[str, object]:
    document = PipelinesConfig.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "pipelines.yaml"
    return document


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    del args
    print(json.dumps(schema(), indent=2, sort_keys=True))
    return 0
