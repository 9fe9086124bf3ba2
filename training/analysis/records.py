"""The personal records a lifter set in one workout or in one week, for notifications and the
weekly digest. Both reuse the record rules of ``training.domain.records`` and the per-load
baselines of ``training.analysis.history`` (what every earlier set stands at), so a PR here is
exactly the PR the workout and history pages flag."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from training.analysis.history import record_baselines, workout_detail
from training.domain.records import E1RM_STEP, RECORD_LABELS, RecordSet, exercise_records
from training.domain.units import KG, format_load
from training.domain.weeks import IsoWeek
from training.models import SetLog, WorkoutLog


@dataclass(frozen=True)
class PersonalRecord:
    """One set that beat every earlier set of its exercise, and the record kinds it set."""

    exercise: str
    weight_kg: Decimal
    reps: int
    kinds: tuple[str, ...]
    e1rm: Decimal | None

    def text(self, *, unit: str, increment: Decimal | None = None) -> str:
        """``Barbell bench press, 87.5 kg × 8: best estimated 1RM (116.7 kg), best set volume``."""
        parts = []
        for kind in self.kinds:
            label = RECORD_LABELS[kind]
            label = label[0].lower() + label[1:]
            if kind == "e1rm" and self.e1rm is not None:
                # As the history pages: estimates to 0.1 kg / 1 lb, not the plate increment.
                label += f" ({format_load(self.e1rm, unit, E1RM_STEP if unit == KG else Decimal(1))})"
            parts.append(label)
        load = format_load(self.weight_kg, unit, increment)
        return f"{self.exercise}, {load} × {self.reps}: {', '.join(parts)}"


def _record(name: str, s: RecordSet, kinds: list[str]) -> PersonalRecord:
    return PersonalRecord(exercise=name, weight_kg=s.weight, reps=s.reps, kinds=tuple(kinds), e1rm=s.e1rm)


def workout_records(*, workout: WorkoutLog) -> list[PersonalRecord]:
    """The PRs set in ``workout`` against every earlier set of the same lifter (two queries:
    the workout's sets, the earlier records; as the workout page)."""
    records: list[PersonalRecord] = []
    for block in workout_detail(workout=workout):
        for s in block.sets:
            kinds = block.prs.get(str(s.pk))
            if kinds:
                walked = RecordSet(str(s.pk), str(workout.pk), s.weight_kg, s.reps, s.rir, s.set_type)
                records.append(_record(block.exercise.name, walked, kinds))
    return records


def week_records(*, user: Any, tz: ZoneInfo, week: IsoWeek) -> list[PersonalRecord]:
    """The PRs ``user`` set in ``week`` (their time zone; a workout counts in the week it
    started): each set is walked against the records standing before it. Two queries (the week's
    sets; the records before the week), one when nothing was logged."""
    start = dt.datetime.combine(week.monday, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(week.monday + dt.timedelta(days=7), dt.time(0), tzinfo=tz)
    rows = (
        SetLog.objects.filter(
            workout_log__user=user,
            workout_log__is_deleted=False,
            workout_log__started_at__gte=start,
            workout_log__started_at__lt=end,
        )
        .order_by("workout_log__started_at", "workout_log_id", "order_index", "logged_at")
        .values_list(
            "id", "workout_log_id", "exercise_id", "exercise__name", "weight_kg", "reps", "rir", "set_type"
        )
    )
    walked: dict[str, list[RecordSet]] = {}
    names: dict[str, str] = {}
    for set_id, workout_id, exercise_id, name, weight, reps, rir, set_type in rows:
        key = str(exercise_id)
        names[key] = name
        walked.setdefault(key, []).append(
            RecordSet(str(set_id), str(workout_id), weight, reps, rir, set_type)
        )
    if not walked:
        return []
    baselines = record_baselines(user_id=user.pk, exercise_ids=list(walked), before=start)
    records: list[PersonalRecord] = []
    for exercise_id, sets in walked.items():
        prs = exercise_records(sets, baseline=baselines.get(exercise_id)).prs
        records.extend(_record(names[exercise_id], s, prs[s.set_id]) for s in sets if s.set_id in prs)
    return records
