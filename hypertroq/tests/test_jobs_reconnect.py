"""A worker outlives its database connections: PostgreSQL restarting (here: every backend of the
worker terminated, which is what a restart does to a client) must not stop the jobs."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from hypertroq.mail import email_queue
from hypertroq.models import OutboundEmail, OutboundEmailStatus

ROOT = Path(__file__).resolve().parents[2]


def _sent(email: OutboundEmail) -> bool:
    return OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmailStatus.SENT).exists()


def _wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def _queue(subject: str) -> OutboundEmail:
    with transaction.atomic():
        return email_queue(to="lifter@example.org", subject=subject, body="The body.")


def _queue_idle() -> bool:
    """Every job finished, its status written too (the email is marked sent before the worker
    writes the job's own status)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM procrastinate_jobs WHERE queue_name = 'mail' AND status IN ('todo', 'doing')"
        )
        return int(cursor.fetchone()[0]) == 0


def _terminate_other_backends() -> int:
    """What a PostgreSQL restart does to the worker: every connection it holds is cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _terminate_mid_query() -> int:
    """Cut the worker's connections while one of its queries is running (a restart rarely waits
    for the worker to be idle): the job table is locked so its next poll for jobs waits, then
    every connection is terminated, then the lock goes."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE procrastinate_jobs IN ACCESS EXCLUSIVE MODE")
        waiting = _wait_for(lambda: _waiting_on_lock(cursor) > 0, seconds=10)
        assert waiting, "the worker never polled for jobs"
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _waiting_on_lock(cursor) -> int:
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
    )
    return int(cursor.fetchone()[0])


@pytest.mark.slow
@pytest.mark.parametrize("listen_notify", [True, False], ids=["listen-notify", "polling"])
def test_the_worker_reconnects_after_its_connections_are_cut(job_worker, listen_notify):
    options = ["--queues=mail", "--fetch-job-polling-interval=0.5"]
    if not listen_notify:
        options.append("--no-listen-notify")
    log = tempfile.TemporaryFile()  # noqa: SIM115 - read after the process ends
    worker = subprocess.Popen(  # noqa: S603 - fixed command, test only
        [
            sys.executable,
            str(ROOT / "hypertroq" / "tests" / "worker_process.py"),
            connection.settings_dict["NAME"],
            "django.core.mail.backends.locmem.EmailBackend",
            *options,
        ],
        cwd=ROOT,
        env=dict(os.environ),
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def whole_log() -> str:
        log.seek(0)
        return log.read().decode(errors="replace")

    def output() -> str:  # the end of the log, for a failure's message
        return whole_log()[-4000:]

    try:
        before = _queue("Before the restart")
        assert _wait_for(lambda: _sent(before)), output()
        # Cut while the worker polls for jobs, not while it writes the last job's status: procrastinate
        # logs a failed status write and goes on with a new connection from its pool, so the
        # supervisor (what this test is about) never sees it.
        assert _wait_for(_queue_idle), output()
        assert _terminate_mid_query() >= 1
        after = _queue("After the restart")
        assert _wait_for(lambda: _sent(after)), output()
        assert worker.poll() is None, output()  # still the same process: nobody restarted it
        # It restarted its worker loop (said once, then the jobs' own lines follow: the whole log).
        assert "jobs worker lost the database" in whole_log(), output()
        # And again: a second cut while idle changes nothing either.
        _terminate_other_backends()
        again = _queue("After a second restart")
        assert _wait_for(lambda: _sent(again)), output()
        worker.terminate()  # SIGTERM stops it for good, cleanly (no restart)
        assert worker.wait(timeout=15) == 0, output()
    finally:
        if worker.poll() is None:
            worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        log.close()
