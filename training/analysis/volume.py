"""Performed weekly volume from ONE aggregate query, and planned-vs-performed weeks.

The database filters hard sets, expands each set over its exercise's muscle contributions, buckets
workouts into ISO weeks in each lifter's time zone and sums; ``training.domain.volume``
interprets. The planned side is the lifter's current program through ``programs``' own volume
maths (WEEKLY sums weekday sessions; CYCLIC = rotation total × frequency / N).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from programs.selectors import VolumeSettings, program_volume_rows, volume_from_rows
from programs.volume import ProgramRows, ProgramVolume, rows_by_program
from training.analysis.settings import TrainingSettings, training_settings_for_users
from training.domain.volume import HARD_SET_TYPES, MuscleWeek, PerformedMuscle, muscle_weeks
from training.domain.weeks import IsoWeek, week_range
from training.models import WorkoutLog

# One row per (user, week, muscle) plus one per (user, week) with the week's hard-set counts.
# ``u`` carries each lifter's time zone and RIR threshold (decided in Python, passed as arrays);
# the started_at range is widened by a day each side so the index on (user_id, started_at) does
# the coarse cut whatever the zone, and the local-week bucket does the exact one. Hard sets are
# first counted per (user, week, exercise, RIR logged or not), so the muscle expansion works on
# a few hundred rows, not on every set.
PERFORMED_SQL = """
WITH u AS (
    SELECT * FROM unnest(%(users)s::uuid[], %(zones)s::text[], %(thresholds)s::numeric[])
        AS u(user_id, tz, threshold)
),
w AS (
    SELECT wl.id, wl.user_id, u.threshold,
           date_trunc('week', wl.started_at AT TIME ZONE u.tz)::date AS week
    FROM u
    JOIN workout_logs wl ON wl.user_id = u.user_id
    WHERE NOT wl.is_deleted AND wl.started_at >= %(lo)s AND wl.started_at < %(hi)s
),
h AS (
    SELECT w.user_id, w.week, sl.exercise_id, (sl.rir IS NULL) AS no_rir, COUNT(*) AS n
    FROM w
    JOIN set_logs sl ON sl.workout_log_id = w.id
    WHERE w.week >= %(first)s AND w.week <= %(last)s
      AND NOT sl.is_deleted
      AND sl.set_type = ANY(%(hard_types)s) AND sl.reps >= 1
      AND (sl.rir IS NULL OR sl.rir <= w.threshold)
    GROUP BY 1, 2, 3, 4
)
SELECT h.user_id::text, h.week, m.key AS muscle,
       SUM(h.n * m.value::float8) AS fractional,
       COALESCE(SUM(h.n) FILTER (WHERE m.value::float8 = 1), 0) AS direct,
       COALESCE(SUM(h.n * m.value::float8) FILTER (WHERE h.no_rir), 0) AS fractional_no_rir,
       COALESCE(SUM(h.n) FILTER (WHERE h.no_rir AND m.value::float8 = 1), 0) AS direct_no_rir,
       0 AS hard_sets, 0 AS hard_sets_no_rir
FROM h
JOIN exercises e ON e.id = h.exercise_id
CROSS JOIN LATERAL jsonb_each(e.muscle_contributions) AS m
GROUP BY h.user_id, h.week, m.key
UNION ALL
SELECT h.user_id::text, h.week, NULL, 0, 0, 0, 0, SUM(h.n), COALESCE(SUM(h.n) FILTER (WHERE h.no_rir), 0)
FROM h
GROUP BY h.user_id, h.week
"""


@dataclass
class PerformedWeekRow:
    """What one lifter did in one week: per muscle, and the week's hard-set counts."""

    muscles: dict[str, PerformedMuscle]
    hard_sets: int = 0
    hard_sets_without_rir: int = 0


Performed = dict[str, dict[IsoWeek, PerformedWeekRow]]  # user id -> week -> row


