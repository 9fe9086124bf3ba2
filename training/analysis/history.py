"""Workout history reads, scoped to the lifter whose log it is.

Views resolve whose log they show first (``subject_for_coach`` for a coach looking at a member,
the requesting user otherwise); every function here then only reads that lifter's rows, so an id
of anyone else's workout or exercise is a 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, QuerySet, Sum
from django.http import Http404

from accounts.selectors import member_get_for_coach
from exercises.models import Exercise
from exercises.selectors import exercise_visible_queryset
from training.domain.records import E1RM_STEP, RecordBaseline, RecordSet, exercise_records
from training.models import SetLog, SetType, WorkoutLog


def subject_for_coach(*, viewer: Any, member_id: uuid.UUID | str) -> Any:
    """A member whose log ``viewer`` (an owner or coach of their organization) may read; 404 else."""
    if not getattr(viewer, "is_authenticated", False):
        raise Http404("No such member.")
    return member_get_for_coach(viewer=viewer, member_id=member_id)


def workout_list_for(*, user: Any) -> QuerySet[WorkoutLog]:
    """``user``'s workouts, newest first (the (user, started_at) index serves the page)."""
    return WorkoutLog.objects.filter(user=user).order_by("-started_at")


@dataclass(frozen=True)
class WorkoutStats:
    set_count: int = 0
    tonnage: Decimal = Decimal(0)
    exercise_count: int = 0


def workout_stats(*, workout_ids: list[Any]) -> dict[str, WorkoutStats]:
    """Counted (non-warm-up) sets, tonnage (load × reps) and exercises of the given workouts: one
    aggregate query over just their sets (a history page's 20, not the whole log)."""
    rows = (
        SetLog.objects.filter(workout_log_id__in=workout_ids)
        .exclude(set_type=SetType.WARMUP)
        .values("workout_log_id")
        .annotate(
            set_count=Count("id"),
            tonnage=Sum(ExpressionWrapper(F("weight_kg") * F("reps"), output_field=DecimalField())),
            exercise_count=Count("exercise_id", distinct=True),
        )
        .order_by()
    )
    return {
        str(r["workout_log_id"]): WorkoutStats(
            r["set_count"], r["tonnage"] or Decimal(0), r["exercise_count"]
        )
        for r in rows
    }


