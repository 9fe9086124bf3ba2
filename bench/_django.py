"""The start every in-process bench shares: the project on ``sys.path``, test settings, a
throw-away database of its own (``test_hypertroq<suffix>``, created and dropped by the bench), and
Django set up. Not a bench itself (``make bench`` runs ``bench/bench_*.py`` and ``bench/load.py``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def production_cache(prefix: str) -> str:
    """Production's cache is Redis (fragments, sessions, the bell's count): with
    HYPERTROQ_BENCH_REDIS_URL (or the test suite's HYPERTROQ_TEST_REDIS_URL) a bench uses that
    server, its keys under ``prefix`` and the process id, so what a page reads from the cache costs
    a real round trip; without it, local memory. Call before ``setup``; returns the URL or ""."""
    url = os.environ.get("HYPERTROQ_BENCH_REDIS_URL") or os.environ.get("HYPERTROQ_TEST_REDIS_URL", "")
    if url:
        os.environ["REDIS_URL"] = url
        os.environ["CACHE_KEY_PREFIX"] = f"{prefix}_{os.getpid()}"
    return url


def setup(db_suffix: str) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # The test settings (inline embeddings, no rate limits, fast hashing), whatever `make` exported.
    os.environ["DJANGO_SETTINGS_MODULE"] = "hypertroq.settings.test"
    os.environ["HYPERTROQ_TEST_DB_SUFFIX"] = db_suffix

    import django

    django.setup()
