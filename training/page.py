"""What the workout page and the finish summary show, built from rows the selectors read.

Plain functions over loaded rows (no queries here): loads in the lifter's unit, "last time" and
the progression suggestion per exercise, the prefilled set form, plates for barbell loads, the
rest timer, and the finish summary.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from accounts.preferences import UserPreferences
from exercises.domain import MUSCLE_LABELS, MUSCLE_ORDER, Equipment
from training.domain.plates import PlateLoading, plate_loading
from training.domain.progression import PastSet, PastWorkout, Suggestion, suggest, when_label
from training.domain.records import RECORD_LABELS, RecordSet, exercise_records
from training.domain.units import display_load, format_load
from training.domain.volume import LoggedSet, performed_volume
from training.models import SetLog, SetType, WorkoutExercise, WorkoutLog
from training.selectors import PastSetRow, PastWorkoutRows

PLATE_EQUIPMENT = frozenset({Equipment.BARBELL, Equipment.SMITH_MACHINE})
DEFAULT_REST_SECONDS = 120
SET_TYPE_SHORT: dict[str, str] = {
    SetType.WARMUP: "W",
    SetType.WORKING: "",
    SetType.DROP: "D",
    SetType.FAILURE: "F",
}


def rir_text(rir: Decimal | None) -> str:
    if rir is None:
        return ""
    return f"{Decimal(rir):.1f}".removesuffix(".0")


def set_text(weight_kg: Decimal, reps: int, rir: Decimal | None, prefs: UserPreferences) -> str:
    """``80 kg × 10 @ RIR 2``."""
    text = f"{format_load(weight_kg, prefs.unit, Decimal(prefs.display_increment))} × {reps}"
    if rir is not None:
        text += f" @ RIR {rir_text(rir)}"
    return text


@dataclass(frozen=True)
class SetRow:
    set: SetLog
    number: int  # 1-based among the entry's sets
    weight: Decimal  # in the lifter's unit
    text: str
    records: tuple[str, ...] = ()

    @property
    def type_label(self) -> str:
        return str(SetType(self.set.set_type).label)

    @property
    def type_short(self) -> str:
        return SET_TYPE_SHORT.get(self.set.set_type, "")

    @property
    def record_labels(self) -> list[str]:
        return [RECORD_LABELS.get(kind, kind) for kind in self.records]


def set_row(set_log: SetLog, number: int, prefs: UserPreferences, records: Sequence[str] = ()) -> SetRow:
    return SetRow(
        set=set_log,
        number=number,
        weight=display_load(set_log.weight_kg, prefs.unit, Decimal(prefs.display_increment)),
        text=set_text(set_log.weight_kg, set_log.reps, set_log.rir, prefs),
        records=tuple(records),
    )


@dataclass
class Prefill:
    weight: Decimal | None = None  # lifter's unit
    reps: int | None = None
    rir: str = ""
    set_type: str = SetType.WORKING
    source: str = ""  # "last time", "your last set", "the suggestion"


@dataclass
class EntryView:
    entry: WorkoutExercise
    sets: list[SetRow]
    last_time: str = ""
    suggestion: Suggestion | None = None
    accepted: bool = False
    prefill: Prefill = field(default_factory=Prefill)
    plates: PlateLoading | None = None
    default_rest: int = DEFAULT_REST_SECONDS  # the lifter's default rest (preferences)

    @property
    def planned(self) -> str:
        e = self.entry
        parts = []
        if e.planned_sets:
            parts.append(f"{e.planned_sets} × {e.planned_reps or '?'}")
        if e.rest_seconds:
            minutes, seconds = divmod(e.rest_seconds, 60)
            parts.append(f"rest {minutes}:{seconds:02d}" if minutes else f"rest {seconds} s")
        return " · ".join(parts)

    @property
    def working_done(self) -> int:
        return sum(1 for row in self.sets if row.set.set_type != SetType.WARMUP)

    @property
    def rest_seconds(self) -> int:
        return self.entry.rest_seconds if self.entry.rest_seconds is not None else self.default_rest


def _top_set(rows: Sequence[PastSetRow]) -> PastSetRow | None:
    working = [r for r in rows if r.set_type != SetType.WARMUP and r.reps >= 1]
    if not working:
        return None
    return max(working, key=lambda r: (r.weight_kg, r.reps))


def _past_workouts(history: Sequence[PastWorkoutRows], today: dt.date, tz: Any) -> list[PastWorkout]:
    return [
        PastWorkout(
            when=when_label(w.started_at.astimezone(tz).date(), today),
            sets=[
                PastSet(weight_kg=s.weight_kg, reps=s.reps, rir=s.rir, set_type=s.set_type) for s in w.sets
            ],
        )
        for w in history
    ]


def entry_views(
    *,
    entries: Sequence[WorkoutExercise],
    sets: Sequence[SetLog],
    history: dict[str, list[PastWorkoutRows]],
    prefs: UserPreferences,
    now: dt.datetime,
    tz: Any,
    accept: str = "",
) -> list[EntryView]:
    """One view per exercise of the workout, with its sets, last time, suggestion and prefill."""
    by_entry: dict[Any, list[SetLog]] = defaultdict(list)
    loose: dict[Any, list[SetLog]] = defaultdict(list)
    for s in sets:
        if s.workout_exercise_id is not None:
            by_entry[s.workout_exercise_id].append(s)
        else:
            loose[s.exercise_id].append(s)
    increment = Decimal(prefs.display_increment)
    today = now.astimezone(tz).date()
    views = []
    for entry in entries:
        own = by_entry.get(entry.pk, []) + loose.pop(entry.exercise_id, [])
        rows = [set_row(s, i + 1, prefs) for i, s in enumerate(own)]
        past = history.get(str(entry.exercise_id), [])
        view = EntryView(entry=entry, sets=rows, default_rest=int(prefs.default_rest_seconds))
        top = _top_set(past[0].sets) if past else None
        if top is not None:
            view.last_time = (
                f"Last time ({when_label(past[0].started_at.astimezone(tz).date(), today)}): "
                + set_text(top.weight_kg, top.reps, top.rir, prefs)
            )
        view.suggestion = suggest(
            reps=entry.planned_reps or None,
            equipment=entry.exercise.equipment,
            history=_past_workouts(past, today, tz),
            unit=prefs.unit,
            increment=increment,
        )
        view.accepted = bool(accept) and accept == str(entry.pk) and view.suggestion is not None
        if own:
            last = own[-1]
            view.prefill = Prefill(
                weight=display_load(last.weight_kg, prefs.unit, increment),
                reps=last.reps,
                rir=rir_text(last.rir),
                set_type=SetType.WORKING if last.set_type == SetType.WARMUP else last.set_type,
                source="your last set",
            )
        if view.accepted and view.suggestion is not None:
            view.prefill = Prefill(
                weight=view.suggestion.weight, reps=view.suggestion.reps, source="the suggestion"
            )
        elif not own and top is not None:
            view.prefill = Prefill(
                weight=display_load(top.weight_kg, prefs.unit, increment),
                reps=top.reps,
                rir=rir_text(top.rir),
                source="last time",
            )
        if entry.exercise.equipment in PLATE_EQUIPMENT and view.prefill.weight:
            view.plates = plates_for(view.prefill.weight, prefs)
        views.append(view)
    return views


def plates_for(weight: Decimal, prefs: UserPreferences) -> PlateLoading:
    """The plate calculator with the lifter's bar and plates (``weight`` in their unit)."""
    return plate_loading(
        Decimal(weight),
        unit=prefs.unit,
        bar=Decimal(prefs.bar_weight),
        plates=[Decimal(p) for p in prefs.plates],
    )


