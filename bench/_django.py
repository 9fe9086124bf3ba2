"""The start every in-process bench shares: the project on ``sys.path``, test settings, a
throw-away database of its own (``test_hypertroq<suffix>``, created and dropped by the bench), and
Django set up. Not a bench itself (``make bench`` runs ``bench/bench_*.py`` and ``bench/load.py``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(db_suffix: str) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # The test settings (inline embeddings, no rate limits, fast hashing), whatever `make` exported.
    os.environ["DJANGO_SETTINGS_MODULE"] = "hypertroq.settings.test"
    os.environ["HYPERTROQ_TEST_DB_SUFFIX"] = db_suffix

    import django

    django.setup()
