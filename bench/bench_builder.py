"""Program builder speed: builder page, volume.json, and the one-query volume aggregation.

Run: `.venv/bin/python bench/bench_builder.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_builder, created and dropped here), so the dev data is untouched.

Prints the median server time (wall clock; also the fastest run and the Django process's CPU
time, since on a shared 2-core machine other processes' load inflates the wall clock) (Django test client, in-process: URL routing, middleware, view,
queries, template rendering) of the builder page and volume.json for a 6-session × 6-exercise
program (target ≤ 6 ms, issue 18), the templates list (the six seeded templates), the aggregation alone (target ≤ 5 ms), and a table of the aggregation at
10, 100 and 1,000 session exercises to show that it grows linearly.
"""

from __future__ import annotations

import os
import statistics
import time

import _django

REDIS = _django.production_cache("bench_builder")  # Redis like production, when one is named

_django.setup("_bench_builder")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

# Measure like production: no DEBUG (no query log, no template debug info) and no test-runner
# template instrumentation (so no setup_test_environment(); the test client's host is allowed here).
settings.DEBUG = False
settings.TEMPLATES[0].setdefault("OPTIONS", {})["debug"] = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

RUNS = 60


BEST: dict[str, float] = {}
CPU: dict[str, float] = {}  # median CPU time of this (Django) process: immune to waiting for a CPU


def median_ms(fn, runs: int = RUNS, label: str = "") -> float:
    """Median wall time in ms. The fastest run is kept in BEST[label]: it shows the cost without
    other processes competing for the CPU, which the median on a busy 2-core machine does not."""
    for _ in range(5):  # warm-up: template loading, connection, caches
        fn()
    samples = []
    cpu = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    if label:
        BEST[label] = min(samples)
        CPU[label] = statistics.median(cpu)
    return statistics.median(samples)


def build(user, exercises, *, sessions: int, per_session: int, structure_type: str = "WEEKLY"):
    from programs.models import SessionExercise, TrainingProgram, WorkoutSession

    program = TrainingProgram.objects.create(
        user=user,
        name=f"Bench {sessions}x{per_session}",
        structure_type=structure_type,
        frequency=min(sessions, 7),
    )
    weekly = structure_type == "WEEKLY"
    rows = WorkoutSession.objects.bulk_create(
        [
            WorkoutSession(
                program=program, name=f"Day {i + 1}", day_of_week=i if weekly else None, order_index=i
            )
            for i in range(sessions)
        ]
    )
    SessionExercise.objects.bulk_create(
        [
            SessionExercise(
                session=session,
                exercise=exercises[(i * per_session + j) % len(exercises)],
                order_index=j,
                sets=3,
                reps="8-12",
            )
            for i, session in enumerate(rows)
            for j in range(per_session)
        ]
    )
    return program


