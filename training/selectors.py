"""Reads of the training log, scoped to the requesting lifter.

Tenant isolation lives here: every view resolves a ``workout_id``/``set_id``/``entry_id`` through
one of these functions, which raise ``Http404`` for anything that is not the lifter's own.

The workout page is read in a fixed number of queries whatever its size: the workout with the
lifter's preferences (1), its exercises with their library rows (1), its sets (1) and the last two
earlier workouts of each of its exercises (1, :func:`exercise_history`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.preferences import CountingRule, UserPreferences
from accounts.selectors import user_preferences_for
from exercises.models import Exercise
from programs.models import StructureType, TrainingProgram, WorkoutSession
from training.domain.records import RecordSet, is_pr
from training.models import SetLog, SetType, TrainingPreferences, WorkoutExercise, WorkoutLog


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _valid_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return False
    return True


# --- Preferences ------------------------------------------------------------------------------------


def preferences_for(*, user: Any) -> UserPreferences:
    """The lifter's preferences (``accounts.UserPreferences``); an unsaved row with the defaults
    when they never saved any. No query when they came with the user
    (``select_related("user__preferences")``)."""
    return user_preferences_for(user=user if _authenticated(user) else None)


def counting_rule_for(*, user: Any) -> str:
    """Fractional or direct: the counting rule on the lifter's preferences (one setting, shared
    with the program pages)."""
    if _authenticated(user):
        return str(user_preferences_for(user=user).counting)
    return str(CountingRule.FRACTIONAL)


def time_zone_for(prefs: UserPreferences) -> ZoneInfo:
    return ZoneInfo(prefs.time_zone or "UTC")


# --- Workouts ---------------------------------------------------------------------------------------

_WORKOUT_RELATED = (
    "user__preferences",
    "user__training_preferences",
    "user__volume_preference",
    "user__organization",
)


def workout_get_for_owner(*, user: Any, workout_id: uuid.UUID | str) -> WorkoutLog:
    """One of the lifter's (non-deleted) workouts, with their preferences; 404 otherwise."""
    if not _authenticated(user) or not _valid_uuid(workout_id):
        raise Http404("No such workout.")
    workout = WorkoutLog.objects.filter(user=user, pk=workout_id).select_related(*_WORKOUT_RELATED).first()
    if workout is None:
        raise Http404("No such workout.")
    return workout


def workout_open_for(*, user: Any) -> WorkoutLog | None:
    """The lifter's most recent unfinished workout (to resume), if any."""
    return WorkoutLog.objects.filter(user=user, finished_at__isnull=True).order_by("-started_at").first()


def workout_entries(*, workout: WorkoutLog) -> list[WorkoutExercise]:
    return list(
        WorkoutExercise.objects.filter(workout_log=workout)
        .select_related("exercise", "swapped_from")
        .defer("exercise__embedding", "swapped_from__embedding")
        .order_by("order_index", "created_at")
    )


def workout_entry_get(*, workout: WorkoutLog, entry_id: uuid.UUID | str) -> WorkoutExercise:
    """An exercise entry of ``workout`` (already scoped to its owner); 404 otherwise."""
    if not _valid_uuid(entry_id):
        raise Http404("No such exercise in this workout.")
    entry = (
        WorkoutExercise.objects.filter(workout_log=workout, pk=entry_id)
        .select_related("exercise")
        .defer("exercise__embedding")
        .first()
    )
    if entry is None:
        raise Http404("No such exercise in this workout.")
    return entry


def workout_entry_for_exercise(
    *, workout: WorkoutLog, exercise_id: uuid.UUID | str
) -> WorkoutExercise | None:
    """The (first, not skipped first) entry of ``workout`` doing ``exercise_id``."""
    if not _valid_uuid(exercise_id):
        return None
    return (
        WorkoutExercise.objects.filter(workout_log=workout, exercise_id=exercise_id)
        .order_by("skipped", "order_index", "created_at")
        .first()
    )


def workout_sets(*, workout: WorkoutLog) -> list[SetLog]:
    return list(SetLog.objects.filter(workout_log=workout).order_by("order_index", "logged_at"))


def set_get_for_workout(*, workout: WorkoutLog, set_id: uuid.UUID | str, deleted: bool = False) -> SetLog:
    """A set of ``workout`` (a deleted one for Undo when ``deleted``); 404 otherwise."""
    if not _valid_uuid(set_id):
        raise Http404("No such set.")
    found = (
        SetLog.all_objects.filter(workout_log=workout, pk=set_id, is_deleted=deleted)
        .select_related("exercise", "workout_exercise")
        .defer("exercise__embedding")
        .first()
    )
    if found is None:
        raise Http404("No such set.")
    return found  # type: ignore[no-any-return]


def exercise_addable(*, user: Any, exercise_id: uuid.UUID | str) -> Exercise:
    """A library or own custom exercise the lifter may add to a workout; 404 otherwise."""
    if not _valid_uuid(exercise_id):
        raise Http404("No such exercise.")
    found = (
        Exercise.objects.filter(Q(is_global=True) | Q(created_by=user), pk=exercise_id)
        .defer("embedding")
        .first()
    )
    if found is None:
        raise Http404("No such exercise.")
    return found


