"""Periodic jobs about plans: training reminders.

They live here (not in notifications) because they read programs; they tell people through
``notifications.services.notification_create``, which applies each person's preferences and sends
the email by a job. Idempotent: a reminder's dedupe key names the local day, so a job that runs
twice tells nobody twice. (The weekly digest reads the training log: ``training.tasks``.)
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from typing import Any

from django.urls import reverse
from procrastinate.contrib.django import app

from hypertroq.jobs import QUEUE_PERIODIC, backoff
from notifications.models import NotificationKind, ReminderSettings
from notifications.selectors import users_silenced
from notifications.services import notification_create
from programs.models import StructureType, TrainingProgram, WorkoutSession

logger = logging.getLogger(__name__)

REMINDER_EVERY_MINUTES = 15
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _tick(timestamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)


def current_program(user: Any) -> TrainingProgram | None:
    """The program a lifter trains on now: their most recently changed one."""
    return (
        TrainingProgram.objects.filter(user=user, is_template=False)
        .order_by("-updated_at")
        .only("id", "name", "structure_type", "frequency", "user_id", "updated_at")
        .first()
    )


# --- training reminders ----------------------------------------------------------------------------
def training_weekdays(user: Any, chosen: list[int]) -> set[int]:
    """The days to remind on: the chosen ones, else the current weekly program's session days (a
    rotation has no fixed weekdays: without chosen days it gets no reminders)."""
    if chosen:
        return set(chosen)
    program = current_program(user)
    if program is None or program.structure_type != StructureType.WEEKLY:
        return set()
    return set(
        WorkoutSession.objects.filter(program=program, day_of_week__isnull=False).values_list(
            "day_of_week", flat=True
        )
    )


def reminder_due(reminder: ReminderSettings, tick: dt.datetime) -> dt.datetime | None:
    """The lifter's local time of this tick if their reminder time falls in the tick's window."""
    try:
        local = tick.astimezone(zoneinfo.ZoneInfo(reminder.time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    start = local.replace(second=0, microsecond=0)
    at = start.replace(hour=reminder.remind_at.hour, minute=reminder.remind_at.minute)
    if start <= at < start + dt.timedelta(minutes=REMINDER_EVERY_MINUTES):
        return local
    return None


@app.periodic(cron=f"*/{REMINDER_EVERY_MINUTES} * * * *", periodic_id="training-reminders")
@app.task(
    name="programs.training_reminders",
    queue=QUEUE_PERIODIC,
    queueing_lock="training_reminders",
    retry=backoff(retries=2),
)
def training_reminders(timestamp: int) -> int:
    """Every 15 minutes: remind the lifters whose chosen time (in their time zone) falls in this
    window, on their training days. Only people who set a reminder time get reminders."""
    tick = _tick(timestamp)
    silent = users_silenced(kind=NotificationKind.TRAINING_REMINDER)
    sent = 0
    settings_rows = ReminderSettings.objects.exclude(user_id__in=silent).select_related("user")
    for reminder in settings_rows.iterator(chunk_size=500):
        local = reminder_due(reminder, tick)
        user: Any = reminder.user
        if local is None or not user.is_active or getattr(user, "is_deleted", False):
            continue
        if local.weekday() not in training_weekdays(user, list(reminder.weekdays)):
            continue
        program = current_program(user)
        title = f"Training day: {WEEKDAY_NAMES[local.weekday()]}"
        body = (
            f"Today's session is in “{program.name}”." if program else "Today is one of your training days."
        )
        url = reverse("programs:detail", kwargs={"program_id": program.pk}) if program else ""
        if notification_create(
            user=user,
            kind=NotificationKind.TRAINING_REMINDER,
            title=title,
            body=body,
            url=url,
            dedupe_key=f"reminder:{local.date().isoformat()}",
        ):
            sent += 1
    return sent