def workout_days(*, user: Any, start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> dict[dt.date, int]:
    """Local date -> number of workouts started that day, for [start, end)."""
    days: dict[dt.date, int] = {}
    for started in WorkoutLog.objects.filter(
        user=user, started_at__gte=start, started_at__lt=end
    ).values_list("started_at", flat=True):
        day = started.astimezone(tz).date()
        days[day] = days.get(day, 0) + 1
    return days


def workout_get_for(*, user: Any, workout_id: uuid.UUID | str) -> WorkoutLog:
    """One of ``user``'s (non-deleted) workouts; 404 otherwise."""
    if getattr(user, "pk", None) is None:  # an anonymous viewer owns no workouts
        raise Http404("No such workout.")
    workout = WorkoutLog.objects.filter(user=user, pk=workout_id).select_related("program", "session").first()
    if workout is None:
        raise Http404("No such workout.")
    return workout


_SET_FIELDS = ("id", "workout_log_id", "weight_kg", "reps", "rir", "set_type")


def _earlier_sets(*, user: Any, exercise_ids: list[Any], until: dt.datetime) -> QuerySet[SetLog]:
    return (
        SetLog.objects.filter(
            workout_log__user=user,
            workout_log__is_deleted=False,
            workout_log__started_at__lte=until,
            exercise_id__in=exercise_ids,
        )
        .exclude(set_type=SetType.WARMUP)
        .order_by("workout_log__started_at", "workout_log_id", "order_index", "logged_at")
    )


@dataclass
class ExerciseBlock:
    """The sets of one exercise in one workout, in order, with the PRs they set."""

    exercise: Exercise
    sets: list[SetLog] = field(default_factory=list)
    prs: dict[str, list[str]] = field(default_factory=dict)


# Per exercise and load, the best of every counted set before a moment: what a set has to beat.
# Epley on effective reps r as in training.domain.records.estimated_1rm, times 30 (w × (30 + r),
# or w × 30 when r = 1) so the database only multiplies; Python divides by 30 and rounds.
BASELINE_SQL = """
SELECT sl.exercise_id, sl.weight_kg, MAX(sl.reps), MAX(sl.weight_kg * sl.reps),
       MAX(CASE WHEN sl.weight_kg > 0 AND sl.reps + COALESCE(sl.rir, 0) BETWEEN 1 AND 10 THEN
               CASE WHEN sl.reps + COALESCE(sl.rir, 0) = 1 THEN sl.weight_kg * 30
                    ELSE sl.weight_kg * (30 + sl.reps + COALESCE(sl.rir, 0)) END
           END)
FROM set_logs sl
JOIN workout_logs wl ON wl.id = sl.workout_log_id
WHERE wl.user_id = %(user)s AND NOT wl.is_deleted AND wl.started_at < %(before)s
  AND NOT sl.is_deleted AND sl.exercise_id = ANY(%(exercises)s)
  AND sl.set_type <> %(warmup)s AND sl.reps >= 1
GROUP BY sl.exercise_id, sl.weight_kg
"""


def record_baselines(
    *, user_id: Any, exercise_ids: list[Any], before: dt.datetime
) -> dict[str, RecordBaseline]:
    """The records each exercise stood at before ``before`` (one aggregate query, a row per load)."""
    baselines: dict[str, RecordBaseline] = {}
    if not exercise_ids:
        return baselines
    with connection.cursor() as cursor:
        cursor.execute(
            BASELINE_SQL,
            {
                "user": user_id,
                "before": before,
                "exercises": [uuid.UUID(str(e)) for e in exercise_ids],
                "warmup": SetType.WARMUP.value,
            },
        )
        for exercise_id, weight, reps, volume, e1rm in cursor.fetchall():
            baselines.setdefault(str(exercise_id), RecordBaseline()).merge(
                weight=weight,
                reps=reps,
                e1rm=None
                if e1rm is None
                else (Decimal(e1rm) / 30).quantize(E1RM_STEP, rounding=ROUND_HALF_UP),
                volume=volume,
            )
    return baselines


def workout_detail(*, workout: WorkoutLog) -> list[ExerciseBlock]:
    """The workout's sets grouped by exercise (in the order first done), with PR flags against every
    earlier set of the same exercise by the same lifter. Two queries (sets; earlier records)."""
    sets = list(
        SetLog.objects.filter(workout_log=workout)
        .select_related("exercise")
        .order_by("order_index", "logged_at")
    )
    blocks: dict[Any, ExerciseBlock] = {}
    for s in sets:
        blocks.setdefault(s.exercise_id, ExerciseBlock(exercise=s.exercise)).sets.append(s)
    baselines = record_baselines(
        user_id=workout.user_id, exercise_ids=list(blocks), before=workout.started_at
    )
    for exercise_id, block in blocks.items():
        walked = [
            RecordSet(str(s.pk), str(workout.pk), s.weight_kg, s.reps, s.rir, s.set_type) for s in block.sets
        ]
        block.prs = exercise_records(walked, baseline=baselines.get(str(exercise_id))).prs
    return list(blocks.values())


def exercise_get_for_history(*, user: Any, exercise_id: uuid.UUID | str) -> Exercise:
    """An exercise whose history ``user`` may read: one they can see in the library (global or
    their own custom one). 404 for anyone else's custom exercise."""
    exercise = exercise_visible_queryset(user=user).filter(pk=exercise_id).first()
    if exercise is None:
        raise Http404("No such exercise.")
    return exercise


@dataclass(frozen=True)
class ExerciseSession:
    """One workout's sets of one exercise, summarised for the history table and chart."""

    workout_id: str
    started_at: dt.datetime
    title: str
    sets: tuple[RecordSet, ...]
    top_weight: Decimal
    top_reps: int
    best_e1rm: Decimal | None
    volume: Decimal
    prs: tuple[str, ...]  # record kinds set in this workout


@dataclass(frozen=True)
class ExerciseHistory:
    sessions: list[ExerciseSession]  # oldest first
    best_e1rm: Decimal | None
    best_volume: Decimal | None
    rep_records: list[tuple[Decimal, int]]

    @property
    def newest_first(self) -> list[ExerciseSession]:
        return self.sessions[::-1]


def exercise_history_for(*, user: Any, exercise: Exercise) -> ExerciseHistory:
    """Every counted (non-warm-up) set of ``exercise`` in ``user``'s workouts, grouped by workout,
    with records and PRs. One query."""
    rows = _earlier_sets(
        user=user, exercise_ids=[exercise.pk], until=dt.datetime.max.replace(tzinfo=dt.UTC)
    ).values_list(*_SET_FIELDS, "workout_log__started_at", "workout_log__session_name")
    # Tuples, and each workout's id, start and name taken once: the walk reads hundreds of sets.
    grouped: dict[str, list[RecordSet]] = {}
    started: dict[str, tuple[dt.datetime, str]] = {}
    walked: list[RecordSet] = []
    last_workout: Any = None
    workout_key = ""
    for set_id, workout_id, weight, reps, rir, set_type, start, name in rows:
        if workout_id != last_workout:
            last_workout, workout_key = workout_id, str(workout_id)
            started.setdefault(workout_key, (start, name))
        record = RecordSet(str(set_id), workout_key, weight, reps, rir, set_type)
        walked.append(record)
        grouped.setdefault(workout_key, []).append(record)
    records = exercise_records(walked)
    sessions = []
    for workout_id, group in grouped.items():
        sets = tuple(group)
        counted = [s for s in sets if s.reps >= 1] or list(sets)
        top = max(counted, key=lambda s: (s.weight, s.reps))
        estimates = [e for e in (s.e1rm for s in sets) if e is not None]
        kinds: list[str] = []
        for s in sets:
            for kind in records.kinds(s.set_id):
                if kind not in kinds:
                    kinds.append(kind)
        start, name = started[workout_id]
        sessions.append(
            ExerciseSession(
                workout_id=workout_id,
                started_at=start,
                title=name or "Workout",
                sets=sets,
                top_weight=top.weight,
                top_reps=top.reps,
                best_e1rm=max(estimates) if estimates else None,
                volume=sum((s.volume for s in sets), Decimal(0)),
                prs=tuple(kinds),
            )
        )
    return ExerciseHistory(
        sessions=sessions,
        best_e1rm=records.best_e1rm,
        best_volume=records.best_volume,
        rep_records=records.rep_records,
    )


def exercises_done_by(*, user: Any) -> QuerySet[Exercise]:
    """The exercises ``user`` has logged counted sets of, most recently done first."""
    return (
        Exercise.all_objects.filter(
            set_logs__workout_log__user=user,
            set_logs__workout_log__is_deleted=False,
            set_logs__is_deleted=False,
            set_logs__set_type__in=[SetType.WORKING, SetType.DROP, SetType.FAILURE],
        )
        .annotate(last_done=Max("set_logs__workout_log__started_at"), set_total=Count("set_logs"))
        .order_by("-last_done")
    )


def export_sets(*, user: Any) -> Iterator[SetLog]:
    """Every (non-deleted) set of ``user``'s (non-deleted) workouts, oldest workout first, with its
    workout and exercise: streamed in chunks for the export."""
    return (
        SetLog.objects.filter(workout_log__user=user, workout_log__is_deleted=False)
        .select_related("workout_log", "exercise")
        .order_by("workout_log__started_at", "workout_log_id", "order_index", "logged_at")
        .iterator(chunk_size=2000)
    )