def exercise_choices_for(*, user: Any, query: str = "", limit: int = 30) -> list[Exercise]:
    """Exercises to add: name matches of the library and the lifter's own, alphabetical."""
    qs = Exercise.objects.filter(Q(is_global=True) | Q(created_by=user)).defer("embedding")
    if query:
        qs = qs.filter(name__icontains=query.strip()[:100])
    return list(qs.order_by("name")[:limit])


# --- History of an exercise (prefill, progression) -------------------------------------------------

# The last two earlier workouts with each exercise (walking the lifter's workouts newest first on
# ix_workout_logs_user_started), then their sets of that exercise.
_HISTORY_SQL = """
SELECT e.id, w.id, w.started_at, s.weight_kg, s.reps, s.rir, s.set_type, s.order_index
FROM unnest(%(exercises)s::uuid[]) AS e(id)
CROSS JOIN LATERAL (
    SELECT w.id, w.started_at
    FROM workout_logs w
    WHERE w.user_id = %(user)s AND NOT w.is_deleted AND w.started_at < %(before)s AND w.id <> %(workout)s
      AND EXISTS (
          SELECT 1 FROM set_logs x
          WHERE x.workout_log_id = w.id AND x.exercise_id = e.id AND NOT x.is_deleted
      )
    ORDER BY w.started_at DESC
    LIMIT %(depth)s
) w
JOIN set_logs s ON s.workout_log_id = w.id AND s.exercise_id = e.id AND NOT s.is_deleted
ORDER BY e.id, w.started_at DESC, s.order_index, s.logged_at
"""


@dataclass(frozen=True)
class PastSetRow:
    weight_kg: Decimal
    reps: int
    rir: Decimal | None
    set_type: str


@dataclass
class PastWorkoutRows:
    workout_id: str
    started_at: dt.datetime
    sets: list[PastSetRow] = field(default_factory=list)


def exercise_history(
    *,
    user: Any,
    exercise_ids: Sequence[Any],
    before: dt.datetime,
    exclude_workout: Any = None,
    depth: int = 2,
) -> dict[str, list[PastWorkoutRows]]:
    """exercise id -> its last ``depth`` workouts before ``before`` (newest first), ONE query."""
    if not exercise_ids:
        return {}
    history: dict[str, list[PastWorkoutRows]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            _HISTORY_SQL,
            {
                "exercises": [str(e) for e in dict.fromkeys(exercise_ids)],
                "user": user.pk,
                "before": before,
                "workout": exclude_workout or uuid.UUID(int=0),
                "depth": depth,
            },
        )
        for exercise_id, workout_id, started_at, weight, reps, rir, set_type, _order in cursor.fetchall():
            workouts = history[str(exercise_id)]
            if not workouts or workouts[-1].workout_id != str(workout_id):
                workouts.append(PastWorkoutRows(workout_id=str(workout_id), started_at=started_at))
            workouts[-1].sets.append(PastSetRow(weight_kg=weight, reps=reps, rir=rir, set_type=set_type))
    return dict(history)


# --- Personal records at logging time ---------------------------------------------------------------

# Every distinct (load, reps, RIR) of the lifter's earlier counted sets of one exercise, and
# whether one was done in another workout: what ``training.domain.records.is_pr`` needs, without
# shipping every set ever done across the wire.
_PR_SQL = """
SELECT s.weight_kg, s.reps, s.rir, bool_or(s.workout_log_id <> %(workout)s)
FROM set_logs s JOIN workout_logs w ON w.id = s.workout_log_id
WHERE w.user_id = %(user)s AND NOT w.is_deleted AND NOT s.is_deleted
  AND s.exercise_id = %(exercise)s AND s.set_type <> 'WARMUP' AND s.reps >= 1 AND s.id <> %(set)s
GROUP BY s.weight_kg, s.reps, s.rir
"""


def set_records(*, user: Any, set_log: SetLog) -> list[str]:
    """The record kinds (``e1rm``, ``reps``, ``volume``) ``set_log`` sets against every other
    counted set of its exercise by this lifter; ONE query (none for a warm-up or 0 reps)."""
    candidate = RecordSet(
        set_id=str(set_log.pk),
        workout_id="this",
        weight=Decimal(set_log.weight_kg),
        reps=set_log.reps,
        rir=set_log.rir,
        set_type=set_log.set_type,
    )
    if set_log.set_type == SetType.WARMUP or set_log.reps < 1:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _PR_SQL,
            {
                "workout": set_log.workout_log_id,
                "user": user.pk,
                "exercise": set_log.exercise_id,
                "set": set_log.pk,
            },
        )
        rows = cursor.fetchall()
    previous = [
        RecordSet(
            set_id=f"earlier-{i}",
            workout_id="other" if elsewhere else "this",
            weight=weight,
            reps=reps,
            rir=rir,
            set_type=SetType.WORKING,
        )
        for i, (weight, reps, rir, elsewhere) in enumerate(rows)
    ]
    return is_pr(previous, candidate)


