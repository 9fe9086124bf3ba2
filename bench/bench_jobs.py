"""Job queue speed: a worker's jobs/s for a no-op job and for the mail job, enqueue-to-start
latency at idle, sign-up's response time with the mail sent in the request vs queued (with an
in-memory mail backend and with a mail server 200 ms away), and the cost of the training log's
jobs: the week-start job (weekly digest + below-MEV notice) per lifter, and the personal-records
notification after a workout.

Run: `.venv/bin/python bench/bench_jobs.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_jobs, created and dropped here) on the embedded PostgreSQL, with a
real procrastinate worker in this process (psycopg connector, concurrency 1) and Django's
in-memory mail backend (so the mail figure is the queue's and the outbox's cost, not an SMTP
server's). Prints each run and the median.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import statistics
import threading
import time
import uuid

import _django

_django.setup(os.environ.get("BENCH_JOBS_DB_SUFFIX", "_bench_jobs"))

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

N = int(os.environ.get("BENCH_JOBS_N", "1000"))
RUNS = int(os.environ.get("BENCH_JOBS_RUNS", "3"))
LATENCY_SAMPLES = int(os.environ.get("BENCH_JOBS_LATENCY_SAMPLES", "40"))
SIGNUPS = int(os.environ.get("BENCH_JOBS_SIGNUPS", "30"))


def clear_queue() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, "
            "procrastinate_workers RESTART IDENTITY CASCADE"
        )


def drain(concurrency: int = 1) -> float:
    """Run a worker until the queue is empty; seconds taken."""
    from procrastinate.contrib.django import app

    with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
        start = time.perf_counter()
        app.run_worker(
            wait=False,
            install_signal_handlers=False,
            listen_notify=False,
            queues=["default", "mail"],
            concurrency=concurrency,
        )
        return time.perf_counter() - start


def noop_rate(concurrency: int = 1) -> float:
    from hypertroq.tasks import noop

    clear_queue()
    noop.batch_defer(*[{} for _ in range(N)])
    return N / drain(concurrency)


def mail_rate(concurrency: int = 1) -> float:
    from django.core import mail

    from hypertroq.mail import email_queue

    clear_queue()
    mail.outbox = []
    with transaction.atomic():
        for n in range(N):
            email_queue(to=f"lifter{n}@example.org", subject="Bench", body="A short body.\n" * 5)
    rate = N / drain(concurrency)
    assert len(mail.outbox) == N, len(mail.outbox)
    return rate


def idle_latency() -> list[float]:
    """Defer one no-op job at a time to an idle, listening worker; milliseconds from the job's
    'deferred' event to its 'started' event (both stamped by PostgreSQL)."""
    from procrastinate.contrib.django import app

    from hypertroq.tasks import noop

    clear_queue()
    stop = threading.Event()

    def run_worker() -> None:
        async def main() -> None:
            async with app.open_async():
                worker = asyncio.create_task(
                    app.run_worker_async(wait=True, install_signal_handlers=False, queues=["default"])
                )
                while not stop.is_set():
                    await asyncio.sleep(0.05)
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker

        asyncio.run(main())

    with app.replace_connector(app.connector.get_worker_connector()):  # type: ignore[attr-defined]
        thread = threading.Thread(target=run_worker)
        thread.start()
        time.sleep(1.5)  # the worker is up and idle, listening
        ids = []
        for _ in range(LATENCY_SAMPLES):
            ids.append(noop.defer())
            time.sleep(0.25)  # idle again before the next one
        time.sleep(0.5)
        stop.set()
        thread.join(timeout=30)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT EXTRACT(EPOCH FROM s.at - d.at) * 1000
              FROM procrastinate_events d JOIN procrastinate_events s ON s.job_id = d.job_id
             WHERE d.type = 'deferred' AND s.type = 'started' AND d.job_id = ANY(%s)
            """,
            [ids],
        )
        return sorted(float(row[0]) for row in cursor.fetchall())


def signup_ms(
    backend: str = "django.core.mail.backends.locmem.EmailBackend",
) -> tuple[list[float], list[float]]:
    """Sign-up POST times, alternating (the host's load drifts): eager = the mail is sent inside
    the request at commit, as before the queue; queued = the request stores the outbox row and
    defers the job."""
    settings.EMAIL_BACKEND = backend
    client = Client()
    eager: list[float] = []
    queued: list[float] = []
    for n in range(SIGNUPS * 2 + 2):
        settings.JOBS_EAGER = n % 2 == 0
        data = {
            "full_name": "Bench Lifter",
            "email": f"bench-{n}-{backend.rsplit('.', 1)[-1].lower()}@example.org",
            "password": "a-long-unusual-passphrase-42",
        }
        start = time.perf_counter()
        response = client.post("/accounts/signup/", data)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 302, response.status_code
        if n >= 2:  # the first two warm up
            (eager if settings.JOBS_EAGER else queued).append(elapsed)
    settings.JOBS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return eager, queued


LIFTERS = int(os.environ.get("BENCH_JOBS_LIFTERS", "100"))


