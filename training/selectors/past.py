"""Past sets of an exercise: the last two earlier workouts (prefill, progression) and the
personal records a new set is measured against."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from training.domain.records import RecordSet, is_pr
from training.models import SetLog, SetType

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
