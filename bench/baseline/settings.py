"""The project's settings with the bench's URLs and template added; nothing else changes, so
the baseline view runs through the same middleware, cache and database as the topic page."""

import tempfile
from pathlib import Path

from okxcommunity.settings import *  # noqa: F403
from okxcommunity.settings import TEMPLATES

ROOT_URLCONF = "bench.baseline.urls"
TEMPLATES = [{**TEMPLATES[0],
              "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]}]
# collectstatic (needed with debug off) writes here rather than into the project's folder.
STATIC_ROOT = Path(tempfile.gettempdir()) / "okx_bench_static"
