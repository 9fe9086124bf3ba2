"""Reads of history imports, scoped to their owner (another lifter's import id is a 404)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import Http404

from exercises.selectors import exercise_visible_queryset
from training.imports.models import HistoryImport

LISTED_LIMIT = 50


def import_list(*, user: Any) -> QuerySet[HistoryImport]:
    """``user``'s imports, newest first (the stored file left unread)."""
    return (
        HistoryImport.objects.filter(user=user)
        .defer("content", "names")
        .order_by("-created_at")[:LISTED_LIMIT]
    )


def import_get(*, user: Any, import_id: UUID | str, with_content: bool = False) -> HistoryImport:
    """``user``'s import ``import_id``; ``Http404`` for anyone else's or a malformed id."""
    qs = HistoryImport.objects.filter(user=user)
    if not with_content:
        qs = qs.defer("content")
    try:
        return qs.get(pk=import_id)
    except (HistoryImport.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404("No such import.") from exc


def import_previous_of_file(*, user: Any, history_import: HistoryImport) -> HistoryImport | None:
    """An earlier import of the same file that is still in the log (its workouts would be skipped)."""
    return (
        HistoryImport.objects.filter(user=user, file_sha256=history_import.file_sha256, status="DONE")
        .exclude(pk=history_import.pk)
        .defer("content", "names")
        .order_by("-created_at")
        .first()
    )


def exercise_names_visible(*, user: Any) -> list[str]:
    """Names of every exercise ``user`` may log (the review table's "pick another" list)."""
    return list(
        exercise_visible_queryset(user=user).order_by("name").values_list("name", flat=True).distinct()
    )


def exercise_ids_by_name(*, user: Any, names: Iterable[str]) -> dict[str, str]:
    """Lower-cased name -> id, for the names ``user`` typed (their own exercise wins a tie)."""
    wanted = {n.lower() for n in names if n}
    if not wanted:
        return {}
    found: dict[str, str] = {}
    rows = (
        exercise_visible_queryset(user=user)
        .alias(name_lower=Lower("name"))
        .filter(name_lower__in=wanted)
        .order_by("-is_global")
        .values_list("name", "id")
    )
    for name, pk in rows:
        found[name.lower()] = str(pk)
    return found
