"""What the training log tells people: personal records, muscles that got less than their MEV, and
the weekly digest (composition only; ``training.tasks`` sends them by jobs).

Everything is read in each lifter's own time zone (``accounts.UserPreferences.time_zone``, UTC when
none): weeks are ISO weeks there, and the week-start notices go out at ``WEEK_START_HOUR`` local
time on their Monday, or at the next hour a worker runs within ``CATCH_UP``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from accounts.models import User
from accounts.permissions import can_coach, is_coach_or_owner
from accounts.preferences import UserPreferences
from accounts.selectors import organization_members
from training.analysis.records import PersonalRecord
from training.analysis.settings import TrainingSettings
from training.analysis.volume import MemberAdherence, member_adherence
from training.domain.weeks import IsoWeek, zone
from training.models import WeekStartRun

WEEK_START_HOUR = 7  # local time on Monday (the ISO week's first day)
MAX_LINES = 10


# --- who is due --------------------------------------------------------------------------------------
# How long after their Monday 07:00 a lifter is still due: the hourly job runs at 07:00 wherever a
# worker is up, and one that was down (a deploy, an outage) sends the notices at its next hour.
CATCH_UP = dt.timedelta(hours=24)


def week_start_due(tick: dt.datetime, time_zone: str) -> bool:
    """Is ``tick`` at or after 07:00 on a Monday in ``time_zone``, by less than ``CATCH_UP``? (An
    hourly tick at :00 UTC reaches 07:00 exactly in every zone: offsets are whole quarter hours.)"""
    local = tick.astimezone(zone(time_zone))
    monday = (local - dt.timedelta(days=local.weekday())).replace(
        hour=WEEK_START_HOUR, minute=0, second=0, microsecond=0
    )
    return dt.timedelta(0) <= local.replace(tzinfo=None) - monday.replace(tzinfo=None) < CATCH_UP


def lifters_at_week_start(tick: dt.datetime) -> QuerySet[User]:
    """Active people whose week started in their own time zone less than ``CATCH_UP`` before
    ``tick`` (people who never set preferences count as UTC), who were members before that week
    began (its digest is about the week before: someone who signed up on Monday gets their first
    one the Monday after), and whose notices for that week were not composed yet (no
    ``WeekStartRun``). Two queries: the zones in use, then the people."""
    names = set(UserPreferences.objects.order_by().values_list("time_zone", flat=True).distinct())
    # The week that started -> the instant it began (local Monday 00:00) -> who is in a zone where
    # it began then. Zones with one offset share an instant, and each week one "done" subquery.
    due: dict[IsoWeek, dict[dt.datetime, Q]] = {}

    def add(name: str, where: Q) -> None:
        if not week_start_due(tick, name):
            return
        week = IsoWeek.of(tick, zone(name))
        began, _ = week.bounds(zone(name))
        starts = due.setdefault(week, {})
        starts[began] = starts.get(began, Q(pk__in=[])) | where

    for name in names:
        add(name, Q(preferences__time_zone=name))
    add("UTC", Q(preferences__isnull=True))
    condition = Q(pk__in=[])
    for week, starts in due.items():
        joined_before = Q(pk__in=[])
        for began, where in starts.items():
            joined_before |= where & Q(created_at__lt=began)
        done = WeekStartRun.objects.filter(user=OuterRef("pk"), week=str(week))
        condition |= joined_before & Q(~Exists(done))
    return User.objects.filter(condition, is_active=True).order_by("pk")


def week_start_done(*, user: Any, week: IsoWeek) -> None:
    """Record that ``user``'s notices for ``week`` (the week that started) were composed."""
    WeekStartRun.objects.bulk_create([WeekStartRun(user=user, week=str(week))], ignore_conflicts=True)


def week_start_runs_prune(tick: dt.datetime) -> int:
    """Forget the records of weeks three or more weeks before ``tick``'s (only the week that has
    just started is ever looked at; labels such as "2026-W50" sort in time order)."""
    oldest_kept = IsoWeek.of(tick, zone("UTC")).shift(-2)
    deleted, _ = WeekStartRun.objects.filter(week__lt=str(oldest_kept)).delete()
    return deleted


def last_week(tick: dt.datetime, settings: TrainingSettings) -> IsoWeek:
    """The lifter's last completed week at ``tick``."""
    return IsoWeek.of(tick, settings.tz).previous()


# --- one lifter's week -------------------------------------------------------------------------------
@dataclass(frozen=True)
class WeekReport:
    user: Any
    settings: TrainingSettings
    week: IsoWeek
    adherence: MemberAdherence
    records: list[PersonalRecord]


def volume_url(week: IsoWeek) -> str:
    return f"{reverse('training:volume')}?week={week}"


