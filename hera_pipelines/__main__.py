"""`python -m hera_pipelines`: the CLI."""

from hera_pipelines.cli import main

raise SystemExit(main())
