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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hypertroq.settings")
    os.environ["HYPERTROQ_TEST_DB_SUFFIX"] = db_suffix
    os.environ.setdefault("HYPERTROQ_TESTING", "1")

    import django

    django.setup()
