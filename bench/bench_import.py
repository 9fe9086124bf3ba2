"""History import speed and memory: a generated 5-year Strong file (~50,000 rows).

Run: `.venv/bin/python bench/bench_import.py [ROWS]` (or `make bench`). Works in a dedicated,
throw-away database (test_hypertroq_bench_import, created and dropped here).

Writes a Strong CSV (four workouts a week for five years, 12 exercises, warm-ups, drop sets, RPE),
then times, in-process: reading the file (parse), preparing the import (parse + matching the
names to the library), and running it (parse again + duplicate check + bulk inserts in one
transaction), then the same file again (all duplicates), and undo. Peak memory: Python's
allocations during the run (tracemalloc, a separate run after undo, since tracing slows it) and
the process's peak resident size.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import resource
import sys
import time
import tracemalloc

import _django

_django.setup("_bench_import")

from django.conf import settings  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

settings.DEBUG = False

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
LIFTS = [
    ("Bench Press (Barbell)", "Barbell Bench Press", 80),
    ("Squat (Barbell)", "Barbell Back Squat", 110),
    ("Deadlift (Barbell)", "Conventional Deadlift", 140),
    ("Overhead Press (Barbell)", "Overhead Press", 50),
    ("Bent Over Row (Barbell)", "Barbell Row", 70),
    ("Pull Up", "Pull-Up", 0),
    ("Lateral Raise (Dumbbell)", "Dumbbell Lateral Raise", 10),
    ("Bicep Curl (Barbell)", "Barbell Curl", 30),
    ("Triceps Pushdown (Cable - Straight Bar)", "Triceps Pushdown", 25),
    ("Leg Press (Machine)", "Leg Press", 180),
    ("Lying Leg Curl (Machine)", "Lying Leg Curl", 40),
    ("Incline Bench Press (Dumbbell)", "Dumbbell Incline Press", 30),
]


def strong_file(rows: int) -> bytes:
    """A Strong export of ``rows`` set rows, oldest first (4 workouts a week)."""
    rng = random.Random(17)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Date",
            "Workout Name",
            "Duration",
            "Exercise Name",
            "Set Order",
            "Weight",
            "Reps",
            "Distance",
            "Seconds",
            "Notes",
            "Workout Notes",
            "RPE",
        ]
    )
    day = dt.datetime(2021, 1, 4, 18, 0, 0)  # noqa: DTZ001 (a local time, as Strong writes it)
    written = 0
    workout = 0
    while written < rows:
        start = day + dt.timedelta(
            days=(workout // 4) * 7 + (0, 1, 3, 4)[workout % 4], minutes=rng.randint(0, 90)
        )
        name = ("Upper A", "Lower A", "Upper B", "Lower B")[workout % 4]
        duration = f"{rng.randint(1, 2)}h {rng.randint(0, 59)}m"
        for lift, _, base in rng.sample(LIFTS, 6):
            orders = ["W", "1", "2", "3", "4", "5", "6", "D"]
            for order in orders:
                if written >= rows:
                    break
                weight = base * (0.5 if order == "W" else 0.8 if order == "D" else 1) + (workout // 40) * 2.5
                rpe = "" if order == "W" else str(rng.choice([7, 7.5, 8, 8.5, 9, 10]))
                writer.writerow(
                    [
                        start.strftime("%Y-%m-%d %H:%M:%S"),
                        name,
                        duration,
                        lift,
                        order,
                        f"{weight:.1f}",
                        rng.randint(5, 12),
                        0,
                        0,
                        "",
                        "",
                        rpe,
                    ]
                )
                written += 1
        workout += 1
    return out.getvalue().encode()


def main() -> None:
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.tests.factories import UserFactory
        from exercises.tests.factories import ExerciseFactory
        from training.imports.formats import parse_file
        from training.imports.runner import import_run
        from training.imports.services import MAP, Decision, import_confirm, import_prepare, import_undo
        from training.models import SetLog

        for _, library_name, _ in LIFTS:
            ExerciseFactory(name=library_name)
        user = UserFactory()
        data = strong_file(ROWS)
        print(f"file: {ROWS} rows, {len(data) / 1024 / 1024:.1f} MB")

        t0 = time.perf_counter()
        parsed = parse_file(data, unit="kg")
        print(
            f"parse only: {time.perf_counter() - t0:.2f} s ({parsed.set_count} sets in {len(parsed.workouts)} workouts)"
        )

        def full_import(label: str, *, trace: bool = False) -> object:
            t = time.perf_counter()
            history_import = import_prepare(
                user=user, data=data, file_name="strong.csv", unit="kg", semantic=False
            )
            prepared = time.perf_counter() - t
            unmatched = [e["name"] for e in history_import.names if not e["exercise_id"]]
            decisions = {
                e["name"]: Decision(MAP, e["exercise_id"]) for e in history_import.names if e["exercise_id"]
            }
            import_confirm(user=user, history_import=history_import, decisions=decisions, enqueue=False)
            if trace:
                tracemalloc.start()
            t = time.perf_counter()
            done = import_run(import_id=history_import.pk)
            ran = time.perf_counter() - t
            peak = tracemalloc.get_traced_memory()[1] if trace else 0
            if trace:
                tracemalloc.stop()
            assert done is not None
            print(
                f"{label}: prepare (read + match {len(history_import.names)} names) {prepared:.2f} s, "
                f"run (job body) {ran:.2f} s, total {prepared + ran:.2f} s; "
                f"{done.workouts_added} workouts / {done.sets_added} sets added, "
                f"{done.duplicate_workouts} duplicate workouts"
                + (f"; unmatched: {unmatched}" if unmatched else "")
                + (f"; Python peak during the run {peak / 1024 / 1024:.0f} MB" if trace else "")
            )
            return done

        first = full_import("first import")
        full_import("same file again")
        t = time.perf_counter()
        import_undo(user=user, history_import=first)
        print(f"undo: {time.perf_counter() - t:.2f} s, sets left {SetLog.objects.count()}")
        full_import("after undo, traced", trace=True)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process peak resident size: {rss:.0f} MB")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
