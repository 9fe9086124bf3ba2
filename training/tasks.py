"""Jobs of the training log: the personal-records notification after a workout is finished, and at
the start of each lifter's week (07:00 on Monday in their time zone) the weekly digest and the
below-MEV notice for the week that ended.

They tell people through ``notifications.services.notification_create`` (each person's
preferences per kind and channel; email by a job). Idempotent: the dedupe key names the workout
(records), the week the digest is sent in, or the week that fell below MEV, so a rerun (retry, a
second worker, the same hour ticked twice) tells nobody twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.urls import reverse
from procrastinate.contrib.django import app

from accounts.models import User
from hypertroq.jobs import (
    QUEUE_DEFAULT,
    QUEUE_PERIODIC,
    MalformedJob,
    backoff,
    defer_now,
    payload_int,
    payload_uuid,
)
from notifications.models import NotificationKind
from notifications.selectors import users_silenced
from notifications.services import notification_create
from training.analysis.records import week_records, workout_records
from training.analysis.settings import training_settings_for, training_settings_for_users
from training.analysis.volume import member_adherence
from training.domain.weeks import IsoWeek
from training.imports.runner import import_mark_failed, import_run
from training.models import WorkoutLog
from training.notices import (
    WeekReport,
    below_mev_text,
    digest_text,
    last_week,
    lifters_at_week_start,
    members_needing_attention,
    records_text,
    volume_url,
    week_start_done,
    week_start_runs_prune,
)

logger = logging.getLogger(__name__)

BATCH = 200


def records_lock(workout_id: object) -> str:
    return f"workout-records:{workout_id}"


@app.task(name="training.notify_workout_records", queue=QUEUE_DEFAULT, retry=backoff(retries=5))
def notify_workout_records(*, workout_id: str) -> int:
    """Tell the lifter the PRs of a finished workout (none for a workout resumed or deleted since,
    or with no PR). Returns the number of record sets."""
    pk = payload_uuid(workout_id, name="workout_id")
    workout = WorkoutLog.objects.filter(pk=pk, finished_at__isnull=False).select_related("user").first()
    if workout is None:
        return 0
    records = workout_records(workout=workout)
    if not records:
        return 0
    user: Any = workout.user
    title, body = records_text(records, training_settings_for(user=user))
    notification_create(
        user=user,
        kind=NotificationKind.PERSONAL_RECORD,
        title=title,
        body=body,
        url=reverse("training:workout", kwargs={"workout_id": workout.pk}),
        dedupe_key=f"records:{workout.pk}",
        data={"workout": str(workout.pk)},
    )
    return len(records)


def _notify_batch(users: list[Any], tick: dt.datetime, silent_digest: set[Any], silent_mev: set[Any]) -> int:
    settings = training_settings_for_users(users=users)
    by_week: dict[IsoWeek, list[Any]] = {}
    for user in users:
        by_week.setdefault(last_week(tick, settings[str(user.pk)]), []).append(user)
    sent = 0
    for week, group in by_week.items():
        rows = {str(row.member.pk): row for row in member_adherence(members=group, week=week)}
        for user in group:
            with transaction.atomic():  # the notices and the record that they were composed
                key = str(user.pk)
                lifter = settings[key]
                report = WeekReport(
                    user=user,
                    settings=lifter,
                    week=week,
                    adherence=rows[key],
                    records=week_records(user=user, tz=lifter.tz, week=week),
                )
                if user.pk not in silent_digest:
                    title, body = digest_text(report, members_needing_attention(coach=user, week=week))
                    notification_create(
                        user=user,
                        kind=NotificationKind.WEEKLY_DIGEST,
                        title=title,
                        body=body,
                        url=volume_url(week),
                        dedupe_key=f"digest:{week.next()}",  # the week it is sent in
                        data={"week": str(week)},
                    )
                    sent += 1
                notice = None if user.pk in silent_mev else below_mev_text(report)
                if notice is not None:
                    notification_create(
                        user=user,
                        kind=NotificationKind.MUSCLE_BELOW_MEV,
                        title=notice[0],
                        body=notice[1],
                        url=volume_url(week),
                        dedupe_key=f"below-mev:{week}",
                        data={"week": str(week), "muscles": [m.muscle for m in report.adherence.below_mev]},
                    )
                    sent += 1
                week_start_done(user=user, week=week.next())
    return sent


@app.task(name="training.week_start_batch", queue=QUEUE_PERIODIC, retry=backoff(retries=3))
def week_start_batch(*, timestamp: int, user_ids: list[str]) -> int:
    """The week-start notices of up to ``BATCH`` lifters (one job each, so several workers share a
    busy hour and a retry redoes one batch, not everyone)."""
    tick = dt.datetime.fromtimestamp(payload_int(timestamp, name="timestamp"), tz=dt.UTC)
    if not isinstance(user_ids, list) or len(user_ids) > BATCH:
        raise MalformedJob(f"user_ids must be a list of at most {BATCH} ids")
    ids = [payload_uuid(pk, name="user_ids[]") for pk in user_ids]
    silent_digest = users_silenced(kind=NotificationKind.WEEKLY_DIGEST)
    silent_mev = users_silenced(kind=NotificationKind.MUSCLE_BELOW_MEV)
    users = list(
        User.objects.filter(pk__in=ids, is_active=True).select_related("organization").order_by("pk")
    )
    return _notify_batch(users, tick, silent_digest, silent_mev)


@app.periodic(cron="0 * * * *", periodic_id="week-start-notices")
@app.task(
    name="training.week_start_notices",
    queue=QUEUE_PERIODIC,
    queueing_lock="week_start_notices",
    retry=backoff(retries=3),
)
def week_start_notices(timestamp: int) -> int:
    """Every hour: the lifters whose Monday 07:00 (their time zone) has come, less than a day ago
    (``CATCH_UP``: an hour missed while no worker ran is caught up at the next), and whose notices
    for that week were not composed yet, get the weekly digest of the week that ended and, if a
    trained muscle got less than its MEV, that notice; one ``week_start_batch`` job per ``BATCH``
    lifters. Returns how many lifters are due (reruns tell nobody twice: the ``WeekStartRun``
    records and the dedupe keys)."""
    tick = payload_int(timestamp, name="timestamp")
    moment = dt.datetime.fromtimestamp(tick, tz=dt.UTC)
    silent = users_silenced(kind=NotificationKind.WEEKLY_DIGEST) & users_silenced(
        kind=NotificationKind.MUSCLE_BELOW_MEV
    )
    ids = [str(pk) for pk in lifters_at_week_start(moment).values_list("pk", flat=True) if pk not in silent]
    for start in range(0, len(ids), BATCH):
        defer_now(week_start_batch, timestamp=tick, user_ids=ids[start : start + BATCH])
    week_start_runs_prune(moment)
    logger.info("week-start notices at %s: %d lifters due", moment.isoformat(), len(ids))
    return len(ids)


IMPORT_RETRIES = 3


@app.task(
    name="training.run_history_import",
    queue=QUEUE_DEFAULT,
    retry=backoff(retries=IMPORT_RETRIES),
    pass_context=True,
)
def run_history_import(context: Any = None, *, import_id: Any) -> str:
    """Run a confirmed history import (one transaction; an import that is done, failed or undone
    is left alone, so a rerun adds nothing). When the last retry fails too, the import is marked
    failed so its page stops waiting. (``context`` is the worker's; None when run eagerly.)"""
    pk = payload_uuid(import_id, name="import_id")
    try:
        history_import = import_run(import_id=pk)
    except Exception:
        if context is not None and context.job.attempts >= IMPORT_RETRIES:
            import_mark_failed(
                import_id=pk,
                message="The import failed several times; nothing was added. Please try again later.",
            )
        raise
    return "missing" if history_import is None else history_import.status
