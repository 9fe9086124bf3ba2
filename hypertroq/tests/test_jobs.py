"""The job queue with a real worker on the test database: mail, retries, bad payloads, a killed
worker, the periodic scheduler, the admin and /metrics."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from hypertroq.jobs import Backoff, MalformedJob, queue_stats
from hypertroq.mail import email_queue
from hypertroq.models import OutboundEmail, OutboundEmailStatus
from hypertroq.tasks import send_email

ROOT = Path(__file__).resolve().parents[2]


def _jobs(task_name: str = "hypertroq.send_email") -> list[ProcrastinateJob]:
    return list(ProcrastinateJob.objects.filter(task_name=task_name).order_by("id"))


def _queue(subject: str = "Hello", key: str | None = None) -> OutboundEmail:
    with transaction.atomic():
        return email_queue(to="lifter@example.org", subject=subject, body="The body.", idempotency_key=key)


def test_a_queued_email_is_sent_by_the_worker_once(job_worker):
    email = _queue()
    assert mail.outbox == []  # the request side only enqueued
    assert [job.status for job in _jobs()] == ["todo"]

    job_worker.run_until_idle()

    assert [m.subject for m in mail.outbox] == ["Hello"]
    email.refresh_from_db()
    assert email.status == OutboundEmailStatus.SENT
    assert email.body == ""  # the one-time link does not stay in the database
    assert [job.status for job in _jobs()] == ["succeeded"]

    # The same event enqueued again, and the job run again (as after a crash): no second mail.
    assert _queue(key=email.idempotency_key).pk == email.pk
    send_email.defer(email_id=str(email.pk))
    job_worker.run_until_idle()
    assert len(mail.outbox) == 1


def test_one_idempotency_key_is_one_email(job_worker):
    first = _queue(key="invitation:42")
    second = _queue(key="invitation:42")
    assert first.pk == second.pk
    assert len(_jobs()) == 1
    job_worker.run_until_idle()
    assert len(mail.outbox) == 1


def test_sign_up_only_enqueues_and_the_worker_mails_the_link(job_worker, client):
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Queue Tester",
            "email": "queue.tester@example.org",
            "password": "a-long-unusual-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert len(_jobs()) == 1

    job_worker.run_until_idle()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["queue.tester@example.org"]
    assert "/accounts/verify/" in mail.outbox[0].body


def test_a_malformed_payload_fails_that_job_not_the_worker(job_worker):
    send_email.defer(email_id="not-a-uuid")
    send_email.defer(unexpected="argument")
    good = _queue(subject="Still delivered")

    job_worker.run_until_idle()

    statuses = {job.args.get("email_id", "bad-args"): (job.status, job.attempts) for job in _jobs()}
    assert statuses["not-a-uuid"] == ("failed", 1)  # not retried: retrying cannot fix it
    assert statuses["bad-args"] == ("failed", 1)
    assert statuses[str(good.pk)] == ("succeeded", 1)
    assert [m.subject for m in mail.outbox] == ["Still delivered"]


def test_a_failing_mail_is_retried_later_and_counted(job_worker, settings, client):
    settings.EMAIL_BACKEND = "hypertroq.tests.mail_backends.FailingBackend"
    email = _queue()
    job_worker.run_until_idle()

    (job,) = _jobs()
    assert job.status == "todo" and job.attempts == 1  # waiting for its retry
    assert job.scheduled_at is not None
    wait = (job.scheduled_at - timezone.now()).total_seconds()
    assert 2 < wait <= 6  # first retry after ~5 s (plus jitter), then 10, 20, 40 ...
    email.refresh_from_db()
    assert email.status == OutboundEmailStatus.QUEUED
    assert "mail server down" in email.last_error

    stats = queue_stats()
    assert stats.scheduled == 1 and stats.failures_last_hour == 1
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'hypertroq_jobs{state="scheduled"} 1.0' in body
    assert "hypertroq_job_failures_last_hour 1.0" in body


def test_backoff_grows_exponentially_and_gives_up():
    strategy = Backoff(retries=3, base_seconds=5, jitter=0)
    assert [strategy.delay(n) for n in range(4)] == [5, 10, 20, 40]
    assert Backoff(base_seconds=5, cap_seconds=60, jitter=0).delay(10) == 60

    class FakeJob:
        attempts = 3

    assert strategy.get_retry_decision(exception=OSError(), job=FakeJob()) is None  # type: ignore[arg-type]
    FakeJob.attempts = 0
    assert strategy.get_retry_decision(exception=OSError(), job=FakeJob()) is not None  # type: ignore[arg-type]
    assert strategy.get_retry_decision(exception=MalformedJob("x"), job=FakeJob()) is None  # type: ignore[arg-type]


def test_staff_see_a_failed_job_in_the_admin_and_retry_it(job_worker, settings, monkeypatch, staff_client):
    settings.EMAIL_BACKEND = "hypertroq.tests.mail_backends.FailingBackend"
    monkeypatch.setattr(send_email, "retry_strategy", Backoff(retries=0))
    _queue(subject="Your invitation")
    job_worker.run_until_idle()
    (job,) = _jobs()
    assert job.status == "failed"

    changelist = reverse("admin:procrastinate_procrastinatejob_changelist")
    page = staff_client.get(changelist, {"status__exact": "failed"})
    assert page.status_code == 200
    assert "send_email" in page.content.decode()
    metrics = staff_client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'hypertroq_jobs{state="failed"} 1.0' in metrics

    response = staff_client.post(changelist, {"action": "retry", "_selected_action": [job.pk]})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "todo"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    job_worker.run_until_idle()
    assert [m.subject for m in mail.outbox] == ["Your invitation"]


def _wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_a_worker_killed_mid_job_loses_nothing(job_worker, settings):
    settings.JOBS_STALLED_AFTER_SECONDS = 1
    email = _queue(subject="Survives a crash")
    env = dict(os.environ)
    worker = subprocess.Popen(  # noqa: S603 - fixed command, test only
        [
            sys.executable,
            str(ROOT / "hypertroq" / "tests" / "worker_process.py"),
            connection.settings_dict["NAME"],
            "hypertroq.tests.mail_backends.HangingBackend",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Mid-job: the job is running and has started talking to the (hanging) mail server.
        started = _wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).attempts == 1)
        assert started, worker.stderr.read().decode() if worker.poll() is not None and worker.stderr else ""
    finally:
        worker.send_signal(signal.SIGKILL)  # no clean shutdown: the job stays "doing"
        worker.wait(timeout=10)
    assert _jobs()[0].status == "doing"
    time.sleep(1.5)  # the dead worker's heartbeat goes stale

    from hypertroq.tasks import retry_stalled_jobs

    if not _jobs("hypertroq.retry_stalled_jobs"):  # the dead worker's scheduler may have queued it
        retry_stalled_jobs.defer(timestamp=0)  # what the scheduler does every minute
    job_worker.run_until_idle()

    assert [m.subject for m in mail.outbox] == ["Survives a crash"]
    email.refresh_from_db()
    assert email.status == OutboundEmailStatus.SENT and email.attempts == 2
    assert [job.status for job in _jobs()] == ["succeeded"]


def test_the_scheduler_runs_the_outbox_sweep_which_resends_a_lost_email(job_worker):
    # An email whose job was never deferred (the process died right after the commit).
    lost = OutboundEmail.objects.create(
        idempotency_key="lost", to_address="lifter@example.org", subject="Lost and found", body="b"
    )
    OutboundEmail.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(minutes=3))
    assert _jobs() == []

    job_worker.run_for(20, until=lambda: len(mail.outbox) > 0)

    assert [m.subject for m in mail.outbox] == ["Lost and found"]
    assert [job.status for job in _jobs("hypertroq.sweep_outbox")] == ["succeeded"]


def test_staff_see_the_outbox_and_send_an_unsent_email_again(job_worker, staff_client):
    email = OutboundEmail.objects.create(
        idempotency_key="stuck", to_address="lifter@example.org", subject="Stuck in the outbox", body="b"
    )
    changelist = reverse("admin:hypertroq_outboundemail_changelist")
    page = staff_client.get(changelist).content.decode()
    assert "Stuck in the outbox" in page
    response = staff_client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})
    assert response.status_code == 302
    job_worker.run_until_idle()
    assert [m.subject for m in mail.outbox] == ["Stuck in the outbox"]
