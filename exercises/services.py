"""Writes to the exercise library."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from accounts.models import User
from accounts.quota import ai_query_consume
from accounts.tiers import READ_ONLY_MESSAGE, can_create_custom_exercises, is_read_only
from exercises import embeddings
from exercises.domain import Difficulty, Equipment, Fitting, clean_exercise_description, clean_exercise_name
from exercises.models import Exercise, join_aliases
from exercises.seed import GlobalExerciseData
from exercises.selectors import (
    SEARCH_RESULT_DEFERRED,
    exercise_semantic_search,
    exercise_visible_queryset,
    normalise_query,
)
from exercises.tasks import embed_exercises_job
from hypertroq.audit import audit_log
from hypertroq.jobs import defer_on_commit
from hypertroq.models import AuditAction

logger = logging.getLogger(__name__)


@transaction.atomic
def exercise_upsert_global(*, data: GlobalExerciseData) -> tuple[Exercise, str]:
    """Create or update the global exercise named ``data.name`` (case-insensitive).

    Returns the exercise and what happened: ``"created"``, ``"updated"`` or ``"unchanged"``.
    A deleted global exercise of the same name is restored, since the library file lists it.
    """
    wanted: dict[str, Any] = {
        "name": data.name,
        "equipment": Equipment(data.equipment).value,
        "difficulty": Difficulty(data.difficulty).value,
        "description": data.description,
        "muscle_contributions": {m: float(v) for m, v in data.muscle_contributions.items()},
        "image_url": data.image_url,
        "video_url": data.video_url,
        "aliases": join_aliases(data.aliases),
        "is_gentle": data.is_gentle,
        "needs": sorted(Fitting(n).value for n in set(data.needs)),
    }
    existing = (
        Exercise.all_objects.alias(name_lower=Lower("name"))
        .filter(is_global=True, name_lower=data.name.lower())
        .order_by("is_deleted", "created_at")
        .first()
    )
    if existing is None:
        exercise = Exercise(is_global=True, **wanted)
        exercise.full_clean()
        exercise.save()
        return exercise, "created"
    changed = [field for field, value in wanted.items() if getattr(existing, field) != value]
    if existing.is_deleted:
        existing.mark_restored()
        changed += ["is_deleted", "deleted_at"]
    if not changed:
        return existing, "unchanged"
    for field in changed:
        if field in wanted:
            setattr(existing, field, wanted[field])
    existing.full_clean()
    existing.save(update_fields=[*changed, "updated_at"])
    return existing, "updated"


@transaction.atomic
def exercise_staff_soft_delete(*, exercise: Exercise) -> Exercise:
    """Hide ``exercise`` from the library; programs that use it keep showing it."""
    if not exercise.is_deleted:
        exercise.mark_deleted()
        exercise.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return exercise


@transaction.atomic
def exercise_staff_restore(*, exercise: Exercise) -> Exercise:
    """Bring a soft-deleted exercise back; refused if a live exercise now has its name."""
    if exercise.is_deleted:
        exercise.mark_restored()
        exercise.full_clean()
        exercise.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    return exercise


# --- Custom exercises -------------------------------------------------------------------------


class CustomExerciseNotAllowed(PermissionDenied):
    """The user may not create or change custom exercises (tier, or a read-only organization)."""


CUSTOM_EXERCISES_UPGRADE_MESSAGE = (
    "Custom exercises are a pro feature. Upgrade to pro, or join an organization on the pro or "
    "enterprise plan, to create your own exercises. Everything in the library stays free to use."
)


@dataclass(frozen=True)
class CustomExerciseData:
    name: str
    equipment: str
    difficulty: str
    muscle_contributions: dict[str, float]
    description: str = ""
    image_url: str | None = None
    video_url: str | None = None


def _check_can_write(user: User) -> None:
    if is_read_only(user):
        raise CustomExerciseNotAllowed(READ_ONLY_MESSAGE)


def _check_can_author(user: User) -> None:
    _check_can_write(user)
    if not can_create_custom_exercises(user):
        raise CustomExerciseNotAllowed(CUSTOM_EXERCISES_UPGRADE_MESSAGE)


def _check_unique_name(*, user: User, name: str, exclude_pk: Any = None) -> None:
    taken = Exercise.objects.alias(name_lower=Lower("name")).filter(
        is_global=False, created_by=user, name_lower=name.lower()
    )
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": "You already have an exercise with this name."})


def _apply(exercise: Exercise, data: CustomExerciseData) -> list[str]:
    """Set ``data`` on ``exercise`` (name and description cleaned); the names of changed fields."""
    errors: dict[str, Any] = {}
    name = description = ""
    try:
        name = clean_exercise_name(data.name)
    except ValidationError as exc:
        errors["name"] = exc
    try:
        description = clean_exercise_description(data.description)
    except ValidationError as exc:
        errors["description"] = exc
    if errors:
        raise ValidationError(errors)
    wanted: dict[str, Any] = {
        "name": name,
        "equipment": data.equipment,
        "difficulty": data.difficulty,
        "description": description,
        "muscle_contributions": {m: float(v) for m, v in data.muscle_contributions.items()},
        "image_url": data.image_url or None,
        "video_url": data.video_url or None,
    }
    changed = [name for name, value in wanted.items() if getattr(exercise, name) != value]
    for name in changed:
        setattr(exercise, name, wanted[name])
    return changed


def exercise_schedule_embedding(*, exercise_ids: list[Any]) -> None:
    """After the current transaction commits, (re-)embed these exercises in a job (the model may
    need seconds to load; the request never waits for it). Search finds them by name meanwhile."""
    defer_on_commit(embed_exercises_job, exercise_ids=[str(pk) for pk in exercise_ids])


@transaction.atomic
def exercise_create_custom(*, user: User, data: CustomExerciseData) -> Exercise:
    """Create ``user``'s own exercise (pro features; not in a suspended organization)."""
    _check_can_author(user)
    exercise = Exercise(is_global=False, created_by=user)
    _apply(exercise, data)
    _check_unique_name(user=user, name=exercise.name)
    exercise.full_clean()
    exercise.save()
    exercise_schedule_embedding(exercise_ids=[exercise.pk])
    return exercise


