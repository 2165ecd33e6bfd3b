"""`version`: print the package version and the versions of the tools it renders for."""

from __future__ import annotations

import argparse
from importlib.metadata import version

from hera_pipelines import __version__

__all__ = ["HELP", "add_arguments", "run"]

HELP = "print the version of hera-pipelines and of the libraries it renders with"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    del args
    print(f"hera-pipelines {__version__}")
    print(f"hera {version('hera')}")
    print(f"pydantic {version('pydantic')}")
    return 0
