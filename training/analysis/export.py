"""The training log as files: CSV (one row per set) and JSON (workouts with their sets).

The ``/training/export.*`` downloads and the "Download my data" archive both use these, and the
history import reads both formats back (``training/imports``): what is exported re-imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from training.analysis.history import export_sets
from training.analysis.settings import TrainingSettings, training_settings_for
from training.domain.records import estimated_1rm
from training.domain.units import display_load
from training.domain.volume import is_hard_set

CSV_HEADER = [
    "workout_id",
    "started_at",
    "finished_at",
    "workout",
    "program",
    "exercise",
    "set_order",
    "set_type",
    "weight_kg",
    "weight",
    "unit",
    "reps",
    "rir",
    "hard_set",
    "e1rm_kg",
    "side",
    "note",
    "workout_notes",
]


def _safe_text(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _rows(user: Any, settings: TrainingSettings) -> Iterator[list[Any]]:
    for s in export_sets(user=user):
        w = s.workout_log
        e1rm = estimated_1rm(s.weight_kg, s.reps, s.rir)
        yield [
            str(w.pk),
            w.started_at.astimezone(settings.tz).isoformat(),
            w.finished_at.astimezone(settings.tz).isoformat() if w.finished_at else "",
            _safe_text(w.session_name or "Workout"),
            _safe_text(w.program_name),
            _safe_text(s.exercise.name),
            s.order_index,
            s.set_type,
            f"{s.weight_kg}",
            f"{display_load(s.weight_kg, settings.unit, Decimal('0.01'))}",
            settings.unit,
            s.reps,
            "" if s.rir is None else f"{s.rir}",
            "yes"
            if is_hard_set(set_type=s.set_type, reps=s.reps, rir=s.rir, threshold=settings.rir_threshold)
            else "no",
            "" if e1rm is None else f"{e1rm}",
            s.side or "",
            _safe_text(s.note),
            _safe_text(w.notes),
        ]


def log_csv_rows(*, user: Any) -> Iterator[list[Any]]:
    """The header, then one row per set, oldest workout first (streamed from the database)."""
    yield CSV_HEADER
    yield from _rows(user, training_settings_for(user=user))


def _workouts(user: Any) -> Iterator[dict[str, Any]]:
    """The log's workouts, each with its sets, oldest first (one workout in memory at a time)."""
    current: dict[str, Any] | None = None
    for s in export_sets(user=user):
        w = s.workout_log
        if current is None or current["id"] != str(w.pk):
            if current is not None:
                yield current
            current = {
                "id": str(w.pk),
                "name": w.session_name or "Workout",
                "program": w.program_name or None,
                "program_id": str(w.program_id) if w.program_id else None,
                "session_id": str(w.session_id) if w.session_id else None,
                "started_at": w.started_at.isoformat(),
                "finished_at": w.finished_at.isoformat() if w.finished_at else None,
                "notes": w.notes,
                "body_weight_kg": None if w.body_weight_kg is None else float(w.body_weight_kg),
                "sets": [],
            }
        current["sets"].append(
            {
                "client_id": str(s.client_id),
                "exercise": s.exercise.name,
                "exercise_id": str(s.exercise_id),
                "order_index": s.order_index,
                "set_type": s.set_type,
                "weight_kg": float(s.weight_kg),
                "reps": s.reps,
                "rir": None if s.rir is None else float(s.rir),
                "side": s.side,
                "note": s.note,
                "logged_at": s.logged_at.isoformat(),
            }
        )
    if current is not None:
        yield current


def _head(user: Any) -> dict[str, Any]:
    return {"format": "hypertroq-training-log", "version": 1, "unit": training_settings_for(user=user).unit}


def log_json_document(*, user: Any) -> dict[str, Any]:
    """``{"format": "hypertroq-training-log", "version": 1, "unit": ..., "workouts": [...]}``."""
    return {**_head(user), "workouts": list(_workouts(user))}


def log_json_chunks(*, user: Any, counts: dict[str, int] | None = None) -> Iterator[str]:
    """The same document as :func:`log_json_document`, as text written one workout at a time
    (memory stays flat however long the log); ``counts`` gets ``workouts`` and ``sets``."""
    counts = counts if counts is not None else {}
    counts.update(workouts=0, sets=0)
    head = json.dumps(_head(user), ensure_ascii=False)
    yield head[:-1] + ', "workouts": ['
    for n, workout in enumerate(_workouts(user)):
        counts["workouts"] += 1
        counts["sets"] += len(workout["sets"])
        yield ("" if n == 0 else ", ") + json.dumps(workout, ensure_ascii=False)
    yield "]}"
