"""Training history speed with three years of log: ~450 workouts, ~12,000 sets.

Run: `.venv/bin/python bench/bench_training_history.py` (or `make bench`). Works in a dedicated,
throw-away database (test_hypertroq_bench_training, created and dropped here).

Prints the median server time (Django test client, in-process: routing, middleware, view, queries,
template rendering), the fastest run, this process's CPU time and the time spent waiting on the
database (on a shared 2-core machine other processes inflate the wall clock; CPU + DB is what the
request itself costs) of: the history page (target ≤ 50 ms), an exercise's history
for the lifter's most-done exercise (≤ 50 ms), volume.json for one week (≤ 20 ms), plus the
planned-vs-done page (12 weeks), a workout's read-only page and the performed-volume query alone.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
import uuid
from decimal import Decimal

import _django

_django.setup("_bench_training")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

settings.DEBUG = False
settings.TEMPLATES[0].setdefault("OPTIONS", {})["debug"] = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

RUNS = 60
WEEKS = 150  # three years at three workouts a week = 450 workouts
BEST: dict[str, float] = {}
CPU: dict[str, float] = {}
DB: dict[str, float] = {}  # median time inside the database calls (its own process's work + wire)
_db_ms = [0.0]


def _timed(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        _db_ms[0] += (time.perf_counter() - start) * 1000


CONTRIBUTIONS = [
    {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5},
    {"LATS": 1.0, "ELBOW_FLEXORS": 0.5, "TRAPS_RHOMBOIDS": 0.5, "REAR_DELTS": 0.25, "FOREARMS": 0.25},
    {"QUADRICEPS": 1.0, "GLUTES": 0.5, "ADDUCTORS": 0.5, "SPINAL_ERECTORS": 0.25},
    {"HAMSTRINGS": 1.0, "GLUTES": 0.5, "SPINAL_ERECTORS": 0.5},
    {"SIDE_DELTS": 1.0, "TRAPS_RHOMBOIDS": 0.25},
    {"ELBOW_FLEXORS": 1.0, "FOREARMS": 0.25},
    {"TRICEPS": 1.0},
    {"CALVES": 1.0},
]


def median_ms(fn, label: str, runs: int = RUNS) -> float:
    for _ in range(5):
        fn()
    from django.db import connection

    samples, cpu, db = [], [], []
    with connection.execute_wrapper(_timed):
        for _ in range(runs):
            _db_ms[0] = 0.0
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            db.append(_db_ms[0])
    BEST[label] = min(samples)
    CPU[label] = statistics.median(cpu)
    DB[label] = statistics.median(db)
    return statistics.median(samples)


def build_log(user, exercises, program, sessions) -> tuple[int, int]:
    """Three workouts a week for WEEKS weeks, ~27 sets each (warm-ups, working sets, some drops)."""
    from training.models import SetLog, SetType, WorkoutLog

    rng = random.Random(14)
    now = dt.datetime.now(dt.UTC).replace(hour=18, minute=0, second=0, microsecond=0)
    monday = now - dt.timedelta(days=now.weekday())
    workouts = []
    for week in range(WEEKS):
        for i, day in enumerate((0, 2, 4)):
            started = monday - dt.timedelta(weeks=week) + dt.timedelta(days=day)
            if started > now:
                started -= dt.timedelta(weeks=WEEKS)
            session = sessions[i % len(sessions)]
            workouts.append(
                WorkoutLog(
                    user=user,
                    program=program,
                    session=session,
                    program_name=program.name,
                    session_name=session.name,
                    started_at=started,
                    finished_at=started + dt.timedelta(minutes=rng.randint(50, 90)),
                )
            )
    WorkoutLog.objects.bulk_create(workouts, batch_size=500)
    sets = []
    for n, workout in enumerate(workouts):
        chosen = [exercises[(n % 3) * 6 + k] for k in range(6)]
        order = 0
        weeks_ago = (now - workout.started_at).days / 7
        for exercise in chosen:
            base = Decimal(60 + (hash(exercise.name) % 40)) - Decimal(int(weeks_ago // 10)) * Decimal("2.5")
            for kind, count in ((SetType.WARMUP, 1), (SetType.WORKING, 3)):
                for _ in range(count):
                    sets.append(
                        SetLog(
                            workout_log=workout,
                            exercise=exercise,
                            weight_kg=max(base / 2 if kind == SetType.WARMUP else base, Decimal(0)),
                            reps=rng.randint(6, 12),
                            rir=None if rng.random() < 0.2 else Decimal(rng.choice([0, 1, 1.5, 2, 3, 4, 5])),
                            set_type=kind,
                            client_id=uuid.uuid4(),
                            order_index=order,
                            logged_at=workout.started_at + dt.timedelta(minutes=3 * order),
                        )
                    )
                    order += 1
        if n % 2 == 0:
            for exercise in chosen[:3]:
                sets.append(
                    SetLog(
                        workout_log=workout,
                        exercise=exercise,
                        weight_kg=Decimal(40),
                        reps=10,
                        rir=Decimal(0),
                        set_type=SetType.DROP,
                        client_id=uuid.uuid4(),
                        order_index=order,
                        logged_at=workout.started_at + dt.timedelta(minutes=3 * order),
                    )
                )
                order += 1
    SetLog.objects.bulk_create(sets, batch_size=2000)
    return len(workouts), len(sets)


def main() -> None:
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from django.db import connection

        from accounts.tests.factories import UserFactory, UserPreferencesFactory
        from exercises.tests.factories import ExerciseFactory
        from programs.tests.factories import (
            SessionExerciseFactory,
            TrainingProgramFactory,
            WorkoutSessionFactory,
        )
        from training.analysis.settings import training_settings_for
        from training.analysis.volume import performed_by_week
        from training.domain.weeks import IsoWeek
        from training.models import SetLog
        from training.tests.factories import TrainingPreferencesFactory

        user = UserFactory(subscription_tier="pro")
        exercises = [
            ExerciseFactory(
                name=f"Bench exercise {i}", muscle_contributions=CONTRIBUTIONS[i % len(CONTRIBUTIONS)]
            )
            for i in range(18)
        ]
        program = TrainingProgramFactory(user=user, name="Push Pull Legs", frequency=3)
        sessions = [
            WorkoutSessionFactory(program=program, name=name, day_of_week=day, order_index=i)
            for i, (name, day) in enumerate((("Push", 0), ("Pull", 2), ("Legs", 4)))
        ]
        for i, session in enumerate(sessions):
            for k in range(6):
                SessionExerciseFactory(session=session, exercise=exercises[i * 6 + k], sets=3, order_index=k)
        TrainingPreferencesFactory(user=user, current_program=program)
        UserPreferencesFactory(user=user, time_zone="Europe/Berlin")
        workouts, sets = build_log(user, exercises, program, sessions)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE workout_logs; ANALYZE set_logs; ANALYZE exercises")

        client = Client()
        client.force_login(user)
        week = IsoWeek.of(dt.datetime.now(dt.UTC), training_settings_for(user=user).tz).previous()
        top = SetLog.objects.filter(workout_log__user=user).values("exercise_id").order_by().first()
        assert top is not None
        latest = user.workouts.order_by("-started_at").first()
        urls = {
            "history": "/training/history/",
            "exercise": f"/training/exercises/{top['exercise_id']}/",
            "json": f"/training/volume.json?week={week}",
            "volume": f"/training/volume/?week={week}",
            "workout": f"/training/history/{latest.pk}/",
        }
        for url in urls.values():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        results = {label: median_ms(lambda url=url: client.get(url), label) for label, url in urls.items()}
        settings_ = training_settings_for(user=user)
        results["query12"] = median_ms(
            lambda: performed_by_week(users=[(user, settings_)], first=week.shift(-11), last=week), "query12"
        )
        exercise_sets = SetLog.objects.filter(exercise_id=top["exercise_id"]).count()

        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(
            f"Training history: {workouts} workouts, {sets} sets over {WEEKS} weeks "
            f"({RUNS} runs; load average {load:.1f}, {os.cpu_count()} CPUs)"
        )
        print(f"  {'':34}{'median':>9}{'fastest':>10}{'py CPU':>10}{'in DB':>10}   target")
        for label, name, target in (
            ("history", "history page", 50),
            ("exercise", f"exercise history ({exercise_sets} sets)", 50),
            ("json", "volume.json (one week)", 20),
            ("volume", "planned vs done page (12 weeks)", None),
            ("workout", "a workout, read-only (PRs)", None),
            ("query12", "performed query, 12 weeks", None),
        ):
            value = results[label]
            verdict = "" if target is None else f"≤ {target} ms  {'OK' if value <= target else 'SLOW'}"
            print(
                f"  {name:34}{value:7.2f}ms{BEST[label]:8.2f}ms{CPU[label]:8.2f}ms{DB[label]:8.2f}ms   {verdict}"
            )
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
