"""The compiled-schema cache: a folder the tests create and own, never the user's cache."""

from __future__ import annotations

import os
import tempfile

# its files are keyed by the schemas' bytes; the xdist workers share it
os.environ["HERA_PIPELINES_CACHE_DIR"] = os.path.join(
    tempfile.gettempdir(), f"hera-pipelines-test-schemas-{os.getuid()}"
)
