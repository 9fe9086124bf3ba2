"""Name-search quality on the labelled queries lifters type (abbreviations, plurals, typos).

Run: `.venv/bin/python bench/bench_search_quality.py` (or `make bench`). Works in a dedicated,
throw-away database (test_hypertroq_bench_search_quality, created and dropped here) holding the
seeded library (``manage.py seed``).

Prints, over ``exercises/tests/data/name_queries.toml`` (all of it, the queries written first, and
the ``held_out`` ones written after the aliases and the ranking, not tuned for): hit@3 (an accepted exercise among the
first 3 results), hit@1, MRR over the first 20 results (reciprocal rank of the first accepted one,
0 when none), each miss with the top 3 it got, and the median time of one search (the selector,
first 20 rows fetched). ``exercises/tests/test_search_quality.py`` asserts the floor.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tomllib
from io import StringIO
from pathlib import Path

import _django

_django.setup("_bench_search_quality" + os.environ.get("HYPERTROQ_BENCH_DB_SUFFIX", ""))

from django.core.management import call_command  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

QUERIES_FILE = Path(__file__).resolve().parent.parent / "exercises" / "tests" / "data" / "name_queries.toml"
DEPTH = 20


def evaluate(search, queries: list[dict]) -> tuple[float, float, float, list[tuple[str, list[str]]]]:
    """(hit@3, hit@1, MRR@20, misses) of ``search(text) -> names`` on ``queries``."""
    hits3 = hits1 = 0
    reciprocal = 0.0
    misses = []
    for query in queries:
        names = search(query["text"])[:DEPTH]
        accepted = set(query["accept"])
        rank = next((i for i, name in enumerate(names, 1) if name in accepted), None)
        if rank is not None:
            reciprocal += 1 / rank
            hits1 += rank == 1
            hits3 += rank <= 3
        if rank is None or rank > 3:
            misses.append((query["text"], names[:3]))
    n = len(queries)
    return hits3 / n, hits1 / n, reciprocal / n, misses


def main() -> None:
    queries = tomllib.loads(QUERIES_FILE.read_text())["query"]
    config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        from exercises.selectors import exercise_search

        call_command("seed", stdout=StringIO())

        def search(text: str) -> list[str]:
            return [e.name for e in exercise_search(user=None, query=text)[:DEPTH]]

        held_out = [q for q in queries if q.get("held_out")]
        tuned = [q for q in queries if not q.get("held_out")]
        *_, misses = evaluate(search, queries)
        print(f"labelled queries: {len(queries)} ({QUERIES_FILE.name})")
        for label, subset in (("all", queries), ("written first", tuned), ("held out", held_out)):
            if subset:
                h3, h1, m, _ = evaluate(search, subset)
                print(
                    f"{label:14} {len(subset):3d} queries: hit@3 {h3:.1%} ({round(h3 * len(subset))}/{len(subset)})"
                    f"  hit@1 {h1:.1%}  MRR@{DEPTH} {m:.3f}"
                )
        for text, top3 in misses:
            print(f"  miss: {text!r} -> {top3}")
        for text in sys.argv[1:]:
            print(f"{text!r}: {search(text)}")
        for q in queries[:3]:
            search(q["text"])
        samples = []
        for _ in range(3):
            for q in queries:
                started = time.perf_counter()
                search(q["text"])
                samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        print(
            f"one search (selector, 20 rows): median {statistics.median(samples):.2f} ms, "
            f"p95 {samples[int(len(samples) * 0.95)]:.2f} ms over {len(samples)} searches"
        )
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
