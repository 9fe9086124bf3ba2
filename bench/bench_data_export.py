""" "Download my data" for a heavy lifter: five years of log (780 workouts, ~50,000 sets), 5
programs, 600 measurements and 24 progress photos.

Run: `.venv/bin/python bench/bench_data_export.py`. Works in a dedicated, throw-away database
(test_hypertroq_bench_export, created and dropped here).

Prints the time the job takes to build the ZIP (``portability.runner.data_export_build``), the
queries it makes, the Python memory it allocated at its peak (tracemalloc) and the process's peak
resident size, and the archive's size.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import resource
import time
import tracemalloc
import uuid
from decimal import Decimal

import _django

_django.setup("_bench_export")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, teardown_databases  # noqa: E402

settings.DEBUG = False
WEEKS = 260
EXERCISES_PER_WORKOUT = 8
SETS_PER_EXERCISE = 8


def build(user, exercises) -> int:
    from training.models import SetLog, SetType, WorkoutLog

    rng = random.Random(17)
    now = dt.datetime.now(dt.UTC).replace(hour=18, minute=0, second=0, microsecond=0)
    workouts = [
        WorkoutLog(
            user=user,
            session_name=f"Day {day}",
            program_name="Upper Lower",
            started_at=now - dt.timedelta(weeks=week, days=day),
            finished_at=now - dt.timedelta(weeks=week, days=day) + dt.timedelta(minutes=70),
        )
        for week in range(WEEKS)
        for day in (0, 2, 4)
    ]
    WorkoutLog.objects.bulk_create(workouts, batch_size=500)
    sets = []
    for n, workout in enumerate(workouts):
        for k in range(EXERCISES_PER_WORKOUT):
            exercise = exercises[(n + k) % len(exercises)]
            for s in range(SETS_PER_EXERCISE):
                sets.append(
                    SetLog(
                        workout_log=workout,
                        exercise=exercise,
                        weight_kg=Decimal(40 + rng.randint(0, 80)),
                        reps=rng.randint(5, 12),
                        rir=Decimal(rng.randint(0, 4)),
                        set_type=SetType.WARMUP if s == 0 else SetType.WORKING,
                        client_id=uuid.uuid4(),
                        order_index=k * SETS_PER_EXERCISE + s,
                        logged_at=workout.started_at + dt.timedelta(minutes=k * 8 + s),
                    )
                )
    SetLog.objects.bulk_create(sets, batch_size=5000)
    return len(sets)


def main() -> None:
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.tests.factories import UserFactory
        from body import photo_services
        from body.models import Kind
        from body.tests.factories import MeasurementFactory
        from body.tests.photos import jpeg_with_exif
        from exercises.tests.factories import ExerciseFactory
        from portability.models import DataExport
        from portability.runner import data_export_build, export_path
        from programs.tests.factories import (
            SessionExerciseFactory,
            TrainingProgramFactory,
            WorkoutSessionFactory,
        )

        user = UserFactory()
        exercises = [ExerciseFactory(name=f"Exercise {i}") for i in range(24)]
        for p in range(5):
            program = TrainingProgramFactory(user=user, name=f"Program {p}", frequency=4)
            for s in range(4):
                session = WorkoutSessionFactory(program=program, name=f"Day {s}", order_index=s)
                for k in range(6):
                    SessionExerciseFactory(
                        session=session, exercise=exercises[(s * 6 + k) % 24], sets=3, order_index=k
                    )
        start = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=600)
        for i in range(300):
            MeasurementFactory(user=user, kind=Kind.BODY_WEIGHT, measured_on=start + dt.timedelta(days=2 * i))
            MeasurementFactory(user=user, kind=Kind.WAIST, measured_on=start + dt.timedelta(days=2 * i))
        today = dt.datetime.now(dt.UTC).date()
        for i in range(24):
            data = jpeg_with_exif(size=(1500, 2000), orientation=1)
            photo_services.photo_upload(
                user=user,
                upload=io.BytesIO(data),
                size=len(data),
                taken_on=start + dt.timedelta(days=25 * i),
                pose="FRONT",
                today=today,
            )
        sets = build(user, exercises)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE workout_logs; ANALYZE set_logs")
        # First run timed (no tracing), second run traced for memory (tracemalloc slows Python).
        export = DataExport.objects.create(user=user)  # as the request makes it; the job is timed
        began = time.perf_counter()
        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            data_export_build(export_id=export.pk)
        wall = time.perf_counter() - began
        cpu = time.process_time() - cpu
        export = DataExport.objects.get(pk=export.pk)
        export_path(export).unlink(missing_ok=True)
        DataExport.objects.filter(pk=export.pk).update(status="expired")
        traced = DataExport.objects.create(user=user)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        data_export_build(export_id=traced.pk)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        export_path(traced).unlink(missing_ok=True)
        print(f"log: {sets:,} sets in {WEEKS * 3} workouts; 5 programs, 600 measurements, 24 photos")
        print(f"build: {wall:.1f} s wall, {cpu:.1f} s CPU (this process), {len(queries)} queries")
        print(
            f"memory: Python peak {peak / 2**20:.0f} MiB (tracemalloc); "
            f"process peak RSS {rss_before / 1024:.0f} -> {rss_after / 1024:.0f} MiB"
        )
        print(f"archive: {export.size_bytes / 2**20:.1f} MiB ({export.status})")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
