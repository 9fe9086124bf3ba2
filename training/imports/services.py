"""Writes of a history import: prepare (read the file, suggest exercises), confirm (the lifter's
choices, remembered), run (the job: one transaction, bulk inserts), undo.

Rules (TRAINING.md, issue 17):

- **Nothing changes for a bad file.** :func:`import_prepare` reads the whole file first and raises
  :class:`~training.imports.reading.ImportFileError` (every problem with its row and column)
  before anything is stored.
- **One batch, all or nothing.** ``runner.import_run`` (the job) adds every workout in one transaction with
  ``bulk_create``; an error leaves the log as it was and the import ``FAILED``.
- **Duplicates.** A workout whose start lies within 60 s of a workout already logged (or of one
  earlier in the same file) is skipped with its sets: importing the same file twice adds nothing.
- **Undo** deletes exactly the workouts the import added (``ImportedWorkout``), with their sets.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from exercises.selectors import exercise_visible_queryset
from exercises.services import CustomExerciseData, exercise_create_custom
from hypertroq.jobs import defer_on_commit
from training.analysis.settings import training_settings_for
from training.imports.formats import parse_file
from training.imports.mapping import remember, suggest
from training.imports.models import HistoryImport, ImportStatus
from training.imports.reading import check_size
from training.models import WorkoutLog
from training.services.checks import ensure_writable
from training.tasks import run_history_import

MAP, SKIP, CREATE = "map", "skip", "create"


def import_prepare(
    *, user: Any, data: bytes, file_name: str = "", unit: str | None = None, semantic: bool = True
) -> HistoryImport:
    """Read ``data`` and store an import waiting for the lifter's review of the exercise names.
    Raises ``ImportFileError`` (nothing stored) when the file cannot be imported."""
    ensure_writable(user)
    check_size(len(data))
    settings = training_settings_for(user=user)
    tz = settings.tz
    parsed = parse_file(data, unit=unit or settings.unit, tz=tz)
    suggestions = suggest(
        user=user, names=dict(parsed.names()), exercise_ids=parsed.exercise_ids(), semantic=semantic
    )
    history_import = HistoryImport(
        user=user,
        source_format=parsed.format,
        file_name=(file_name or "")[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        unit=unit or settings.unit,
        unit_in_file=parsed.unit_in_file,
        time_zone=str(tz),
        names=[s.as_entry() for s in suggestions],
        rows_read=parsed.rows_read,
        rows_skipped=parsed.rows_skipped,
    )
    history_import.full_clean(exclude=["user", "content"])
    history_import.save()
    return history_import


@dataclass(frozen=True)
class Decision:
    action: str  # map | skip | create
    exercise_id: str = ""


@transaction.atomic
def import_confirm(
    *,
    user: Any,
    history_import: HistoryImport,
    decisions: Mapping[str, Decision],
    unit: str | None = None,
    remember_choices: bool = True,
    enqueue: bool = True,
) -> HistoryImport:
    """Apply the lifter's choice for every name (remembered for the next import) and queue the
    import. ``create`` makes a custom exercise (pro) named as in the file, with the muscles and
    equipment of the suggested exercise. Raises ``ValidationError`` naming the row at fault.
    The command passes ``remember_choices=False`` (automatic choices are not the lifter's) and
    ``enqueue=False`` (it runs the import itself)."""
    ensure_writable(user)
    locked = HistoryImport.objects.select_for_update().get(pk=history_import.pk, user=user)
    if locked.status != ImportStatus.REVIEW:
        raise ValidationError("This import has already been confirmed.")
    if unit is not None:
        if unit not in ("kg", "lb"):
            raise ValidationError("Choose kg or lb.")
        locked.unit = unit
    visible = _visible_exercises(user, {d.exercise_id for d in decisions.values() if d.exercise_id})
    names = []
    choices: list[tuple[str, str | None]] = []
    for entry in locked.names:
        decision = decisions.get(entry["name"], Decision(SKIP))
        if decision.action == CREATE:
            entry["exercise_id"] = str(_create_custom(user, entry, visible.get(decision.exercise_id)).pk)
            entry["exercise_name"] = entry["name"]
        elif decision.action == MAP:
            if decision.exercise_id not in visible:
                raise ValidationError(f"“{entry['name']}”: choose an exercise from the list.")
            entry["exercise_id"] = decision.exercise_id
            entry["exercise_name"] = visible[decision.exercise_id].name
        entry["decision"] = SKIP if decision.action == SKIP else MAP
        choices.append((entry["name"], entry["exercise_id"] if entry["decision"] == MAP else None))
        names.append(entry)
    if remember_choices:
        remember(user=user, choices=choices)
    locked.names = names
    locked.status = ImportStatus.QUEUED
    locked.progress_label = "Waiting to start"
    locked.save(update_fields=["names", "status", "unit", "progress_label", "updated_at"])
    if enqueue:
        defer_on_commit(run_history_import, import_id=str(locked.pk))
    return locked


def _visible_exercises(user: Any, ids: set[str]) -> dict[str, Any]:
    valid = set()
    for value in ids:
        try:
            valid.add(uuid.UUID(value))
        except ValueError:
            continue
    return {str(e.pk): e for e in exercise_visible_queryset(user=user).filter(pk__in=valid)}


def _create_custom(user: Any, entry: dict[str, Any], template: Any) -> Any:
    if template is None:
        raise ValidationError(
            f"“{entry['name']}”: pick a similar exercise first; your new one copies its muscles."
        )
    return exercise_create_custom(
        user=user,
        data=CustomExerciseData(
            name=entry["name"],
            equipment=template.equipment,
            difficulty=template.difficulty,
            muscle_contributions=dict(template.muscle_contributions),
            description=f"Imported as “{entry['name']}”; muscles as {template.name}.",
        ),
    )


@transaction.atomic
def import_undo(*, user: Any, history_import: HistoryImport) -> HistoryImport:
    """Delete the workouts (and their sets) this import added; the import stays listed as undone."""
    ensure_writable(user)
    locked = HistoryImport.objects.select_for_update().get(pk=history_import.pk, user=user)
    if locked.status != ImportStatus.DONE:
        raise ValidationError("Only a finished import can be undone.")
    WorkoutLog.all_objects.filter(imported_by__history_import=locked).delete()
    locked.status = ImportStatus.UNDONE
    locked.undone_at = timezone.now()
    locked.save(update_fields=["status", "undone_at", "updated_at"])
    return locked


@transaction.atomic
def import_discard(*, user: Any, history_import: HistoryImport) -> None:
    """Drop an import still waiting for review (with the stored file); nothing was added yet."""
    ensure_writable(user)
    deleted, _ = HistoryImport.objects.filter(
        pk=history_import.pk, user=user, status=ImportStatus.REVIEW
    ).delete()
    if not deleted:
        raise ValidationError("Only an import waiting for review can be discarded.")
