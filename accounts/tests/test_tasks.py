"""The daily purge as a job, run by a real worker on the test database."""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob

from accounts.models import User
from accounts.tasks import purge_deleted_accounts
from accounts.tests.factories import UserFactory


def test_the_purge_is_scheduled_daily():
    periodic = app.periodic_registry.periodic_tasks[
        ("accounts.purge_deleted_accounts", "purge-deleted-accounts")
    ]
    assert periodic.cron == "5 3 * * *"


def test_a_worker_runs_the_purge_and_a_second_run_is_harmless(job_worker):
    expired, recent = UserFactory(), UserFactory()
    for account, days in ((expired, 31), (recent, 5)):
        account.mark_deleted()
        account.deleted_at = timezone.now() - dt.timedelta(days=days)
        account.save()

    purge_deleted_accounts.defer(timestamp=int(time.time()))  # as the scheduler defers it
    job_worker.run_until_idle()
    purge_deleted_accounts.defer(timestamp=int(time.time()) + 86400)  # the next day: nothing left
    job_worker.run_until_idle()

    assert not User.all_objects.filter(pk=expired.pk).exists()
    assert User.all_objects.filter(pk=recent.pk).exists()
    jobs = ProcrastinateJob.objects.filter(task_name="accounts.purge_deleted_accounts")
    assert sorted(job.status for job in jobs) == ["succeeded", "succeeded"]
