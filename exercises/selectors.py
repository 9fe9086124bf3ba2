"""Reads of the exercise library, scoped to what the requesting user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from exercises.models import Exercise


def exercise_visible_queryset(*, user: Any) -> QuerySet[Exercise]:
    """Global exercises plus, for a signed-in user, their own custom ones (deleted ones hidden)."""
    visible = Q(is_global=True)
    if user is not None and getattr(user, "is_authenticated", False):
        visible |= Q(created_by=user)
    return Exercise.objects.filter(visible).defer("embedding")