def training_jobs() -> None:
    """The week-start job for LIFTERS lifters of one organization (and its owner, whose digest lists
    the members needing attention), each on a two-session program with two workouts of 6 sets in
    each of the last two weeks; then the records job for one more workout with a PR."""
    import datetime as dt
    from decimal import Decimal

    from accounts.models import OrganizationTier, Role
    from accounts.preferences import UserPreferences
    from accounts.tests.factories import OrganizationFactory, UserFactory
    from exercises.tests.factories import ExerciseFactory
    from notifications.models import Notification
    from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
    from training.models import SetLog, TrainingPreferences, WorkoutLog
    from training.notices import lifters_at_week_start
    from training.tasks import BATCH, notify_workout_records, week_start_batch

    tick = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)  # Monday 07:00 UTC
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    joined = tick - dt.timedelta(weeks=5)  # members before the weeks they trained (and are told about)
    UserFactory(organization=organization, role=Role.OWNER, created_at=joined)
    bench = ExerciseFactory(name="Bench press bench")
    row = ExerciseFactory(name="Row bench", muscle_contributions={"LATS": 1.0, "ELBOW_FLEXORS": 0.5})
    last = None
    for n in range(LIFTERS):
        lifter = UserFactory(organization=organization, role=Role.MEMBER, created_at=joined)
        program = TrainingProgramFactory(user=lifter, name=f"Upper lower {n}", frequency=2)
        upper = WorkoutSessionFactory(program=program, name="Upper", day_of_week=0)
        lower = WorkoutSessionFactory(program=program, name="Lower", day_of_week=3)
        SessionExerciseFactory(session=upper, exercise=bench, sets=6)
        SessionExerciseFactory(session=lower, exercise=row, sets=6)
        UserPreferences.objects.create(user=lifter, time_zone="UTC")
        TrainingPreferences.objects.create(user=lifter, current_program=program)
        for days_back, session, exercise in (
            (13, upper, bench),
            (10, lower, row),
            (6, upper, bench),
            (3, lower, row),
        ):
            started = tick - dt.timedelta(days=days_back, hours=-10)
            workout = WorkoutLog.objects.create(
                user=lifter,
                program=program,
                session=session,
                started_at=started,
                finished_at=started + dt.timedelta(hours=1),
            )
            load = Decimal(60 + (13 - days_back))
            SetLog.objects.bulk_create(
                SetLog(
                    workout_log=workout,
                    exercise=exercise,
                    weight_kg=load,
                    reps=8,
                    rir=Decimal(2),
                    set_type="WORKING",
                    client_id=uuid.uuid4(),
                    order_index=i,
                    logged_at=started,
                )
                for i in range(6)
            )
            last = workout
    ids = [str(pk) for pk in lifters_at_week_start(tick).values_list("pk", flat=True)]
    counted = [0]

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        counted[0] += 1
        return execute(sql, params, many, context)

    for label in ("first run", "rerun (everything already sent)"):
        counted[0] = 0
        with connection.execute_wrapper(count):
            start = time.perf_counter()
            made = sum(
                week_start_batch(timestamp=int(tick.timestamp()), user_ids=ids[i : i + BATCH])
                for i in range(0, len(ids), BATCH)
            )
            elapsed = time.perf_counter() - start
        print(
            f"week-start job, {len(ids)} people due ({LIFTERS} lifters on a program, their owner, "
            f"{len(ids) - LIFTERS - 1} without one), {label}: {elapsed * 1000:.0f} ms "
            f"({elapsed * 1000 / len(ids):.1f} ms and {counted[0] / len(ids):.1f} queries per person), "
            f"{made} notifications asked for"
        )
    print("  notifications stored:", Notification.objects.count())
    assert last is not None
    times = []
    for _ in range(5):
        start = time.perf_counter()
        notify_workout_records(workout_id=str(last.pk))
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"records job for a 6-set workout: median {statistics.median(times):.1f} ms (5 runs, the later ones deduped)"
    )


def main() -> None:
    settings.JOBS_EAGER = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RATELIMIT_ENABLED = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # The worker runs sync jobs in pool threads with their own connections: close them after each
    # job, so none outlives the throw-away database.
    connection.settings_dict["CONN_MAX_AGE"] = 0
    if os.environ.get("BENCH_JOBS_QUIET_LOG", "1") == "1":
        # One JSON log line per job start and end would be part of the measurement.
        for name in (
            "procrastinate",
            "procrastinate.worker",
            "procrastinate.worker.worker",
            "hypertroq.request",
        ):
            logging.getLogger(name).setLevel(logging.WARNING)
    # "training" / "signup": only the training log's jobs / only the sign-up figures.
    only = os.environ.get("BENCH_JOBS_ONLY", "")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        if only == "signup":
            signup_figures()
            return
        if only != "training":
            queue_figures()
            signup_figures()
        training_jobs()
        clear_queue()
    finally:
        teardown_databases(old, verbosity=0)


def queue_figures() -> None:
    for concurrency in (1, 4):
        noop_rates = [noop_rate(concurrency) for _ in range(RUNS)]
        print(
            f"no-op job, one worker, concurrency {concurrency}, jobs/s:",
            ", ".join(f"{r:.0f}" for r in noop_rates),
            f"median {statistics.median(noop_rates):.0f}",
        )
        mail_rates = [mail_rate(concurrency) for _ in range(RUNS)]
        print(
            f"mail job, one worker, concurrency {concurrency}, jobs/s:",
            ", ".join(f"{r:.0f}" for r in mail_rates),
            f"median {statistics.median(mail_rates):.0f}",
        )
    latency = idle_latency()
    print(
        f"enqueue-to-start at idle (LISTEN/NOTIFY), {len(latency)} jobs: median {statistics.median(latency):.1f} ms, "
        f"p90 {latency[int(len(latency) * 0.9) - 1]:.1f} ms, max {latency[-1]:.1f} ms"
    )
    clear_queue()


def signup_figures() -> None:
    for backend, label in (
        ("django.core.mail.backends.locmem.EmailBackend", "in-memory mail backend"),
        ("hypertroq.tests.mail_backends.SlowBackend", "a mail server 200 ms away"),
    ):
        eager, queued = signup_ms(backend)
        print(
            f"sign-up POST, mail sent in the request: median {statistics.median(eager):.1f} ms; "
            f"mail queued: median {statistics.median(queued):.1f} ms ({SIGNUPS} each, {label})"
        )
        clear_queue()


if __name__ == "__main__":
    main()