@dataclass(frozen=True)
class Rest:
    until: dt.datetime
    seconds: int
    exercise: str

    def running(self, now: dt.datetime) -> bool:
        return self.until > now


def rest_after_last_set(views: Sequence[EntryView]) -> Rest | None:
    """The rest after the most recent set, from its exercise's planned rest (the lifter's default
    rest, 2 min unless they changed it, if none)."""
    latest: tuple[dt.datetime, EntryView] | None = None
    for view in views:
        for row in view.sets:
            if latest is None or row.set.logged_at > latest[0]:
                latest = (row.set.logged_at, view)
    if latest is None:
        return None
    logged_at, view = latest
    seconds = view.rest_seconds
    return Rest(
        until=logged_at + dt.timedelta(seconds=seconds), seconds=seconds, exercise=view.entry.exercise.name
    )


# --- Finish summary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MuscleSets:
    muscle: str
    label: str
    sets: float

    @property
    def sets_text(self) -> str:
        return f"{self.sets:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class PersonalRecord:
    exercise: str
    text: str
    kinds: list[str]


@dataclass
class Summary:
    duration: dt.timedelta | None
    sets_by_type: list[tuple[str, int]]
    tonnage: str
    hard_sets: int
    hard_sets_without_rir: int
    muscles: list[MuscleSets]
    counting: str
    records: list[PersonalRecord]

    @property
    def sets_text(self) -> str:
        """``1 warm-up, 3 working, 1 to failure`` (types with sets only)."""
        parts = [f"{count} {label.lower()}" for label, count in self.sets_by_type if count]
        return ", ".join(parts) or "none"

    @property
    def duration_text(self) -> str:
        if self.duration is None:
            return "—"
        minutes = int(self.duration.total_seconds() // 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def workout_summary(
    *,
    workout: WorkoutLog,
    entries: Sequence[WorkoutExercise],
    sets: Sequence[SetLog],
    record_sets: dict[str, list[RecordSet]],
    prefs: UserPreferences,
    counting: str,
) -> Summary:
    """Duration, sets by type, tonnage (non-warm-up load × reps), hard sets per muscle by the
    lifter's counting rule and RIR limit, and the PRs this workout set."""
    exercises = {e.exercise_id: e.exercise for e in entries}
    counts = Counter(s.set_type for s in sets)
    tonnage = sum((Decimal(s.weight_kg) * s.reps for s in sets if s.set_type != SetType.WARMUP), Decimal(0))
    performed = performed_volume(
        (
            LoggedSet(
                set_type=s.set_type,
                reps=s.reps,
                rir=s.rir,
                contributions=exercises[s.exercise_id].muscle_contributions
                if s.exercise_id in exercises
                else {},
            )
            for s in sets
        ),
        threshold=Decimal(prefs.rir_threshold),
    )
    muscles = [
        MuscleSets(muscle=m, label=MUSCLE_LABELS[m], sets=performed.muscles[m].counted(counting))
        for m in MUSCLE_ORDER
        if m in performed.muscles and performed.muscles[m].counted(counting) > 0
    ]
    muscles.sort(key=lambda row: -row.sets)
    this_workout = {str(s.pk): s for s in sets}
    records = []
    for exercise_id, history in record_sets.items():
        result = exercise_records(history)
        for set_id, kinds in result.prs.items():
            if set_id in this_workout:
                s = this_workout[set_id]
                name = exercises[s.exercise_id].name if s.exercise_id in exercises else str(exercise_id)
                records.append(
                    PersonalRecord(
                        exercise=name,
                        text=set_text(s.weight_kg, s.reps, s.rir, prefs),
                        kinds=[RECORD_LABELS.get(k, k) for k in kinds],
                    )
                )
    duration = workout.finished_at - workout.started_at if workout.finished_at else None
    return Summary(
        duration=duration,
        sets_by_type=[(str(label), counts.get(value, 0)) for value, label in SetType.choices],
        tonnage=format_load(tonnage, prefs.unit, Decimal(prefs.display_increment)),
        hard_sets=performed.hard_sets,
        hard_sets_without_rir=performed.hard_sets_without_rir,
        muscles=muscles,
        counting=counting,
        records=records,
    )