@transaction.atomic
def exercise_update_custom(*, user: User, exercise: Exercise, data: CustomExerciseData) -> Exercise:
    """Change ``user``'s own exercise; the embedding is refreshed after commit when the text changed."""
    _check_can_author(user)
    if exercise.is_global or exercise.created_by_id != user.pk or exercise.is_deleted:
        raise CustomExerciseNotAllowed("You can only change your own exercises.")
    changed = _apply(exercise, data)
    if not changed:
        return exercise
    _check_unique_name(user=user, name=exercise.name, exclude_pk=exercise.pk)
    exercise.full_clean()
    exercise.save(update_fields=[*changed, "updated_at"])
    exercise_schedule_embedding(exercise_ids=[exercise.pk])
    return exercise


@transaction.atomic
def exercise_delete_custom(*, user: User, exercise: Exercise) -> Exercise:
    """Soft-delete ``user``'s own exercise: it leaves the library, programs using it keep it.

    Allowed without pro features, so a lifter who downgraded can still tidy up; not in a
    suspended organization.
    """
    _check_can_write(user)
    if exercise.is_global or exercise.created_by_id != user.pk:
        raise CustomExerciseNotAllowed("You can only delete your own exercises.")
    if exercise.is_deleted:
        return exercise
    exercise.mark_deleted()
    exercise.save(update_fields=["is_deleted", "deleted_at", "updated_at"])
    audit_log(action=AuditAction.OBJECT_DELETED, actor=user, target=exercise, data={"name": exercise.name})
    return exercise


# --- Semantic search (one AI query) -----------------------------------------------------------

SEMANTIC_REUSE_SECONDS = 600
SEMANTIC_RESULTS_SECONDS = 120  # result ids of a search, for paging back and forth


def _paid_key(user: User, text: str) -> str:
    digest = hashlib.sha1(
        embeddings.normalise_query_text(text).encode("utf-8"), usedforsecurity=False
    ).hexdigest()
    return f"semsearch-paid:{user.pk}:{digest}"


def exercise_semantic_search_for_user(
    *,
    user: User,
    text: str,
    limit: int = 20,
    reuse_window: bool = True,
    charge: bool = True,
    **filters: Any,
) -> list[Exercise] | None:
    """Semantic search that counts ONE AI query for ``user`` (the program builder calls this).

    - Raises ``PermissionDenied`` for anonymous users, :class:`accounts.quota.AIQuotaExceeded`
      when the quota is spent, :class:`exercises.embeddings.EmbeddingUnavailable` when the model
      cannot load (checked before counting, so nothing is charged).
    - With ``reuse_window`` the same description (normalised) by the same user within
      ``SEMANTIC_REUSE_SECONDS`` is not counted again: paging through the results or refining the
      filters of one search is one AI query.
    - ``charge=False`` (a GET: a link anyone could send) never spends: it answers from a search
      already paid for in the reuse window, else returns ``None`` (the page then offers a button
      that POSTs the search). Spending needs a POST, which CSRF protection ties to this site.
    - ``filters``: ``muscles``, ``muscle_mode``, ``equipment``, ``difficulty``, ``scope``.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Log in to search by description.")
    text = normalise_query(text)
    if not text:
        return []
    key = _paid_key(user, text)
    results_key = _results_key(user, text, limit, filters)
    if reuse_window:
        found = cache.get_many([key, results_key])
        already_paid = key in found
        if already_paid and results_key in found:
            # The same search a moment ago (paging, back button): its ids, re-checked for
            # visibility, in their order. No model call, no nearest-neighbour query.
            ids = found[results_key]
            by_id = exercise_visible_queryset(user=user).defer(*SEARCH_RESULT_DEFERRED).in_bulk(ids)
            return [by_id[pk] for pk in ids if pk in by_id]
    else:
        already_paid = False
    if not already_paid and not charge:
        return None
    if not already_paid:
        if not embeddings.model_available():
            raise embeddings.EmbeddingUnavailable("Search by description is unavailable right now.")
        ai_query_consume(user=user)
        if reuse_window:
            cache.set(key, 1, SEMANTIC_REUSE_SECONDS)
    results = exercise_semantic_search(user=user, text=text, limit=limit, **filters)
    if reuse_window:
        cache.set(results_key, [e.pk for e in results], SEMANTIC_RESULTS_SECONDS)
    return results


def _results_key(user: User, text: str, limit: int, filters: dict[str, Any]) -> str:
    canonical = json.dumps(
        [
            embeddings.normalise_query_text(text),
            limit,
            sorted((k, v if isinstance(v, str | None) else sorted(v)) for k, v in filters.items()),
        ],
        sort_keys=True,
        default=str,
    )
    digest = hashlib.sha1(canonical.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"semsearch-results:{user.pk}:{digest}"