def main() -> None:
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.tests.factories import UserFactory
        from exercises.tests.factories import ExerciseFactory
        from programs.selectors import program_volume_for, program_volume_rows

        user = UserFactory(subscription_tier="pro")
        contributions = [
            {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5},
            {"LATS": 1.0, "ELBOW_FLEXORS": 0.5, "TRAPS_RHOMBOIDS": 0.5, "REAR_DELTS": 0.25, "FOREARMS": 0.25},
            {"QUADRICEPS": 1.0, "GLUTES": 0.5, "ADDUCTORS": 0.5, "SPINAL_ERECTORS": 0.25},
            {"HAMSTRINGS": 1.0, "GLUTES": 0.5, "SPINAL_ERECTORS": 0.5},
            {"SIDE_DELTS": 1.0, "TRAPS_RHOMBOIDS": 0.25},
            {"CALVES": 1.0},
        ]
        exercises = [
            ExerciseFactory(muscle_contributions=contributions[i % len(contributions)]) for i in range(48)
        ]
        client = Client()
        client.force_login(user)

        program = build(user, exercises, sessions=6, per_session=6)
        page_url = f"/programs/{program.pk}/"
        json_url = f"/programs/{program.pk}/volume.json"
        assert client.get(page_url).status_code == 200
        assert client.get(json_url).status_code == 200
        page_bytes = len(client.get(page_url).content)
        page_ms = median_ms(lambda: client.get(page_url), label="page")
        from django.core.management import call_command

        call_command("seed", stdout=open(os.devnull, "w"))  # noqa: SIM115  (the six templates)
        templates_url = "/programs/templates/"
        templates_bytes = len(client.get(templates_url).content)
        templates_ms = median_ms(lambda: client.get(templates_url), label="templates")

        # An edit: one row's sets saved through htmx (the row, the volume panel and a toast come
        # back), alternating 3 and 4 sets so every request changes the program.
        from django.db import connection

        from programs.models import SessionExercise

        row = SessionExercise.objects.filter(session__program=program).order_by("pk").first()
        edit_url = f"/programs/{program.pk}/exercises/{row.pk}/edit/"
        flip = iter(range(10**6))

        def edit():
            sets = 3 + next(flip) % 2
            response = client.post(
                edit_url,
                {"sets": sets, "reps": "8-12", "rest_seconds": "", "notes": ""},
                headers={"HX-Request": "true"},
            )
            assert response.status_code == 200, response.status_code

        edit_queries: list[str] = []  # (the test client's request_started empties connection.queries)
        with connection.execute_wrapper(
            lambda execute, sql, *args: edit_queries.append(sql) or execute(sql, *args)
        ):
            edit()
        edit_ms = median_ms(edit, label="edit")
        # The page right after an edit: its regions are rendered afresh (a cache miss: the edit
        # raised the program's content_version, which the fragments' keys carry; before those
        # keys, alternating 3 and 4 sets made the same rows twice over, hence cache hits here).
        after_edit, after_edit_cpu = [], []
        for _ in range(20):
            edit()
            start, start_cpu = time.perf_counter(), time.process_time()
            client.get(page_url)
            after_edit.append((time.perf_counter() - start) * 1000)
            after_edit_cpu.append((time.process_time() - start_cpu) * 1000)
        BEST["miss"], CPU["miss"] = min(after_edit), statistics.median(after_edit_cpu)
        miss_ms = statistics.median(after_edit)
        json_ms = median_ms(lambda: client.get(json_url), label="json")
        query_ms = median_ms(lambda: program_volume_rows(program_ids=[program.pk]), label="query")
        volume_ms = median_ms(lambda: program_volume_for(program=program, user=user), label="volume")

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        engine = settings.SESSION_ENGINE.rsplit(".", 1)[-1]
        print(
            f"Program builder, 6 sessions × 6 exercises ({RUNS} runs; load average {load:.1f}, "
            f"{os.cpu_count()} CPUs; cache {backend}, sessions {engine})"
        )
        print(f"  {'':24}{'median':>9}{'fastest':>10}{'py CPU':>10}   target")
        for label, name, value, target in (
            ("page", "builder page", page_ms, 6),
            ("miss", "builder after an edit", miss_ms, None),
            ("edit", "edit (htmx, sets)", edit_ms, None),
            ("templates", "templates list", templates_ms, None),
            ("json", "volume.json", json_ms, 25),
            ("query", "aggregation query", query_ms, 5),
            ("volume", "query + interpretation", volume_ms, None),
        ):
            verdict = "" if target is None else f"≤ {target} ms  {'OK' if value <= target else 'SLOW'}"
            print(f"  {name:24}{value:7.2f}ms{BEST[label]:8.2f}ms{CPU[label]:8.2f}ms   {verdict}")
        print(f"  edit: {len(edit_queries)} queries (budget ≤ 10)")
        print(
            f"  builder page HTML {page_bytes:,} bytes (target ≤ 80,000); templates list {templates_bytes:,} bytes"
        )
        print()
        print("Aggregation (one query) by program size")
        print(
            f"  {'session exercises':>17}  {'sessions':>8}  {'query ms':>9}  {'µs / row':>9}  {'query+maths ms':>14}"
        )
        for sessions, per_session in ((2, 5), (10, 10), (20, 50)):
            sized = build(
                user, exercises, sessions=sessions, per_session=per_session, structure_type="CYCLIC"
            )
            count = sessions * per_session
            q = median_ms(lambda sized=sized: program_volume_rows(program_ids=[sized.pk]), runs=30)
            full = median_ms(lambda sized=sized: program_volume_for(program=sized, user=user), runs=30)
            print(f"  {count:>17}  {sessions:>8}  {q:>9.2f}  {q * 1000 / count:>9.1f}  {full:>14.2f}")
    finally:
        if REDIS:  # this run's keys (its prefix) go with it
            from django.core.cache import cache

            cache.delete_pattern("*")  # type: ignore[attr-defined]
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
