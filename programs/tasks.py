"""Periodic jobs about plans: the weekly digest and training reminders.

They live here (not in notifications) because they read programs and organizations; they tell
people through ``notifications.services.notification_create``, which applies each person's
preferences and sends the email by a job. Both are idempotent: a notification's dedupe key names
the week (digest) or the local day (reminder), so a job that runs twice tells nobody twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from procrastinate.contrib.django import app

from accounts.models import Role
from hypertroq.jobs import QUEUE_PERIODIC, backoff
from notifications.models import Channel, NotificationKind, NotificationPreference, ReminderSettings
from notifications.services import default_enabled, notification_create
from programs.models import StructureType, TrainingProgram, WorkoutSession
from programs.selectors.volume import program_volume_for

logger = logging.getLogger(__name__)

REMINDER_EVERY_MINUTES = 15
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _tick(timestamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)


def _silent(kind: str) -> set[Any]:
    """Users who turned ``kind`` off on every channel it would reach them on."""
    rows = NotificationPreference.objects.filter(kind=kind).values_list("user_id", "channel", "enabled")
    on: dict[Any, set[str]] = {}
    off: dict[Any, set[str]] = {}
    for user_id, channel, enabled in rows:
        (on if enabled else off).setdefault(user_id, set()).add(channel)
    defaults = {c for c in Channel.values if default_enabled(kind, c)}
    return {u for u, channels in off.items() if defaults <= channels and not on.get(u)}


def current_program(user: Any) -> TrainingProgram | None:
    """The program a lifter trains on now: their most recently changed one."""
    return (
        TrainingProgram.objects.filter(user=user, is_template=False)
        .order_by("-updated_at")
        .only("id", "name", "structure_type", "frequency", "user_id", "updated_at")
        .first()
    )


# --- weekly digest ---------------------------------------------------------------------------------
def digest_text(user: Any) -> tuple[str, str]:
    """(title, body) of one person's digest: their plan against the landmarks and, for owners and
    coaches, the members who need attention (no program yet)."""
    lines: list[str] = []
    program = current_program(user)
    if program is None:
        lines.append("You have no program yet: start one from a template in a few minutes.")
    else:
        volume = program_volume_for(program=program, user=user)
        trained = [m for m in volume.muscles if m.counted_sets > 0]
        lines.append(f"Your program “{program.name}”: {program.frequency} training days a week.")
        if volume.below_mev:
            names = ", ".join(m.label for m in volume.below_mev[:8])
            lines.append(f"Below MEV (fewer weekly sets than the minimum that makes a muscle grow): {names}.")
        if volume.above_mrv:
            names = ", ".join(m.label for m in volume.above_mrv[:8])
            lines.append(f"Above MRV (more weekly sets than most people recover from): {names}.")
        if trained and not volume.below_mev and not volume.above_mrv:
            lines.append("Every trained muscle is between its minimum and maximum weekly volume.")
    if getattr(user, "role", "") in (Role.OWNER, Role.COACH):
        members = list(
            get_user_model()
            ._default_manager.filter(organization_id=user.organization_id)
            .exclude(pk=user.pk)
            .only("id", "full_name", "email")
        )
        with_program = set(
            TrainingProgram.objects.filter(user__in=members, is_template=False).values_list(
                "user_id", flat=True
            )
        )
        waiting = [m for m in members if m.pk not in with_program]
        if members:
            lines.append(f"Your organization: {len(members)} other member(s).")
        if waiting:
            names = ", ".join((m.full_name or m.email) for m in waiting[:10])
            lines.append(f"Members without a program (they may need you): {names}.")
    lines.append("Your training log will add the sets you did and your records here once you log workouts.")
    return "Your weekly HypertroQ digest", "\n".join(lines)


@app.periodic(cron="0 7 * * 1", periodic_id="weekly-digest")
@app.task(
    name="programs.weekly_digest",
    queue=QUEUE_PERIODIC,
    queueing_lock="weekly_digest",
    retry=backoff(retries=3),
)
def weekly_digest(timestamp: int) -> int:
    """Monday 07:00 UTC: one digest per active person who has not turned it off. A rerun (retry,
    a second worker) finds each person's digest of this week already there."""
    week = _tick(timestamp).isocalendar()
    key = f"digest:{week.year}-W{week.week:02d}"
    silent = _silent(NotificationKind.WEEKLY_DIGEST)
    sent = 0
    users = get_user_model()._default_manager.filter(is_active=True).exclude(pk__in=silent)
    for user in users.iterator(chunk_size=500):
        title, body = digest_text(user)
        if notification_create(
            user=user,
            kind=NotificationKind.WEEKLY_DIGEST,
            title=title,
            body=body,
            url=reverse("accounts:dashboard"),
            dedupe_key=key,
        ):
            sent += 1
    return sent


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
    silent = _silent(NotificationKind.TRAINING_REMINDER)
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
