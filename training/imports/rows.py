"""One CSV row of each format turned into a set (and the workout it belongs to).

A converter returns ``(workout key, workout, set)``, or ``None`` for a row that is not a set of
reps (cardio, timed holds) or has a problem (then ``row.failed`` is set). A cell it cannot read is reported on ``row.problems`` with its row and
column, and the converter carries on so one pass lists every problem in the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from training.domain.units import KG, LB
from training.imports.reading import (
    MAX_NAME,
    MAX_NOTE,
    MAX_WORKOUT_NOTES,
    CellError,
    Problems,
    clean_text,
    parse_datetime,
    parse_duration,
    parse_reps,
    parse_rir,
    parse_rpe,
    parse_unit,
    parse_weight,
)

T = TypeVar("T")
STRONG_DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S")
HEVY_DATES = ("%d %b %Y, %H:%M", "%d %B %Y, %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
FITNOTES_DATES = ("%Y-%m-%d", "%d/%m/%Y")
FITNOTES_MIDDAY = dt.time(12, 0)  # FitNotes logs dates only: a workout "starts" at noon that day
STRONG_SET_TYPES = {"W": "WARMUP", "D": "DROP", "F": "FAILURE"}
HEVY_SET_TYPES = {"normal": "WORKING", "warmup": "WARMUP", "failure": "FAILURE", "dropset": "DROP"}
SET_TYPES = ("WARMUP", "WORKING", "DROP", "FAILURE")


@dataclass
class ParsedSet:
    row: int
    exercise: str
    set_type: str
    weight_kg: Decimal
    reps: int
    rir: Decimal | None = None
    side: str | None = None
    note: str = ""
    logged_at: dt.datetime | None = None
    exercise_id: str = ""  # HypertroQ JSON: the exercise's id in the library it came from


@dataclass
class ParsedWorkout:
    started_at: dt.datetime
    name: str = ""
    program_name: str = ""
    finished_at: dt.datetime | None = None
    notes: str = ""
    body_weight_kg: Decimal | None = None
    sets: list[ParsedSet] = field(default_factory=list)


@dataclass
class Row:
    cells: list[str]
    columns: dict[str, tuple[int, str]]  # lower-cased name -> (index, the file's spelling)
    line: int
    problems: Problems
    failed: bool = False

    def text(self, column: str) -> str:
        found = self.columns.get(column)
        return self.cells[found[0]] if found is not None and found[0] < len(self.cells) else ""

    def problem(self, column: str, message: str) -> None:
        self.failed = True
        self.problems.add(message, row=self.line, column=self.columns.get(column, (0, column))[1])

    def value(self, column: str, parse: Callable[[str], T]) -> T | None:
        try:
            return parse(self.text(column))
        except CellError as exc:
            self.problem(column, str(exc))
            return None

    def name(self, column: str) -> str:
        name = clean_text(self.text(column), limit=MAX_NAME)
        if not name:
            self.problem(column, "the exercise name is empty")
        return name


Converted = tuple[Any, ParsedWorkout, ParsedSet] | None


def _rir_from(row: Row, column: str) -> Decimal | None:
    return row.value(column, parse_rpe) if column in row.columns else None


def strong_row(row: Row, unit: str, tz: dt.tzinfo) -> Converted:
    reps = row.value("reps", parse_reps)
    if reps is None and not row.failed:
        return None
    started = row.value("date", lambda t: parse_datetime(t, STRONG_DATES, tz))
    order = row.text("set order").strip()
    set_type = STRONG_SET_TYPES.get(order.upper())
    if set_type is None:
        set_type = "WORKING"
        if not order.isdigit():
            row.problem("set order", f"“{order[:20]}” is not a set number or W, D, F")
    if "weight unit" in row.columns and row.text("weight unit").strip():
        unit = row.value("weight unit", parse_unit) or unit
    weight = row.value("weight", lambda t: parse_weight(t, unit))
    duration = row.value("duration", parse_duration)
    name = row.name("exercise name")
    if row.failed or started is None or weight is None or reps is None:
        return None  # reported on row.problems
    workout_name = clean_text(row.text("workout name"), limit=MAX_NAME)
    workout = ParsedWorkout(
        started_at=started,
        name=workout_name,
        finished_at=started + duration if duration else None,
        notes=clean_text(row.text("workout notes"), limit=MAX_WORKOUT_NOTES),
    )
    parsed = ParsedSet(
        row=row.line,
        exercise=name,
        set_type=set_type,
        weight_kg=weight,
        reps=reps,
        rir=_rir_from(row, "rpe"),
        note=clean_text(row.text("notes"), limit=MAX_NOTE),
    )
    return (row.text("date").strip(), workout_name), workout, parsed


def hevy_row(row: Row, unit: str, tz: dt.tzinfo) -> Converted:
    reps = row.value("reps", parse_reps)
    if reps is None and not row.failed:
        return None
    started = row.value("start_time", lambda t: parse_datetime(t, HEVY_DATES, tz))
    ended = row.value("end_time", lambda t: parse_datetime(t, HEVY_DATES, tz) if t.strip() else None)
    kind = row.text("set_type").strip().lower() or "normal"
    set_type = HEVY_SET_TYPES.get(kind, "WORKING")
    if kind not in HEVY_SET_TYPES:
        row.problem("set_type", f"“{kind[:20]}” is not normal, warmup, failure or dropset")
    if "weight_kg" in row.columns:
        weight = row.value("weight_kg", lambda t: parse_weight(t, KG))
    else:
        weight = row.value("weight_lbs", lambda t: parse_weight(t, LB))
    name = row.name("exercise_title")
    rir = _rir_from(row, "rpe")
    if row.failed or started is None or weight is None or reps is None:
        return None  # reported on row.problems
    title = clean_text(row.text("title"), limit=MAX_NAME)
    workout = ParsedWorkout(
        started_at=started,
        name=title,
        finished_at=ended if ended and ended >= started else None,
        notes=clean_text(row.text("description"), limit=MAX_WORKOUT_NOTES),
    )
    parsed = ParsedSet(
        row=row.line,
        exercise=name,
        set_type=set_type,
        weight_kg=weight,
        reps=reps,
        rir=rir,
        note=clean_text(row.text("exercise_notes"), limit=MAX_NOTE),
    )
    return (row.text("start_time").strip(), title), workout, parsed


def fitnotes_row(row: Row, unit: str, tz: dt.tzinfo) -> Converted:
    reps = row.value("reps", parse_reps)
    if reps is None and not row.failed:
        return None
    day = row.value("date", lambda t: parse_datetime(t, FITNOTES_DATES, tz))
    weight: Decimal | None
    if "weight unit" in row.columns:
        row_unit = row.value("weight unit", lambda t: parse_unit(t) if t.strip() else unit) or unit
        weight = row.value("weight", lambda t: parse_weight(t, row_unit))
    elif row.text("weight (kg)").strip():
        weight = row.value("weight (kg)", lambda t: parse_weight(t, KG))
    else:
        weight = row.value("weight (lbs)", lambda t: parse_weight(t, LB))
    name = row.name("exercise")
    if row.failed or day is None or weight is None or reps is None:
        return None  # reported on row.problems
    start = dt.datetime.combine(day.date(), FITNOTES_MIDDAY, tzinfo=day.tzinfo)
    parsed = ParsedSet(
        row=row.line,
        exercise=name,
        set_type="WORKING",
        weight_kg=weight,
        reps=reps,
        note=clean_text(row.text("notes") or row.text("comment"), limit=MAX_NOTE),
    )
    return day.date(), ParsedWorkout(started_at=start, name="FitNotes workout"), parsed


def hypertroq_row(row: Row, unit: str, tz: dt.tzinfo) -> Converted:
    """A row of HypertroQ's own ``export.csv`` (weights from ``weight_kg``, exact)."""
    reps = row.value("reps", parse_reps)
    started = row.value("started_at", lambda t: parse_datetime(t, (), tz))
    finished = row.value("finished_at", lambda t: parse_datetime(t, (), tz) if t.strip() else None)
    set_type = row.text("set_type").strip().upper()
    if set_type not in SET_TYPES:
        row.problem("set_type", f"“{set_type[:20]}” is not WARMUP, WORKING, DROP or FAILURE")
    weight = row.value("weight_kg", lambda t: parse_weight(t, KG))
    rir = row.value("rir", parse_rir)
    side = row.text("side").strip().upper() or None
    if side not in (None, "LEFT", "RIGHT"):
        row.problem("side", "side is LEFT, RIGHT or empty")
    name = row.name("exercise")
    if reps is None and not row.failed:
        row.problem("reps", "reps are missing")
    if row.failed or started is None or weight is None or reps is None:
        return None  # reported on row.problems
    workout = ParsedWorkout(
        started_at=started,
        name=clean_text(row.text("workout"), limit=MAX_NAME),
        program_name=clean_text(row.text("program"), limit=MAX_NAME),
        finished_at=finished,
        notes=clean_text(row.text("workout_notes"), limit=MAX_WORKOUT_NOTES),
    )
    parsed = ParsedSet(
        row=row.line,
        exercise=name,
        set_type=set_type,
        weight_kg=weight,
        reps=reps,
        rir=rir,
        side=side,
        note=clean_text(row.text("note"), limit=MAX_NOTE),
    )
    return row.text("workout_id").strip() or row.text("started_at").strip(), workout, parsed
