"""Tests read nothing outside the checkout: the compiled-schema disk cache stays off."""

from __future__ import annotations

import os

os.environ["HERA_PIPELINES_CACHE_DIR"] = ""
