"""Admin for the exercise library, with muscle contributions edited as one choice per muscle."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from exercises.domain import (
    CONTRIBUTION_LABELS,
    CONTRIBUTION_LEVELS,
    MUSCLE_CATEGORY,
    Muscle,
    MuscleCategory,
    muscle_label,
    validate_muscle_contributions,
)
from exercises.models import Exercise
from exercises.services import exercise_staff_restore, exercise_staff_soft_delete
from hypertroq.admin import IsDeletedFilter, SoftDeleteAdminMixin

NONE_CHOICE = ("", "none")
LEVEL_CHOICES = [NONE_CHOICE] + [
    (str(level), f"{level} — {CONTRIBUTION_LABELS[level]}") for level in CONTRIBUTION_LEVELS
]


class MuscleContributionsWidget(forms.MultiWidget):
    """17 labelled selects, one per muscle, grouped by category (DOMAIN.md order)."""

    template_name = "exercises/widgets/muscle_contributions.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__([forms.Select(choices=LEVEL_CHOICES) for _ in Muscle.values], attrs)

    def decompress(self, value: Any) -> list[str]:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = {}
        if not isinstance(value, dict):
            value = {}
        return [_level_key(value.get(muscle)) for muscle in Muscle.values]

    def id_for_label(self, id_: str) -> str:
        # Each select has its own <label>; the field's label names the whole group.
        return ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        groups: dict[str, list[dict[str, Any]]] = {}
        for muscle, subwidget in zip(Muscle, context["widget"]["subwidgets"], strict=True):
            category = MuscleCategory(MUSCLE_CATEGORY[muscle]).label
            groups.setdefault(category, []).append({"label": muscle.label, "widget": subwidget})
        context["widget"]["groups"] = list(groups.items())
        return context


def _level_key(level: Any) -> str:
    if level is None or isinstance(level, bool):
        return ""
    try:
        return str(float(level))
    except (TypeError, ValueError):
        return ""


class MuscleContributionsField(forms.MultiValueField):
    """Composes the 17 choices into ``{"CHEST": 1.0, ...}``; validates like the model."""

    widget = MuscleContributionsWidget
    default_error_messages = {
        "required": "Choose at least one muscle and make one of them the prime mover (1.0).",
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = [
            forms.TypedChoiceField(choices=LEVEL_CHOICES, coerce=float, empty_value=None, required=False)
            for _ in Muscle.values
        ]
        kwargs.setdefault(
            "help_text",
            "One choice per muscle: 1.0 prime mover, 0.75 high, 0.5 synergist, 0.25 minor. "
            "At least one muscle must be the prime mover.",
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dict[str, float]:
        if not data_list:
            return {}
        return {
            muscle: float(level)
            for muscle, level in zip(Muscle.values, data_list, strict=True)
            if level is not None
        }

    def validate(self, value: Any) -> None:
        if not value:
            raise ValidationError(self.error_messages["required"], code="required")
        validate_muscle_contributions(value)


class ExerciseAdminForm(forms.ModelForm):
    muscle_contributions = MuscleContributionsField(label="Muscle contributions")

    class Meta:
        model = Exercise
        fields = (
            "name",
            "description",
            "equipment",
            "difficulty",
            "muscle_contributions",
            "aliases",
            "needs",
            "is_gentle",
            "is_global",
            "created_by",
        )  # the admin adds the URL fields (with https as their assumed scheme) from its fieldsets


@admin.register(Exercise)
class ExerciseAdmin(SoftDeleteAdminMixin, admin.ModelAdmin):
    form = ExerciseAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = (
        "name",
        "equipment",
        "difficulty",
        "prime_mover_list",
        "is_global",
        "created_by",
        "is_deleted",
        "updated_at",
    )
    list_filter = ("is_global", "equipment", "difficulty", IsDeletedFilter)
    search_fields = ("name", "aliases", "created_by__email")
    autocomplete_fields = ("created_by",)
    list_select_related = ("created_by",)
    list_per_page = 50
    ordering = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "description", "equipment", "difficulty")}),
        ("Muscles", {"fields": ("muscle_contributions",)}),
        ("Search and generator", {"fields": ("aliases", "needs", "is_gentle")}),
        ("Ownership", {"fields": ("is_global", "created_by")}),
        ("Media", {"fields": ("image_url", "video_url"), "classes": ("collapse",)}),
        ("Record", {"fields": ("embedding_hash", "is_deleted", "deleted_at", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Exercise]:
        return super().get_queryset(request).defer("embedding")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return (*super().get_readonly_fields(request, obj), "embedding_hash")

    @admin.display(description="Prime movers")
    def prime_mover_list(self, obj: Exercise) -> str:
        return ", ".join(muscle_label(m) for m in obj.prime_movers)

    def soft_delete_one(self, obj: Exercise) -> None:
        exercise_staff_soft_delete(exercise=obj)

    def restore_one(self, obj: Exercise) -> None:
        exercise_staff_restore(exercise=obj)
