"""Admin for workouts (with their exercises and sets inline) and training preferences."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from hypertroq.admin import IsDeletedFilter, SoftDeleteAdminMixin
from training.models import SetLog, TrainingPreferences, WorkoutExercise, WorkoutLog
from training.services import workout_staff_restore, workout_staff_soft_delete


class WorkoutExerciseInline(admin.TabularInline):
    model = WorkoutExercise
    fields = (
        "order_index",
        "exercise",
        "origin",
        "swapped_from",
        "planned_sets",
        "planned_reps",
        "rest_seconds",
        "skipped",
    )
    raw_id_fields = ("exercise", "swapped_from")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkoutExercise]:
        return super().get_queryset(request).select_related("exercise", "swapped_from")


class SetLogInline(admin.TabularInline):
    model = SetLog
    fk_name = "workout_log"
    fields = (
        "order_index",
        "exercise",
        "set_type",
        "weight_kg",
        "reps",
        "rir",
        "side",
        "note",
        "logged_at",
        "is_deleted",
    )
    readonly_fields = ("is_deleted",)
    raw_id_fields = ("exercise", "workout_exercise")
    extra = 0

    def get_queryset(self, request: HttpRequest) -> QuerySet[SetLog]:
        return SetLog.all_objects.select_related("exercise").order_by("order_index", "logged_at")


@admin.register(WorkoutLog)
class WorkoutLogAdmin(SoftDeleteAdminMixin, admin.ModelAdmin):
    inlines = (WorkoutExerciseInline, SetLogInline)
    list_display = ("title", "user", "program_name", "started_at", "finished_at", "is_deleted")
    list_filter = (IsDeletedFilter,)
    search_fields = ("user__email", "session_name", "program_name")
    list_select_related = ("user",)
    raw_id_fields = ("user", "program", "session")
    date_hierarchy = "started_at"
    ordering = ("-started_at",)

    def soft_delete_one(self, obj: WorkoutLog) -> None:
        workout_staff_soft_delete(workout=obj)

    def restore_one(self, obj: WorkoutLog) -> None:
        workout_staff_restore(workout=obj)


@admin.register(TrainingPreferences)
class TrainingPreferencesAdmin(admin.ModelAdmin):
    list_display = ("user", "current_program", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    raw_id_fields = ("user", "current_program")


# History imports register their own admin.
from training.imports import admin as imports_admin  # noqa: E402,F401
