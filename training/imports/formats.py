"""The history formats HypertroQ imports, detected from the file's first line (TRAINING.md):

- **Strong** CSV, both layouts (with or without ``Weight Unit``/``Distance Unit``), ``,`` or ``;``,
  set orders ``1 2 3`` / ``W`` warm-up / ``D`` drop set / ``F`` failure, RPE → RIR;
- **Hevy** CSV (``weight_kg`` or ``weight_lbs``; dates like ``13 Mar 2026, 15:22``);
- **FitNotes** CSV, iOS (``Weight (kg)``/``Weight (lbs)``) and Android (``Weight`` + ``Weight Unit``);
- **HypertroQ**'s own training export, CSV and JSON (``/training/export.csv`` / ``.json``).

:func:`parse_file` reads the whole file into :class:`ParsedWorkout` objects (weights in kg) or
raises :class:`~training.imports.reading.ImportFileError` listing every problem with its row and
column. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from training.domain.units import KG, LB
from training.imports.reading import (
    MAX_NAME,
    MAX_NOTE,
    MAX_WORKOUT_NOTES,
    CellError,
    ImportFileError,
    Problem,
    Problems,
    clean_text,
    decode,
    header_key,
    parse_datetime,
    parse_decimal,
    parse_reps,
    parse_rir,
    parse_weight,
    sniff_delimiter,
)
from training.imports.rows import (
    ParsedSet,
    ParsedWorkout,
    Row,
    fitnotes_row,
    hevy_row,
    hypertroq_row,
    strong_row,
)

STRONG = "strong"
HEVY = "hevy"
FITNOTES_IOS = "fitnotes_ios"
FITNOTES_ANDROID = "fitnotes_android"
HYPERTROQ_CSV = "hypertroq_csv"
HYPERTROQ_JSON = "hypertroq_json"
FORMAT_LABELS = {
    STRONG: "Strong (CSV)",
    HEVY: "Hevy (CSV)",
    FITNOTES_IOS: "FitNotes for iPhone (CSV)",
    FITNOTES_ANDROID: "FitNotes for Android (CSV)",
    HYPERTROQ_CSV: "HypertroQ training export (CSV)",
    HYPERTROQ_JSON: "HypertroQ training export (JSON)",
}

# Columns each format must have (lower-cased); the first that fits the header wins.
REQUIRED: dict[str, tuple[str, ...]] = {
    HYPERTROQ_CSV: ("workout_id", "started_at", "exercise", "set_type", "weight_kg", "reps"),
    HEVY: ("title", "start_time", "exercise_title", "set_type", "reps"),
    STRONG: ("date", "workout name", "exercise name", "set order", "weight", "reps"),
    FITNOTES_IOS: ("date", "exercise", "weight (kg)", "weight (lbs)", "reps"),
    FITNOTES_ANDROID: ("date", "exercise", "weight", "weight unit", "reps"),
}
# Strong's first layout, by position (files whose headers were translated).
STRONG_POSITIONAL = (
    "date",
    "workout name",
    "duration",
    "exercise name",
    "set order",
    "weight",
    "reps",
    "distance",
    "seconds",
    "notes",
    "workout notes",
    "rpe",
)
STRONG_ALIASES = {"weight (kg)": "weight", "weight (lbs)": "weight", "duration (sec)": "duration"}
FITNOTES_MIDDAY = dt.time(12, 0)  # FitNotes logs dates only: a workout "starts" at noon that day


@dataclass
class ParsedFile:
    format: str
    unit_in_file: bool  # False: weights were read in the unit the lifter chose (Strong, no unit column)
    rows_read: int
    rows_skipped: int  # timed or cardio rows (no reps)
    workouts: list[ParsedWorkout]

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self.format]

    @property
    def set_count(self) -> int:
        return sum(len(w.sets) for w in self.workouts)

    def names(self) -> Counter[str]:
        """Sets per exercise name, as the file spells it."""
        return Counter(s.exercise for w in self.workouts for s in w.sets)

    def exercise_ids(self) -> dict[str, str]:
        """Exercise name -> the id the file gives for it (HypertroQ JSON), when it gives one."""
        return {s.exercise: s.exercise_id for w in self.workouts for s in w.sets if s.exercise_id}


def detect_format(header: list[str]) -> str | None:
    keys = {header_key(h) for h in header}
    keys |= {STRONG_ALIASES[k] for k in keys if k in STRONG_ALIASES}
    for name, required in REQUIRED.items():
        if all(column in keys for column in required):
            return name
    if len(header) == len(STRONG_POSITIONAL) and header_key(header[-1]) == "rpe":
        return STRONG
    return None


def parse_file(data: bytes, *, unit: str | None = None, tz: dt.tzinfo = dt.UTC) -> ParsedFile:
    """Read ``data`` (checked for size first). ``unit`` is the lifter's answer for files that do
    not say (Strong without a unit column); without one such a file is read in kg. Naive times are
    local times in ``tz``."""
    text = decode(data)
    if text.lstrip()[:1] in ("{", "["):
        return _parse_json(text, tz)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ImportFileError([Problem("The file is empty or not a CSV file.", row=1)]) from None
    fmt = detect_format(header)
    if fmt is None:
        raise ImportFileError([_unknown_header(header)])
    columns = _columns(header, fmt)
    problems = Problems()
    unit_in_file = (
        fmt != STRONG
        or "weight unit" in columns
        or any(header_key(h) in ("weight (kg)", "weight (lbs)") for h in header)
    )
    chosen_unit = _unit_from_header(header) or unit or KG  # a unit the header names wins
    workouts: dict[Any, ParsedWorkout] = {}
    rows_read = rows_skipped = 0
    convert = _CONVERTERS[fmt]
    try:
        for cells in reader:
            rows_read += 1
            if not any(c.strip() for c in cells):
                continue
            line = reader.line_num
            if len(cells) < len(header):
                cells = cells + [""] * (len(header) - len(cells))
            row = Row(cells=cells, columns=columns, line=line, problems=problems)
            result = convert(row, chosen_unit, tz)
            if row.failed or problems.total:
                continue  # keep reading to report every problem, but build nothing more
            if result is None:
                rows_skipped += 1
                continue
            key, workout, parsed = result
            workouts.setdefault(key, workout).sets.append(parsed)
    except csv.Error as exc:
        problems.add(f"the CSV is malformed ({exc})", row=reader.line_num)
    if not problems.total and not workouts:
        problems.add("The file has no sets to import (no row with reps).")
    problems.raise_if_any()
    return ParsedFile(
        format=fmt,
        unit_in_file=unit_in_file,
        rows_read=rows_read,
        rows_skipped=rows_skipped,
        workouts=sorted(workouts.values(), key=lambda w: w.started_at),
    )


def _unit_from_header(header: list[str]) -> str | None:
    keys = {header_key(h) for h in header}
    if "weight (lbs)" in keys and "weight (kg)" not in keys:
        return LB
    if "weight (kg)" in keys and "weight (lbs)" not in keys:
        return KG
    return None


def _columns(header: list[str], fmt: str) -> dict[str, tuple[int, str]]:
    """Lower-cased column name -> (index, the header as the file spells it)."""
    columns: dict[str, tuple[int, str]] = {}
    keyed = [header_key(h) for h in header]
    named = set(keyed) | {STRONG_ALIASES[k] for k in keyed if k in STRONG_ALIASES}
    if fmt == STRONG and not all(c in named for c in REQUIRED[STRONG]):
        keyed = list(STRONG_POSITIONAL)  # a translated header: Strong's first layout, by position
    for index, key in enumerate(keyed):
        columns.setdefault(key, (index, header[index].strip() or key))
        if fmt == STRONG and key in STRONG_ALIASES:
            columns.setdefault(STRONG_ALIASES[key], (index, header[index].strip()))
    return columns


def _unknown_header(header: list[str]) -> Problem:
    shown = ", ".join(h.strip()[:30] for h in header[:14]) or "(nothing)"
    return Problem(
        "The first line does not name the columns of a Strong, Hevy, FitNotes or HypertroQ export "
        f"(it reads: {shown}). Upload the CSV file the app exported, unchanged.",
        row=1,
    )


_CONVERTERS: dict[str, Callable[[Row, str, dt.tzinfo], Any]] = {
    STRONG: strong_row,
    HEVY: hevy_row,
    FITNOTES_IOS: fitnotes_row,
    FITNOTES_ANDROID: fitnotes_row,
    HYPERTROQ_CSV: hypertroq_row,
}


# --- HypertroQ JSON -----------------------------------------------------------------------------


def _parse_json(text: str, tz: dt.tzinfo) -> ParsedFile:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError([Problem(f"The JSON is malformed: {exc.msg}", row=exc.lineno)]) from None
    if not isinstance(doc, dict) or doc.get("format") != "hypertroq-training-log":
        raise ImportFileError(
            [
                Problem(
                    'This JSON file is not a HypertroQ training export (no "format": "hypertroq-training-log").'
                )
            ]
        )
    problems = Problems()
    workouts: list[ParsedWorkout] = []
    rows = 0
    for w_index, w in enumerate(_list(doc.get("workouts"), problems, "workouts")):
        where = f"workouts[{w_index}]"
        if not isinstance(w, dict):
            problems.add("is not an object", column=where)
            continue
        try:
            workout = ParsedWorkout(
                started_at=parse_datetime(str(w.get("started_at") or ""), (), tz),
                finished_at=parse_datetime(str(w["finished_at"]), (), tz) if w.get("finished_at") else None,
                name=clean_text(str(w.get("name") or ""), limit=MAX_NAME),
                program_name=clean_text(str(w.get("program") or ""), limit=MAX_NAME),
                notes=clean_text(str(w.get("notes") or ""), limit=MAX_WORKOUT_NOTES),
                body_weight_kg=_body_weight(w.get("body_weight_kg")),
            )
        except CellError as exc:
            problems.add(str(exc), column=where)
            continue
        for s_index, s in enumerate(_list(w.get("sets"), problems, f"{where}.sets")):
            rows += 1
            at = f"{where}.sets[{s_index}]"
            try:
                workout.sets.append(_json_set(s, rows, tz))
            except (CellError, KeyError, TypeError) as exc:
                problems.add(str(exc).strip("'\""), column=at)
        workouts.append(workout)
    if not problems.total and not rows:
        problems.add("The file has no sets to import.")
    problems.raise_if_any()
    return ParsedFile(HYPERTROQ_JSON, True, rows, 0, sorted(workouts, key=lambda w: w.started_at))


def _list(value: Any, problems: Problems, where: str) -> Iterator[Any]:
    if not isinstance(value, list):
        problems.add("is missing or not a list", column=where)
        return iter(())
    return iter(value)


def _json_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CellError(f"{value!r:.30} is not a number")
    return parse_decimal(str(value))


def _body_weight(value: Any) -> Decimal | None:
    weight = _json_decimal(value)
    if weight is not None and not (0 < weight <= 500):
        raise CellError(f"body_weight_kg {weight} is not above 0 and at most 500")
    return None if weight is None else weight.quantize(Decimal("0.01"))


def _json_set(s: Any, index: int, tz: dt.tzinfo) -> ParsedSet:
    if not isinstance(s, dict):
        raise CellError("a set is not an object")
    set_type = str(s.get("set_type") or "WORKING").upper()
    if set_type not in ("WARMUP", "WORKING", "DROP", "FAILURE"):
        raise CellError(f"set_type {set_type[:20]} is not WARMUP, WORKING, DROP or FAILURE")
    reps = parse_reps(str(s.get("reps", "")))
    if reps is None:
        raise CellError("reps are missing")
    side = s.get("side") or None
    if side not in (None, "LEFT", "RIGHT"):
        raise CellError("side is LEFT, RIGHT or null")
    rir = s.get("rir")
    return ParsedSet(
        row=index,
        exercise=clean_text(str(s.get("exercise") or ""), limit=MAX_NAME) or _missing("exercise"),
        exercise_id=str(s.get("exercise_id") or ""),
        set_type=set_type,
        weight_kg=parse_weight(str(s.get("weight_kg", "")), KG),
        reps=reps,
        rir=None if rir is None else parse_rir(str(rir)),
        side=side,
        note=clean_text(str(s.get("note") or ""), limit=MAX_NOTE),
        logged_at=parse_datetime(str(s["logged_at"]), (), tz) if s.get("logged_at") else None,
    )


def _missing(what: str) -> str:
    raise CellError(f"{what} is missing")


__all__ = ["FORMAT_LABELS", "ParsedFile", "ParsedSet", "ParsedWorkout", "detect_format", "parse_file"]
