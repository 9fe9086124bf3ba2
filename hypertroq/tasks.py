"""Jobs of the shared infrastructure: sending mail, keeping the queue healthy.

Found by procrastinate's autodiscovery (``PROCRASTINATE_AUTODISCOVER_MODULE_NAME = "tasks"``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from procrastinate import exceptions, job_context
from procrastinate.contrib.django import app

from hypertroq.jobs import (
    QUEUE_DEFAULT,
    QUEUE_MAIL,
    QUEUE_PERIODIC,
    MalformedJob,
    backoff,
    defer_now,
    payload_uuid,
)
from hypertroq.models import OutboundEmail, OutboundEmailStatus

logger = logging.getLogger(__name__)

# Outbox rows never attempted this long after they were written lost their job (the process died
# between commit and enqueue): the sweep enqueues them again.
OUTBOX_LOST_AFTER = dt.timedelta(minutes=2)
OUTBOX_SWEEP_WINDOW = dt.timedelta(days=1)
SENT_EMAILS_KEPT = dt.timedelta(days=30)


def email_lock(email_id: object) -> str:
    """The queueing lock of an email's job: at most one waiting job per email."""
    return f"email:{email_id}"


@app.task(name="hypertroq.send_email", queue=QUEUE_MAIL, retry=backoff(retries=8))
def send_email(*, email_id: str) -> str:
    """Send one outbox row, once: the row is locked while sending and marked sent in the same
    transaction; a row already sent is skipped."""
    pk = payload_uuid(email_id, name="email_id")
    # Counted before trying (committed on its own): the outbox sweep leaves attempted rows alone.
    if not OutboundEmail.objects.filter(pk=pk).exists():
        raise MalformedJob(f"no outbound email with id {pk}")
    OutboundEmail.objects.filter(pk=pk, status=OutboundEmailStatus.QUEUED).update(attempts=F("attempts") + 1)
    try:
        with transaction.atomic():
            email = OutboundEmail.objects.select_for_update().get(pk=pk)
            if email.status == OutboundEmailStatus.SENT:
                return "already sent"
            message = EmailMessage(
                subject=email.subject,
                body=email.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[email.to_address],
                headers=email.headers or None,
            )
            message.send(fail_silently=False)
            email.status = OutboundEmailStatus.SENT
            email.sent_at = timezone.now()
            email.body = ""  # it may hold a one-time link; nothing needs it once delivered
            email.last_error = ""
            email.save(update_fields=["status", "sent_at", "body", "last_error"])
    except Exception as exc:
        OutboundEmail.objects.filter(pk=pk).update(last_error=f"{exc.__class__.__name__}: {exc}"[:300])
        raise
    return "sent"


@app.periodic(cron="*/5 * * * *", periodic_id="outbox-sweep")
@app.task(
    name="hypertroq.sweep_outbox",
    queue=QUEUE_PERIODIC,
    queueing_lock="sweep_outbox",
    retry=backoff(retries=2),
)
def sweep_outbox(timestamp: int) -> int:
    """Enqueue again the emails whose job was lost between commit and enqueue."""
    now = timezone.now()
    lost = OutboundEmail.objects.filter(
        status=OutboundEmailStatus.QUEUED,
        attempts=0,
        created_at__lt=now - OUTBOX_LOST_AFTER,
        created_at__gt=now - OUTBOX_SWEEP_WINDOW,
    ).values_list("pk", flat=True)
    count = 0
    for pk in lost:
        if defer_now(send_email, queueing_lock=email_lock(pk), email_id=str(pk)) is not None:
            count += 1
    if count:
        logger.warning("outbox sweep: %d email(s) had lost their job and were enqueued again", count)
    return count


@app.periodic(cron="* * * * *", periodic_id="retry-stalled")
@app.task(
    name="hypertroq.retry_stalled_jobs",
    queue=QUEUE_PERIODIC,
    queueing_lock="retry_stalled_jobs",
    pass_context=True,
)
async def retry_stalled_jobs(context: job_context.JobContext, timestamp: int) -> int:
    """Jobs left ``doing`` by a worker that died (no heartbeat for a minute) run again elsewhere."""
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=settings.JOBS_STALLED_AFTER_SECONDS)
    count = 0
    for job in stalled:
        if job.id == context.job.id:
            continue
        try:
            await manager.retry_job(job)
            count += 1
        except exceptions.ConnectorException:
            logger.exception("could not retry stalled job %s", job.id)
    if count:
        logger.warning("re-queued %d job(s) of stalled workers", count)
    return count


@app.periodic(cron="17 3 * * *", periodic_id="remove-old-jobs")
@app.task(
    name="hypertroq.remove_old_jobs", queue=QUEUE_PERIODIC, queueing_lock="remove_old_jobs", pass_context=True
)
async def remove_old_jobs(context: job_context.JobContext, timestamp: int) -> None:
    """Finished jobs, failed ones included, are removed ``JOBS_KEEP_FINISHED_HOURS`` after they ended."""
    await context.app.job_manager.delete_old_jobs(
        nb_hours=settings.JOBS_KEEP_FINISHED_HOURS,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )


@app.periodic(cron="27 3 * * *", periodic_id="remove-sent-emails")
@app.task(name="hypertroq.remove_sent_emails", queue=QUEUE_PERIODIC, queueing_lock="remove_sent_emails")
def remove_sent_emails(timestamp: int) -> int:
    """Sent outbox rows (their bodies already cleared) are kept 30 days, for support questions."""
    deleted, _ = OutboundEmail.objects.filter(
        status=OutboundEmailStatus.SENT, sent_at__lt=timezone.now() - SENT_EMAILS_KEPT
    ).delete()
    return deleted


@app.task(name="hypertroq.noop", queue=QUEUE_DEFAULT)
def noop() -> None:
    """Does nothing: for checking that workers take jobs, and for measuring the queue itself
    (bench/bench_jobs.py)."""