def exercise_record_sets(
    *, user: Any, exercise_ids: Iterable[Any], until: dt.datetime | None = None
) -> dict[str, list[RecordSet]]:
    """exercise id -> the lifter's counted sets of it in the order done (for the finish summary's
    PRs); ONE query."""
    qs = SetLog.objects.filter(
        workout_log__user=user,
        workout_log__is_deleted=False,
        exercise_id__in=list(exercise_ids),
        reps__gte=1,
    ).exclude(set_type=SetType.WARMUP)
    if until is not None:
        qs = qs.filter(workout_log__started_at__lte=until)
    rows = qs.order_by("workout_log__started_at", "order_index", "logged_at").values_list(
        "pk", "workout_log_id", "exercise_id", "weight_kg", "reps", "rir", "set_type"
    )
    result: dict[str, list[RecordSet]] = defaultdict(list)
    for pk, workout_id, exercise_id, weight, reps, rir, set_type in rows:
        result[str(exercise_id)].append(
            RecordSet(
                set_id=str(pk),
                workout_id=str(workout_id),
                weight=weight,
                reps=reps,
                rir=rir,
                set_type=set_type,
            )
        )
    return dict(result)


# --- Starting a workout: the lifter's programs and "today" -----------------------------------------


def programs_to_start(*, user: Any) -> list[TrainingProgram]:
    """The lifter's programs with their sessions (two queries), for the start page."""
    from django.db.models import Prefetch

    return list(
        TrainingProgram.objects.filter(user=user, is_template=False)
        .prefetch_related(
            Prefetch("sessions", queryset=WorkoutSession.objects.order_by("order_index", "created_at"))
        )
        .order_by("-updated_at")
    )


def session_get_to_start(*, user: Any, session_id: uuid.UUID | str) -> WorkoutSession:
    """A session of one of the lifter's own programs, with its program; 404 otherwise."""
    if not _valid_uuid(session_id):
        raise Http404("No such session.")
    found = (
        WorkoutSession.objects.filter(
            pk=session_id, program__user=user, program__is_template=False, program__is_deleted=False
        )
        .select_related("program")
        .first()
    )
    if found is None:
        raise Http404("No such session.")
    return found


@dataclass(frozen=True)
class TodayPlan:
    """What the dashboard card shows: the session to do today (or next), and an open workout."""

    program: TrainingProgram | None
    session: WorkoutSession | None
    reason: str  # "Monday's session", "next in your rotation", "rest day: next is Thursday"
    is_today: bool
    open_workout: WorkoutLog | None


def today_plan(*, user: Any, now: dt.datetime) -> TodayPlan:
    """Today's session of the current program: the session on today's weekday (lifter's time
    zone) of a WEEKLY program, the one after the last one done of a CYCLIC rotation. Three or four
    queries (preferences with program, sessions, open workout, last workout of a rotation)."""
    prefs = (
        TrainingPreferences.objects.filter(user=user)
        .select_related("current_program", "user__preferences")
        .first()
    )
    open_workout = workout_open_for(user=user)
    program = prefs.current_program if prefs is not None else None
    if program is not None and (program.is_deleted or program.user_id != user.pk):
        program = None
    if program is None:
        return TodayPlan(None, None, "", False, open_workout)
    sessions = list(WorkoutSession.objects.filter(program=program).order_by("order_index", "created_at"))
    if not sessions:
        return TodayPlan(program, None, "This program has no sessions yet.", False, open_workout)
    local = (
        now.astimezone(ZoneInfo(user_preferences_for(user=prefs.user).time_zone or "UTC"))
        if prefs is not None
        else now
    )
    if program.structure_type == StructureType.WEEKLY:
        by_day = {s.day_of_week: s for s in sessions if s.day_of_week is not None}
        weekday = local.weekday()
        if weekday in by_day:
            return TodayPlan(program, by_day[weekday], f"{local:%A}'s session", True, open_workout)
        for ahead in range(1, 8):
            day = (weekday + ahead) % 7
            if day in by_day:
                name = dt.date(2024, 1, 1 + day).strftime("%A")  # 2024-01-01 is a Monday
                return TodayPlan(program, by_day[day], f"Rest day today; next is {name}", False, open_workout)
        return TodayPlan(program, sessions[0], "No session has a weekday", False, open_workout)
    last = (
        WorkoutLog.objects.filter(user=user, program=program, session__isnull=False)
        .order_by("-started_at")
        .values_list("session_id", flat=True)
        .first()
    )
    ids = [s.pk for s in sessions]
    following = sessions[(ids.index(last) + 1) % len(sessions)] if last in ids else sessions[0]
    return TodayPlan(program, following, "Next in your rotation", True, open_workout)


def recent_workouts(*, user: Any, limit: int = 5) -> QuerySet[WorkoutLog]:
    return WorkoutLog.objects.filter(user=user).order_by("-started_at")[:limit]


def current_program_id_for(*, user: Any) -> uuid.UUID | None:
    """The id of the program the lifter follows (None when they follow none): one query."""
    return (
        TrainingPreferences.objects.filter(user=user).values_list("current_program_id", flat=True).first()
        if _authenticated(user)
        else None
    )