def performed_by_week(
    *, users: Sequence[tuple[Any, TrainingSettings]], first: IsoWeek, last: IsoWeek
) -> Performed:
    """Hard-set volume per lifter, week and muscle for the weeks ``first``..``last``: one query.

    Weeks with no hard set are absent (callers treat them as zero).
    """
    if not users:
        return {}
    lo = dt.datetime.combine(first.monday - dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    hi = dt.datetime.combine(last.monday + dt.timedelta(days=8), dt.time(0), tzinfo=dt.UTC)
    params: dict[str, Any] = {
        "users": [uuid.UUID(str(u.pk)) for u, _ in users],
        "zones": [s.tz.key for _, s in users],
        "thresholds": [Decimal(s.rir_threshold) for _, s in users],
        "lo": lo,
        "hi": hi,
        "first": first.monday,
        "last": last.monday,
        "hard_types": sorted(HARD_SET_TYPES),
    }
    with connection.cursor() as cursor:
        cursor.execute(PERFORMED_SQL, params)
        raw = cursor.fetchall()
    result: Performed = {}
    for user_id, monday, muscle, fractional, direct, frac_no_rir, direct_no_rir, hard, hard_no_rir in raw:
        row = result.setdefault(user_id, {}).setdefault(IsoWeek.of_date(monday), PerformedWeekRow(muscles={}))
        if muscle is None:
            row.hard_sets, row.hard_sets_without_rir = int(hard), int(hard_no_rir)
        else:
            row.muscles[muscle] = PerformedMuscle(
                fractional=round(float(fractional), 2),
                direct=float(direct),
                fractional_without_rir=round(float(frac_no_rir), 2),
                direct_without_rir=float(direct_no_rir),
            )
    return result


# --- Planned ---------------------------------------------------------------------------------------


def planned_volumes(*, users: Sequence[tuple[Any, TrainingSettings]]) -> dict[str, ProgramVolume]:
    """Each lifter's current program's weekly volume by their own counting rule and landmarks,
    keyed by user id; lifters with no current program are absent. One aggregate query."""
    programs = {str(u.pk): s.current_program for u, s in users if s.current_program is not None}
    if not programs:
        return {}
    grouped = rows_by_program(program_volume_rows(program_ids=[p.pk for p in programs.values()]))
    counting = {str(u.pk): VolumeSettings(counting=s.counting, landmarks=s.landmarks) for u, s in users}
    return {
        user_id: volume_from_rows(
            program=program,
            program_rows=grouped.get(str(program.pk), ProgramRows()),
            settings=counting[user_id],
        )
        for user_id, program in programs.items()
    }


def planned_sets(volume: ProgramVolume | None) -> dict[str, float]:
    """Muscle -> planned weekly sets by the volume's counting rule (empty without a program)."""
    if volume is None:
        return {}
    return {m.muscle: float(m.counted_sets) for m in volume.muscles}


# --- Weeks for one lifter --------------------------------------------------------------------------


@dataclass(frozen=True)
class VolumeWeek:
    week: IsoWeek
    muscles: list[MuscleWeek]
    hard_sets: int
    hard_sets_without_rir: int

    def muscle(self, muscle: str) -> MuscleWeek:
        return next(m for m in self.muscles if m.muscle == muscle)

    @property
    def below_mev(self) -> list[MuscleWeek]:
        """Muscles with a planned volume whose performed sets stayed under MEV."""
        return [m for m in self.muscles if m.status == "below_mev" and m.planned_sets > 0]


@dataclass(frozen=True)
class VolumeHistory:
    """Planned vs performed for a run of weeks (oldest first), with what went into it."""

    weeks: list[VolumeWeek]
    planned: ProgramVolume | None
    settings: TrainingSettings

    def week(self, week: IsoWeek) -> VolumeWeek:
        return next(w for w in self.weeks if w.week == week)


def build_weeks(
    *,
    weeks: Sequence[IsoWeek],
    performed: dict[IsoWeek, PerformedWeekRow],
    planned: ProgramVolume | None,
    settings: TrainingSettings,
) -> list[VolumeWeek]:
    plan = planned_sets(planned)
    empty = PerformedWeekRow(muscles={})
    out = []
    for week in weeks:
        row = performed.get(week, empty)
        out.append(
            VolumeWeek(
                week=week,
                muscles=muscle_weeks(
                    planned=plan,
                    performed=row.muscles,
                    counting=settings.counting,
                    landmarks=settings.landmarks,
                ),
                hard_sets=row.hard_sets,
                hard_sets_without_rir=row.hard_sets_without_rir,
            )
        )
    return out


def volume_history_for(
    *, user: Any, settings: TrainingSettings, last: IsoWeek, count: int = 1
) -> VolumeHistory:
    """``count`` weeks ending with ``last`` for ``user`` (already resolved and scoped by the caller):
    one aggregate query for the performed side, one for the planned side (if a current program)."""
    weeks = week_range(last, count)
    subject = [(user, settings)]
    performed = performed_by_week(users=subject, first=weeks[0], last=weeks[-1]).get(str(user.pk), {})
    planned = planned_volumes(users=subject).get(str(user.pk))
    return VolumeHistory(
        weeks=build_weeks(weeks=weeks, performed=performed, planned=planned, settings=settings),
        planned=planned,
        settings=settings,
    )


# --- The coach's adherence table -------------------------------------------------------------------


@dataclass(frozen=True)
class MemberAdherence:
    member: Any
    has_program: bool
    program_name: str
    week: VolumeWeek
    planned_sessions: int
    done_sessions: int
    skipped: list[str]  # names of planned sessions with no workout (WEEKLY), or "2 of 3 days"

    @property
    def below_mev(self) -> list[MuscleWeek]:
        return self.week.below_mev


def _sessions_done(
    *, users: Sequence[tuple[Any, TrainingSettings]], week: IsoWeek
) -> dict[str, list[tuple[str | None, str | None]]]:
    """user id -> (program id, session id) of each workout started in ``week`` (their time zone)."""
    lo = dt.datetime.combine(week.monday - dt.timedelta(days=1), dt.time(0), tzinfo=dt.UTC)
    hi = dt.datetime.combine(week.monday + dt.timedelta(days=8), dt.time(0), tzinfo=dt.UTC)
    zones = {str(u.pk): s.tz for u, s in users}
    done: dict[str, list[tuple[str | None, str | None]]] = {}
    rows = WorkoutLog.objects.filter(
        user_id__in=list(zones), started_at__gte=lo, started_at__lt=hi
    ).values_list("user_id", "program_id", "session_id", "started_at")
    for user_id, program_id, session_id, started in rows:
        if IsoWeek.of(started, zones[str(user_id)]) == week:
            done.setdefault(str(user_id), []).append(
                (str(program_id) if program_id else None, str(session_id) if session_id else None)
            )
    return done


def member_adherence(*, members: Sequence[Any], week: IsoWeek) -> list[MemberAdherence]:
    """Planned vs performed for each member in ``week`` (their own time zones, counting rules and
    landmarks), with the planned sessions they skipped. ``members`` must already be scoped to the
    viewer (``accounts.selectors.organization_members``). Four queries whatever the number."""
    members = list(members)
    settings = training_settings_for_users(users=members)
    users = [(m, settings[str(m.pk)]) for m in members]
    performed = performed_by_week(users=users, first=week, last=week)
    planned = planned_volumes(users=users)
    done = _sessions_done(users=users, week=week)
    table = []
    for member, member_settings in users:
        key = str(member.pk)
        volume = planned.get(key)
        program = member_settings.current_program
        workouts = done.get(key, [])
        skipped: list[str] = []
        planned_count = 0
        if volume is not None and program is not None:
            if volume.is_cyclic:
                planned_count = int(program.frequency)
                followed = sum(1 for program_id, _ in workouts if program_id == str(program.pk))
                done_count = min(followed, planned_count)
                if planned_count > done_count:
                    skipped.append(f"{planned_count - done_count} of {planned_count} training days")
            else:
                planned_count = len(volume.sessions)
                logged = {session_id for _, session_id in workouts}
                skipped = [s.name for s in volume.sessions if s.session_id not in logged]
                done_count = planned_count - len(skipped)
        else:
            done_count = len(workouts)
        table.append(
            MemberAdherence(
                member=member,
                has_program=volume is not None,
                program_name=program.name if program is not None else "",
                week=build_weeks(
                    weeks=[week], performed=performed.get(key, {}), planned=volume, settings=member_settings
                )[0],
                planned_sessions=planned_count,
                done_sessions=done_count,
                skipped=skipped,
            )
        )
    return table
