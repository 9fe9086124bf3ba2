"""Exercise library page speed against 10,000 exercises.

Run: `.venv/bin/python bench/bench_library.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_library, created and dropped here), so the dev data is untouched.

Prints, per scenario (filtered + name-searched, typo, page deep in a filter, htmx partial), the
median server time (Django test client, in-process: routing, middleware, view, queries, template)
and the query count, at 1,000 and at 10,000 exercises and on two pages, to show the count does not
grow with library or page size. Target: median ≤ 30 ms at 10,000.
"""

from __future__ import annotations

import os
import statistics
import time

import _django

_django.setup("_bench_library")

from django.conf import settings  # noqa: E402

# Measure what production runs: no DEBUG (cached template loader, no query log), no test-client
# template instrumentation.
settings.DEBUG = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    teardown_databases,
)

RUNS = 40
TARGET_MS = 30.0

SCENARIOS: list[tuple[str, dict[str, object], dict[str, str]]] = [
    ("name + 2 equipment", {"q": "bench press", "equipment": ["BARBELL", "DUMBBELL"]}, {}),
    ("typo 'benhc pres'", {"q": "benhc pres"}, {}),
    (
        "name + muscle + difficulty",
        {"q": "romanian", "muscle": "HAMSTRINGS", "difficulty": "INTERMEDIATE"},
        {},
    ),
    ("muscle any, page 5", {"muscle": "CHEST", "muscle_mode": "any", "page": "5"}, {}),
    ("htmx partial, name + cable", {"q": "lateral raise", "equipment": "CABLE"}, {"HX-Request": "true"}),
    ("no filter, page 1", {}, {}),
]


def timings_ms(fn, runs: int = RUNS) -> tuple[list[float], list[float]]:
    """Sorted wall times and CPU times of this process (ms). On a busy machine the wall time
    includes waiting for a core; the CPU time does not (PostgreSQL's share runs in its own process)."""
    for _ in range(3):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - cpu_start) * 1000)
    return sorted(wall), sorted(cpu)


def query_count(client: Client, params: dict[str, object], headers: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/exercises/", params, headers=headers)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _result_count(params: dict[str, object]) -> int:
    from urllib.parse import urlencode

    from django.http import QueryDict

    from exercises.forms import ExerciseFilterForm
    from exercises.selectors import exercise_search

    data = QueryDict(urlencode({k: v for k, v in params.items() if k != "page"}, doseq=True))
    form = ExerciseFilterForm(data)
    f = form.filters()
    return exercise_search(user=None, query=f.query, **f.selector_kwargs()).count()


def main() -> None:
    config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        from accounts.models import User
        from exercises.models import Exercise
        from exercises.tests.bulk import bulk_insert_exercises, vacuum_analyze

        user = User.objects.create_user("bench-library@example.com", "bench-password-123", full_name="Bench")
        Exercise.objects.bulk_create(
            Exercise(
                name=f"My Cable Press {i}",
                equipment="CABLE",
                muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5},
                created_by=user,
            )
            for i in range(30)
        )
        client = Client()
        client.force_login(user)

        bulk_insert_exercises(1_000, seed=1, prefix="A")
        vacuum_analyze()
        counts_small = {name: query_count(client, p, h) for name, p, h in SCENARIOS}
        page1 = query_count(client, {"muscle": "CHEST", "muscle_mode": "any", "page": "1"}, {})

        started = time.perf_counter()
        bulk_insert_exercises(9_000, seed=2, prefix="B")
        vacuum_analyze()
        print(
            f"library: {Exercise.objects.count()} exercises (9,000 inserted in {time.perf_counter() - started:.1f} s)"
        )

        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(
            f"\n{'scenario':32} {'median ms':>10} {'min ms':>7} {'cpu ms':>7} {'queries@1k':>11} {'queries@10k':>12} {'results':>8}"
        )
        medians = []
        for name, params, headers in SCENARIOS:
            big = query_count(client, params, headers)
            samples, cpu = timings_ms(lambda p=params, h=headers: client.get("/exercises/", p, headers=h))
            ms = statistics.median(samples)
            medians.append(ms)
            total = _result_count(params) if not headers else "-"
            print(
                f"{name:32} {ms:10.1f} {samples[0]:7.1f} {statistics.median(cpu):7.1f} {counts_small[name]:11d} {big:12d} {total!s:>8}"
            )
        page5 = query_count(client, {"muscle": "CHEST", "muscle_mode": "any", "page": "5"}, {})
        overall = statistics.median(medians)
        print(f"\nqueries on page 1 vs page 5 of the same filter: {page1} vs {page5}")
        print(
            f"median of scenario medians at 10,000 exercises: {overall:.1f} ms (target ≤ {TARGET_MS:.0f} ms)"
        )
        print(f"slowest scenario: {max(medians):.1f} ms")
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
