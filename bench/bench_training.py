"""Workout flow speed: logging a set and the workout page, with three years of history.

Run: `.venv/bin/python bench/bench_training.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_training, created and dropped here), so the dev data is untouched.

History: ≈ 450 finished workouts over three years, ≈ 12,000 sets (issue 14's size). Then a workout
in progress from a 6-exercise session with 18 sets logged. Prints the median (p50) server time
(Django test client, in-process: routing, middleware, view, queries, template rendering), the
fastest run and this process's CPU time (the wall clock on a shared 2-core machine includes
waiting for a CPU), and the queries per request. Targets (issue 14): log a set p50 ≤ 15 ms and
≤ 6 queries; workout page ≤ 8 queries.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
import uuid
from decimal import Decimal

import _django

_django.setup("_bench_training")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402

settings.DEBUG = False
settings.TEMPLATES[0].setdefault("OPTIONS", {})["debug"] = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

RUNS = 60
WORKOUTS = 450
SETS_PER_WORKOUT = 27  # 450 × 27 ≈ 12,150


def timed(fn, runs: int = RUNS) -> tuple[float, float, float]:
    """(median wall ms, fastest wall ms, median CPU ms) after five warm-up runs."""
    for _ in range(5):
        fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu)


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def history(user, exercises) -> None:
    from training.models import SetLog, WorkoutLog

    now = dt.datetime.now(dt.UTC)
    logs = WorkoutLog.objects.bulk_create(
        WorkoutLog(
            user=user,
            session_name=f"Day {i % 4}",
            started_at=now - dt.timedelta(days=2 + i * 365 * 3 / WORKOUTS),
            finished_at=now - dt.timedelta(days=2 + i * 365 * 3 / WORKOUTS) + dt.timedelta(minutes=70),
        )
        for i in range(WORKOUTS)
    )
    batch = []
    for i, workout in enumerate(logs):
        for n in range(SETS_PER_WORKOUT):
            exercise = exercises[(i + n // 3) % len(exercises)]
            batch.append(
                SetLog(
                    workout_log=workout,
                    exercise=exercise,
                    weight_kg=Decimal(40 + (i % 30) + n % 3),
                    reps=8 + n % 5,
                    rir=Decimal(n % 4),
                    set_type="WARMUP" if n % 9 == 0 else "WORKING",
                    client_id=uuid.uuid4(),
                    order_index=n,
                    logged_at=workout.started_at + dt.timedelta(minutes=2 * n),
                )
            )
    SetLog.objects.bulk_create(batch, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workout_logs; ANALYZE set_logs; ANALYZE workout_exercises;")


def main() -> None:
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.tests.factories import UserFactory
        from exercises.tests.factories import ExerciseFactory
        from programs.models import SessionExercise, TrainingProgram, WorkoutSession
        from training.models import SetLog
        from training.services import workout_start

        user = UserFactory()
        exercises = [ExerciseFactory(name=f"Bench exercise {i}") for i in range(12)]
        history(user, exercises)
        program = TrainingProgram.objects.create(user=user, name="PPL", structure_type="WEEKLY", frequency=1)
        session = WorkoutSession.objects.create(program=program, name="Push A", day_of_week=0)
        for i, exercise in enumerate(exercises[:6]):
            SessionExercise.objects.create(
                session=session, exercise=exercise, order_index=i, sets=3, reps="8-12", rest_seconds=120
            )
        workout = workout_start(user=user, session=session)
        client = Client()
        client.force_login(user)
        sets_url = f"/training/{workout.pk}/sets/"
        page_url = f"/training/{workout.pk}/"

        def post_set(exercise_index: int = 0, client_id: str | None = None):
            response = client.post(
                sets_url,
                {
                    "exercise": str(exercises[exercise_index].pk),
                    "weight": "80",
                    "reps": "10",
                    "rir": "2",
                    "set_type": "WORKING",
                    "client_id": client_id or str(uuid.uuid4()),
                },
                headers={"HX-Request": "true"},
            )
            assert response.status_code in (200, 201), response.status_code
            return response

        for i in range(18):
            post_set(i % 6)
        resend_id = str(uuid.uuid4())
        post_set(0, resend_id)

        log_q = queries(post_set)
        resend_q = queries(lambda: post_set(0, resend_id))
        page_q = queries(lambda: client.get(page_url))
        log = timed(post_set)
        resend = timed(lambda: post_set(0, resend_id))
        # The page with the sets logged so far (18 + the timed ones): delete the timed sets first so
        # the page shows a realistic workout.
        SetLog.objects.filter(workout_log=workout).exclude(order_index__lt=19).delete()
        page = timed(lambda: client.get(page_url))

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        total = SetLog.objects.count()
        print(
            f"Workout flow with {WORKOUTS} past workouts / {total} sets ({RUNS} runs; load average {load:.1f}, "
            f"{os.cpu_count()} CPUs)"
        )
        print(f"  {'':26}{'p50':>9}{'fastest':>10}{'py CPU':>10}{'queries':>9}   target")
        for name, (p50, best, cpu), count, target in (
            ("log a set", log, log_q, "p50 ≤ 15 ms, ≤ 6 queries"),
            ("log a set again (resend)", resend, resend_q, "changes nothing"),
            ("workout page (6 × 3 sets)", page, page_q, "≤ 8 queries"),
        ):
            print(f"  {name:26}{p50:7.2f}ms{best:8.2f}ms{cpu:8.2f}ms{count:>9}   {target}")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
