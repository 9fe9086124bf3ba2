"""Background jobs: the queue is procrastinate on the application's own PostgreSQL database.

How the project uses it (every app's ``tasks.py`` follows these rules):

- A task is ``@app.task(name=..., retry=backoff(), queue=...)`` with keyword-only JSON arguments
  (ids as strings, never model instances). The task checks its payload first (:func:`payload_uuid`
  etc.) and raises :class:`MalformedJob` for a bad one: that job fails at once with a clear message
  and is not retried; the worker goes on with the next job.
- Every task is idempotent: running it twice for one event has the effect of running it once (the
  mail job marks its outbox row sent; notifications carry a unique key; purges and re-embeds
  recompute what is left to do). A worker killed mid-job leaves the job ``doing``; the
  ``retry_stalled_jobs`` job (every minute) hands it to another worker once the dead one's
  heartbeat is stale, and idempotency makes the second run safe.
- Services enqueue with :func:`defer_on_commit`: the job is deferred after the surrounding
  transaction commits, so a rolled-back change never starts a job and the request never waits on
  the work. With ``settings.JOBS_EAGER`` (tests) the task runs in-process at that point instead.
- Failures are retried with exponential backoff and jitter (:func:`backoff`); a job that keeps
  failing ends ``failed``: staff see it in the admin (Procrastinate > Jobs, filter by status, action
  "Retry Job") and ``/metrics`` counts it (:func:`queue_stats`).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from procrastinate import BaseRetryStrategy, RetryDecision
from procrastinate import exceptions as procrastinate_exceptions
from procrastinate.jobs import Job

logger = logging.getLogger(__name__)

QUEUE_DEFAULT = "default"
QUEUE_MAIL = "mail"
QUEUE_EMBEDDINGS = "embeddings"
QUEUE_PERIODIC = "periodic"


class MalformedJob(Exception):
    """The job's arguments are not what the task accepts: fail this job, never retry it."""


# Errors that no retry can fix: a bad payload, a call with the wrong arguments.
NOT_RETRIED: tuple[type[BaseException], ...] = (MalformedJob, TypeError)


@dataclass(frozen=True)
class Backoff(BaseRetryStrategy):
    """Exponential backoff with jitter: ``base * 2**attempt`` seconds (capped), ``retries`` times."""

    retries: int = 8
    base_seconds: float = 5.0
    cap_seconds: float = 3600.0
    jitter: float = 0.2

    def delay(self, attempts: int) -> float:
        wait = min(self.cap_seconds, self.base_seconds * (2**attempts))
        return wait * (1 + self.jitter * random.random())  # noqa: S311  (spreading retries, not security)

    def get_retry_decision(self, *, exception: BaseException, job: Job) -> RetryDecision | None:
        if isinstance(exception, NOT_RETRIED):
            return None
        if job.attempts >= self.retries:
            return None
        return RetryDecision(retry_at=timezone.now() + dt.timedelta(seconds=self.delay(job.attempts)))


def backoff(*, retries: int = 8, base_seconds: float = 5.0, cap_seconds: float = 3600.0) -> Backoff:
    """The retry strategy every task uses (a first run plus ``retries`` retries)."""
    return Backoff(retries=retries, base_seconds=base_seconds, cap_seconds=cap_seconds)


# --- payload checks ------------------------------------------------------------------------------
def payload_uuid(value: Any, *, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise MalformedJob(f"{name} must be a UUID string, got {value!r:.80}") from None


def payload_str(value: Any, *, name: str, max_length: int = 1000) -> str:
    if not isinstance(value, str) or len(value) > max_length:
        raise MalformedJob(f"{name} must be a string of at most {max_length} characters, got {value!r:.80}")
    return value


def payload_int(value: Any, *, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedJob(f"{name} must be an integer, got {value!r:.80}")
    return value


# --- enqueueing ----------------------------------------------------------------------------------
def defer_now(task: Any, *, queueing_lock: str | None = None, **kwargs: Any) -> int | None:
    """Defer ``task`` now (or run it, when eager). Returns the job id, or None if a job holding
    ``queueing_lock`` is already waiting (that job will do the work) or it ran eagerly."""
    if settings.JOBS_EAGER:
        task(**kwargs)
        return None
    try:
        return int(task.configure(queueing_lock=queueing_lock).defer(**kwargs))
    except procrastinate_exceptions.AlreadyEnqueued:
        logger.info("job %s already queued (lock %s)", task.name, queueing_lock)
        return None


def defer_on_commit(task: Any, *, queueing_lock: str | None = None, **kwargs: Any) -> None:
    """Defer ``task(**kwargs)`` once the current transaction commits (at once outside one)."""

    def _defer() -> None:
        defer_now(task, queueing_lock=queueing_lock, **kwargs)

    # A failure to enqueue after the data committed is logged, not turned into an error page for
    # a change that did happen (eager mode lets it raise, so tests see it).
    transaction.on_commit(_defer, robust=not settings.JOBS_EAGER)


def on_commit_call(function: Callable[[], None]) -> None:
    transaction.on_commit(function, robust=not settings.JOBS_EAGER)


# --- what the queue holds (metrics, admin) -------------------------------------------------------
@dataclass(frozen=True)
class QueueStats:
    queued: dict[str, int]  # runnable now, by queue
    scheduled: int  # waiting for a later time (retries in backoff, scheduled jobs)
    running: int
    failed: int  # gave up (until a staff member retries them or they age out)
    oldest_queued_seconds: float  # how long the oldest runnable job has waited; 0 if none
    failures_last_hour: int  # runs that failed (then retried or given up)


def queue_stats() -> QueueStats:
    """One query over ``procrastinate_jobs`` (+ events for the waiting time and recent failures)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT job.queue_name,
                   job.status,
                   (job.status = 'todo' AND job.scheduled_at > now()) AS later,
                   count(*),
                   max(EXTRACT(EPOCH FROM now() - GREATEST(
                       COALESCE(job.scheduled_at, '-infinity'::timestamptz),
                       COALESCE(deferred.at, now()))))
              FROM procrastinate_jobs job
              LEFT JOIN LATERAL (
                   SELECT max(event.at) AS at FROM procrastinate_events event
                    WHERE event.job_id = job.id AND event.type IN ('deferred', 'deferred_for_retry')
              ) deferred ON job.status = 'todo'
             WHERE job.status IN ('todo', 'doing', 'failed')
             GROUP BY 1, 2, 3
            """
        )
        rows = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM procrastinate_events "
            "WHERE type IN ('failed', 'deferred_for_retry') AND at > now() - interval '1 hour'"
        )
        failures_last_hour = int(cursor.fetchone()[0])
    queued: dict[str, int] = {}
    scheduled = running = failed = 0
    oldest = 0.0
    for queue_name, status, later, count, age in rows:
        if status == "todo" and later:
            scheduled += int(count)
        elif status == "todo":
            queued[queue_name] = queued.get(queue_name, 0) + int(count)
            oldest = max(oldest, float(age or 0.0))
        elif status == "doing":
            running += int(count)
        else:
            failed += int(count)
    return QueueStats(
        queued=queued,
        scheduled=scheduled,
        running=running,
        failed=failed,
        oldest_queued_seconds=oldest,
        failures_last_hour=failures_last_hour,
    )
