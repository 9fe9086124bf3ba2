"""Substitutes: the closest visible exercises training the same prime movers ("swap")."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Sqrt
from pgvector.django import CosineDistance

from accounts.models import Viewer
from exercises.domain import Equipment, Muscle
from exercises.models import Exercise
from exercises.selectors.library import exercise_visible_queryset, known_values, prime_mover_of_any


def _contribution_vector_sql(exercise: Exercise) -> tuple[Any, Any]:
    """SQL expressions for (dot product with ``exercise``'s contributions, candidate's norm)."""
    terms = {
        m: Coalesce(Cast(KT(f"muscle_contributions__{m}"), FloatField()), Value(0.0)) for m in Muscle.values
    }
    dot: Any = Value(0.0)
    for muscle, level in exercise.muscle_contributions.items():
        if muscle in terms:
            dot = dot + terms[muscle] * Value(float(level))
    squares: Any = Value(0.0)
    for term in terms.values():
        squares = squares + term * term
    return dot, Sqrt(squares)


def exercise_substitutes(
    *,
    exercise: Exercise,
    user: Viewer | None,
    exclude_equipment: str | Iterable[str] | None = None,
    limit: int = 5,
) -> list[Exercise]:
    """The ``limit`` visible exercises closest to ``exercise`` that share a prime mover.

    Closeness is the cosine similarity of the 17-muscle contribution vectors (computed in SQL over
    the candidates); ties (e.g. the same pattern with other equipment) are broken by embedding
    cosine similarity, then by name. ``exclude_equipment`` drops one or several equipment types.
    """
    prime = [m for m in exercise.prime_movers if m in Muscle.values]
    if not prime:
        return []
    qs = exercise_visible_queryset(user=user).filter(prime_mover_of_any(prime)).exclude(pk=exercise.pk)
    excluded = known_values(exclude_equipment, Equipment.values)
    if excluded:
        qs = qs.exclude(equipment__in=excluded)
    own_norm = math.sqrt(sum(float(v) ** 2 for v in exercise.muscle_contributions.values())) or 1.0
    dot, norm = _contribution_vector_sql(exercise)
    qs = qs.annotate(
        contribution_similarity=ExpressionWrapper(dot / (norm * Value(own_norm)), output_field=FloatField())
    )
    embedding = _stored_embedding(exercise)
    if embedding is not None:
        qs = qs.annotate(embedding_distance=CosineDistance("embedding", embedding)).order_by(
            F("contribution_similarity").desc(),
            F("embedding_distance").asc(nulls_last=True),
            "name",
        )
    else:
        qs = qs.order_by(F("contribution_similarity").desc(), "name")
    return list(qs[:limit])


def _stored_embedding(exercise: Exercise) -> list[float] | None:
    if "embedding" in exercise.get_deferred_fields():
        vector = Exercise.all_objects.filter(pk=exercise.pk).values_list("embedding", flat=True).first()
    else:
        vector = exercise.embedding
    return None if vector is None else [float(x) for x in vector]