def _sets(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more."]


def records_lines(records: Sequence[PersonalRecord], settings: TrainingSettings) -> list[str]:
    return _capped([f"- {r.text(unit=settings.unit, increment=settings.increment)}" for r in records])


def records_text(records: Sequence[PersonalRecord], settings: TrainingSettings) -> tuple[str, str]:
    """(title, body) of the notification for the PRs of one workout."""
    exercises = list(dict.fromkeys(r.exercise for r in records))
    if len(exercises) == 1:
        title = f"New personal record: {exercises[0]}"
    else:
        title = f"New personal records in {len(exercises)} exercises"
    body = "\n".join(
        [
            "You beat every earlier set of these exercises:",
            *records_lines(records, settings),
        ]
    )
    return title, body


def below_mev_text(report: WeekReport) -> tuple[str, str] | None:
    """(title, body) when muscles the lifter's program trains got fewer hard sets than their MEV
    last week, though they trained; None otherwise (a week with no training at all is the
    digest's business, not an alarm per muscle)."""
    row = report.adherence
    if not row.below_mev or row.week.hard_sets == 0:
        return None
    names = [m.label for m in row.below_mev]
    title = (
        f"{names[0]} got less than its minimum effective volume last week"
        if len(names) == 1
        else f"{len(names)} muscles got less than their minimum effective volume last week"
    )
    lines = [
        f"Week {report.week} ({report.week.label}): hard sets done against MEV, the fewest weekly sets "
        "that still make a muscle grow.",
        *_capped(
            [
                f"- {m.label}: {_sets(m.performed_sets)} of MEV {_sets(m.landmarks.mev)} "
                f"(planned {_sets(m.planned_sets)})"
                for m in row.below_mev
            ]
        ),
    ]
    return title, "\n".join(lines)


def members_needing_attention(*, coach: Any, week: IsoWeek) -> list[MemberAdherence] | None:
    """The members ``coach`` may coach whose ``week`` (their own time zones) went off plan: no
    program, a muscle below MEV, or a planned session skipped (the coach's adherence table).
    None for someone who coaches nobody."""
    if not is_coach_or_owner(coach):
        return None
    members = [m for m in organization_members(viewer=coach) if m.pk != coach.pk and can_coach(coach, m)]
    if not members:
        return None
    return [
        row
        for row in member_adherence(members=members, week=week)
        if not row.has_program or row.below_mev or row.skipped
    ]


def _attention_line(row: MemberAdherence) -> str:
    name = row.member.full_name or row.member.email
    reasons = []
    if not row.has_program:
        reasons.append("no program yet")
    if row.skipped:
        reasons.append(f"skipped {', '.join(row.skipped)}")
    if row.below_mev:
        reasons.append(f"below MEV: {', '.join(m.label for m in row.below_mev)}")
    return f"- {name}: {'; '.join(reasons)}"


def digest_text(report: WeekReport, attention: Sequence[MemberAdherence] | None = None) -> tuple[str, str]:
    """(title, body) of one person's weekly digest: last week's sessions done against the plan,
    hard sets per muscle against the plan and landmarks, PRs; for coaches, who needs attention."""
    row, week = report.adherence, report.week
    program = report.settings.current_program
    lines = [f"Your week {week} ({week.label}):"]
    if program is not None and row.has_program:
        lines.append(
            f"Program “{program.name}”: {row.done_sessions} of {row.planned_sessions} planned sessions done."
        )
        if row.skipped:
            lines.append(f"Not done: {', '.join(row.skipped)}.")
    else:
        lines.append(
            f"{row.done_sessions} workout(s) logged. You have no current program: choose one in your "
            "training preferences to compare what you did with a plan."
        )
    hard = row.week.hard_sets
    without = (
        f" ({row.week.hard_sets_without_rir} without reps in reserve logged)"
        if row.week.hard_sets_without_rir
        else ""
    )
    lines.append(f"Hard sets: {hard}{without}.")
    muscles = [m for m in row.week.muscles if m.planned_sets > 0 or m.performed_sets > 0]
    if muscles:
        lines.append("Hard sets per muscle, done of planned (MEV–MRV):")
        lines.extend(
            _capped(
                [
                    f"- {m.label}: {_sets(m.performed_sets)} of {_sets(m.planned_sets)} "
                    f"({_sets(m.landmarks.mev)}–{_sets(m.landmarks.mrv)}): {m.status_label}"
                    for m in muscles
                ]
            )
        )
    if row.below_mev:
        lines.append(
            "Below MEV (fewer weekly sets than the minimum that makes a muscle grow): "
            + ", ".join(m.label for m in row.below_mev)
            + "."
        )
    if report.records:
        lines.append("Personal records:")
        lines.extend(records_lines(report.records, report.settings))
    else:
        lines.append("No new personal records.")
    if attention is not None:
        if attention:
            lines.append("Members needing attention (they may need you):")
            lines.extend(_capped([_attention_line(a) for a in attention]))
        else:
            lines.append("Every member you coach trained to plan.")
    return "Your weekly HypertroQ digest", "\n".join(lines)
