"""Admin for programs (and staff-authored templates), workout sessions and session exercises.

Django has no nested inlines, so a program's page lists its sessions inline, each with a link to
the session's own page, where the session's exercises are inline.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from exercises.models import Exercise
from hypertroq.admin import IsDeletedFilter, SoftDeleteAdminMixin
from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.services import (
    program_staff_restore,
    program_staff_soft_delete,
    session_exercise_staff_restore,
    session_exercise_staff_soft_delete,
    session_staff_restore,
    session_staff_soft_delete,
)

ALIVE_EXERCISES = Count("exercises", filter=Q(exercises__is_deleted=False), distinct=True)
ALIVE_SESSIONS = Count("sessions", filter=Q(sessions__is_deleted=False), distinct=True)


def _change_link(obj: Any, text: str) -> str:
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text)


def _exercise_choices(db_field: Any, kwargs: dict[str, Any]) -> None:
    """A row keeps validating when its exercise was later soft-deleted from the library
    (autocomplete still offers live exercises only)."""
    if db_field.name == "exercise":
        kwargs["queryset"] = Exercise.all_objects.defer("embedding")


# --- programs ---------------------------------------------------------------------------------------


class TrainingProgramAdminForm(forms.ModelForm):
    class Meta:
        model = TrainingProgram
        fields = (
            "name",
            "description",
            "structure_type",
            "frequency",
            "is_template",
            "user",
            "assigned_by",
            "source",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("is_template") and not cleaned.get("user") and "user" not in self.errors:
            self.add_error("user", "A program needs an owner; only a template (tick “Is template”) has none.")
        return cleaned


class WorkoutSessionInline(admin.TabularInline):
    model = WorkoutSession
    fields = ("order_index", "name", "day_of_week", "exercise_count")
    readonly_fields = ("exercise_count",)
    ordering = ("order_index", "created_at")
    extra = 0
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkoutSession]:
        return super().get_queryset(request).annotate(exercise_total=ALIVE_EXERCISES)

    @admin.display(description="Exercises")
    def exercise_count(self, obj: WorkoutSession) -> str:
        if obj.pk is None or obj._state.adding:
            return "Save first, then add exercises on the session's page."
        count = getattr(obj, "exercise_total", None)
        if count is None:
            count = obj.exercises.count()
        return _change_link(obj, f"{count} exercise{'' if count == 1 else 's'} — edit")


@admin.register(TrainingProgram)
class TrainingProgramAdmin(SoftDeleteAdminMixin, admin.ModelAdmin):
    form = TrainingProgramAdminForm
    inlines = (WorkoutSessionInline,)
    list_display = (
        "name",
        "user",
        "is_template",
        "structure_type",
        "frequency",
        "session_count",
        "assigned_by",
        "is_deleted",
        "updated_at",
    )
    list_filter = ("is_template", "structure_type", "frequency", IsDeletedFilter)
    search_fields = ("name", "user__email", "user__full_name")
    autocomplete_fields = ("user", "assigned_by", "source")
    list_select_related = ("user", "assigned_by")
    ordering = ("-updated_at",)
    fieldsets = (
        (None, {"fields": ("name", "description", "structure_type", "frequency")}),
        (
            "Ownership",
            {
                "fields": ("is_template", "user", "assigned_by", "source"),
                "description": "Templates are authored by staff: tick “Is template” and leave the owner empty.",
            },
        ),
        ("Record", {"fields": ("is_deleted", "deleted_at", "created_at", "updated_at")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingProgram]:
        return super().get_queryset(request).annotate(session_total=ALIVE_SESSIONS)

    @admin.display(description="Sessions", ordering="session_total")
    def session_count(self, obj: TrainingProgram) -> int:
        return getattr(obj, "session_total", 0)

    def soft_delete_one(self, obj: TrainingProgram) -> None:
        program_staff_soft_delete(program=obj)

    def restore_one(self, obj: TrainingProgram) -> None:
        program_staff_restore(program=obj)


# --- sessions ---------------------------------------------------------------------------------------


class SessionExerciseAdminForm(forms.ModelForm):
    class Meta:
        model = SessionExercise
        fields = ("session", "exercise", "order_index", "sets", "reps", "rest_seconds", "notes")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # ix_session_exercise_unique also covers soft-deleted rows, which Django's own unique
        # check (it uses the default manager) does not see.
        session = cleaned.get("session")
        session_id = session.pk if session is not None else self.instance.session_id
        exercise = cleaned.get("exercise")
        order_index = cleaned.get("order_index")
        if session_id and exercise is not None and order_index is not None:
            clash = SessionExercise.all_objects.filter(
                session_id=session_id, exercise=exercise, order_index=order_index, is_deleted=True
            )
            if not self.instance._state.adding:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "order_index",
                    ValidationError(
                        "A deleted entry of this exercise holds this position; restore it or pick "
                        "another position.",
                        code="unique_deleted",
                    ),
                )
        return cleaned


class SessionExerciseInline(admin.TabularInline):
    model = SessionExercise
    form = SessionExerciseAdminForm
    fields = ("order_index", "exercise", "sets", "reps", "rest_seconds", "notes")
    autocomplete_fields = ("exercise",)
    ordering = ("order_index", "created_at")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[SessionExercise]:
        return super().get_queryset(request).select_related("exercise").defer("exercise__embedding")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _exercise_choices(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "notes":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 1, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(WorkoutSession)
class WorkoutSessionAdmin(SoftDeleteAdminMixin, admin.ModelAdmin):
    inlines = (SessionExerciseInline,)
    list_display = (
        "name",
        "program_link",
        "day_of_week",
        "order_index",
        "exercise_count",
        "is_deleted",
        "updated_at",
    )
    list_filter = ("day_of_week", "program__is_template", IsDeletedFilter)
    search_fields = ("name", "program__name", "program__user__email")
    autocomplete_fields = ("program",)
    list_select_related = ("program",)
    ordering = ("program__name", "order_index")
    fields = ("program", "name", "day_of_week", "order_index", "is_deleted", "deleted_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkoutSession]:
        return super().get_queryset(request).annotate(exercise_total=ALIVE_EXERCISES)

    @admin.display(description="Program", ordering="program__name")
    def program_link(self, obj: WorkoutSession) -> str:
        return _change_link(obj.program, obj.program.name)

    @admin.display(description="Exercises", ordering="exercise_total")
    def exercise_count(self, obj: WorkoutSession) -> int:
        return getattr(obj, "exercise_total", 0)

    def soft_delete_one(self, obj: WorkoutSession) -> None:
        session_staff_soft_delete(session=obj)

    def restore_one(self, obj: WorkoutSession) -> None:
        session_staff_restore(session=obj)


# --- session exercises ------------------------------------------------------------------------------


@admin.register(SessionExercise)
class SessionExerciseAdmin(SoftDeleteAdminMixin, admin.ModelAdmin):
    form = SessionExerciseAdminForm
    list_display = (
        "exercise",
        "session",
        "program_name",
        "order_index",
        "sets",
        "reps",
        "rest_seconds",
        "is_deleted",
    )
    list_filter = ("exercise__equipment", "session__program__is_template", IsDeletedFilter)
    search_fields = ("exercise__name", "session__name", "session__program__name")
    autocomplete_fields = ("session", "exercise")
    list_select_related = ("session__program", "exercise")
    ordering = ("session__program__name", "session__order_index", "order_index")

    def get_queryset(self, request: HttpRequest) -> QuerySet[SessionExercise]:
        return (
            super()
            .get_queryset(request)
            .select_related("session__program", "exercise")
            .defer("exercise__embedding")
        )

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        _exercise_choices(db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="Program", ordering="session__program__name")
    def program_name(self, obj: SessionExercise) -> str:
        return obj.session.program.name

    def soft_delete_one(self, obj: SessionExercise) -> None:
        session_exercise_staff_soft_delete(session_exercise=obj)

    def restore_one(self, obj: SessionExercise) -> None:
        session_exercise_staff_restore(session_exercise=obj)


# --- Volume preferences (programs builder) ---------------------------------------------------------
from programs.models import VolumePreference  # noqa: E402  (appended registration)


@admin.register(VolumePreference)
class VolumePreferenceAdmin(admin.ModelAdmin):
    """A user's landmark overrides (validated: MV ≤ MEV ≤ MAV ≤ MRV); the counting rule is on the
    user's preferences."""

    list_display = ("user", "updated_at")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
    readonly_fields = ("created_at", "updated_at")
