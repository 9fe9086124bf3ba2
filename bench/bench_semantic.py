"""Semantic ("Describe what you want") search speed, model warm.

Run: `.venv/bin/python bench/bench_semantic.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_semantic, created and dropped here): the seeded library (256 real
exercises, embedded with the real model), then again with 10,000 extra exercises (random unit
vectors) to show the HNSW index keeps it flat.

Prints medians of the server time (Django test client, in-process) of the library page with a new
description each time, as the search button sends it (a POST: one AI query charged, the query's
embedding computed by one model call) — target ≤ 50 ms — and the same descriptions again as a GET
(paging, reload: the results already paid for, the embedding from the cache, nothing charged) —
target ≤ 10 ms — plus the selector alone. The cache is the configured one (Redis when REDIS_URL is set, else local memory).
"""

from __future__ import annotations

import os
import statistics
import time
from io import StringIO

import _django

_django.setup("_bench_semantic")

from django.conf import settings  # noqa: E402

settings.DEBUG = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

TARGET_NEW_MS = 50.0
TARGET_REPEAT_MS = 10.0
SUBJECTS = [
    "rear delts",
    "knee-friendly quads",
    "upper chest",
    "lats for beginners",
    "grip strength",
    "glutes at home",
    "hamstrings on a machine",
    "side delts",
    "triceps with cables",
    "calves seated",
    "obliques",
    "lower back",
    "biceps stretch",
    "traps",
    "hip hinge",
    "inner thighs",
]
STYLES = [
    "{} with dumbbells",
    "{} without a barbell",
    "easy {} exercise",
    "{} for hypertrophy",
    "{} with a band",
]


def texts(n: int, offset: int = 0) -> list[str]:
    out = []
    i = offset
    while len(out) < n:
        out.append(STYLES[i % len(STYLES)].format(SUBJECTS[(i // len(STYLES)) % len(SUBJECTS)]) + f" {i}")
        i += 1
    return out


def timed(fn, items) -> list[tuple[float, float]]:
    """(wall ms, CPU ms of this process) per call. On a busy machine the wall time includes waiting
    for a core; the CPU time does not (PostgreSQL's share runs in its own process)."""
    samples = []
    for item in items:
        start, cpu = time.perf_counter(), time.process_time()
        fn(item)
        samples.append(((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000))
    return samples


def measure(client: Client, label: str, offset: int) -> None:
    from exercises.selectors import exercise_semantic_search

    def ask(text: str) -> None:
        """The search button: a POST spends one AI query and embeds the description."""
        response = client.post("/exercises/", {"ask": text}, headers={"HX-Request": "true"})
        assert response.status_code == 200 and b"Best matches" in response.content, response.content[:300]

    def again(text: str) -> None:
        """The same search as a GET (paging, reload, the back button): the results already paid
        for, within the reuse window; the embedding comes from the cache and nothing is charged."""
        response = client.get("/exercises/", {"ask": text}, headers={"HX-Request": "true"})
        assert response.status_code == 200 and b"Best matches" in response.content, response.content[:300]

    fresh = texts(40, offset)
    for text in texts(5, offset + 1000):  # warm-up
        ask(text)
    new_ms = timed(ask, fresh)
    repeat_ms = timed(again, fresh)
    selector_ms = timed(lambda t: exercise_semantic_search(user=None, text=t, limit=40), fresh)
    print(f"\n{label}   (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(
        f"  page, new description (POST, embeds):      {summary(new_ms)}  (target median ≤ {TARGET_NEW_MS:.0f})"
    )
    print(
        f"  page, repeated as a GET (cached):          {summary(repeat_ms)}  (target median ≤ {TARGET_REPEAT_MS:.0f})"
    )
    print(f"  selector alone, cached query embedding:    {summary(selector_ms)}")


def summary(samples: list[tuple[float, float]]) -> str:
    wall = sorted(w for w, _ in samples)
    cpu = sorted(c for _, c in samples)
    return (
        f"median {statistics.median(wall):6.1f} ms (min {wall[0]:5.1f}; "
        f"this process's CPU median {statistics.median(cpu):5.1f} ms)"
    )


def main() -> None:
    config = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        from accounts.models import User
        from exercises import embeddings
        from exercises.models import Exercise
        from exercises.tests.bulk import bulk_insert_exercises, vacuum_analyze

        started = time.perf_counter()
        embeddings.runtime().model()
        print(f"model ready in {time.perf_counter() - started:.1f} s (import + load, once per process)")
        print(f"cache backend: {settings.CACHES['default']['BACKEND']}")
        call_command("seed", stdout=StringIO())
        embeddings.embed_exercises(embeddings.exercises_needing_embedding())
        user = User.objects.create_user("bench-semantic@example.com", "bench-password-123", full_name="Bench")
        user.subscription_tier = "pro"
        user.ai_queries_limit = None
        user.save()
        user.organization.ai_queries_limit = None
        user.organization.save()
        client = Client()
        client.force_login(user)
        cache.clear()
        measure(client, f"seeded library ({Exercise.objects.count()} exercises)", 0)
        bulk_insert_exercises(10_000, seed=3, prefix="Synthetic")
        vacuum_analyze()
        measure(client, f"seeded + 10,000 synthetic ({Exercise.objects.count()} exercises, HNSW)", 100)
    finally:
        cache.clear()
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
