"""History imports (``training_imports``), the workouts each one added (``training_import_workouts``,
so undo removes exactly those) and each lifter's remembered exercise-name choices
(``training_import_names``: "Bench Press (Barbell)" is my "Barbell Bench Press", or skip it).

Registered on the training app (``training.models`` imports this module).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hypertroq.models import TimeStampedModel

UNITS = ("kg", "lb")


class ImportStatus(models.TextChoices):
    REVIEW = "REVIEW", "Waiting for you to check the exercises"
    QUEUED = "QUEUED", "Waiting to start"
    RUNNING = "RUNNING", "Importing"
    DONE = "DONE", "Imported"
    FAILED = "FAILED", "Failed: nothing was added"
    UNDONE = "UNDONE", "Undone: everything it added was removed"


class HistoryImport(TimeStampedModel):
    """One uploaded file and what importing it did. One batch: all of it is added in one
    transaction or none; undo removes the workouts listed in ``ImportedWorkout``.

    ``names`` holds the review table: one entry per distinct exercise name in the file
    (``name``, ``sets``, suggested ``exercise_id``/``exercise_name``, ``confidence`` 0-1,
    ``source`` and, once confirmed, ``decision``: ``map`` or ``skip``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="history_imports", db_index=False
    )
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.REVIEW)
    source_format = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255, blank=True, default="")
    file_sha256 = models.CharField(max_length=64)
    # The uploaded bytes, kept until the import has run (then emptied).
    content = models.BinaryField(default=b"", editable=False)
    unit = models.CharField(max_length=2, default="kg")
    unit_in_file = models.BooleanField(default=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    names = models.JSONField(default=list, blank=True)
    rows_read = models.IntegerField(default=0)
    rows_skipped = models.IntegerField(default=0)  # cardio / timed rows: not sets of reps
    workouts_added = models.IntegerField(default=0)
    sets_added = models.IntegerField(default=0)
    duplicate_workouts = models.IntegerField(default=0)  # started within 60 s of one already logged
    duplicate_sets = models.IntegerField(default=0)
    unmapped_sets = models.IntegerField(default=0)  # sets of names the lifter skipped
    progress = models.SmallIntegerField(default=0)
    progress_label = models.CharField(max_length=100, blank=True, default="")
    error = models.TextField(blank=True, default="")
    finished_at = models.DateTimeField(null=True, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "training_imports"
        ordering = ("-created_at",)
        indexes = [models.Index(fields=["user", "-created_at"], name="ix_training_imports_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ImportStatus.values), name="chk_training_imports_status"
            ),
            models.CheckConstraint(condition=models.Q(unit__in=UNITS), name="chk_training_imports_unit"),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="chk_training_imports_progress"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    rows_read__gte=0,
                    rows_skipped__gte=0,
                    workouts_added__gte=0,
                    sets_added__gte=0,
                    duplicate_workouts__gte=0,
                    duplicate_sets__gte=0,
                    unmapped_sets__gte=0,
                ),
                name="chk_training_imports_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name or 'import'} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportedWorkout(models.Model):
    """A workout an import added (undo deletes exactly these, with their sets)."""

    history_import = models.ForeignKey(
        HistoryImport, on_delete=models.CASCADE, related_name="imported_workouts", db_index=False
    )
    workout = models.OneToOneField(
        "training.WorkoutLog", on_delete=models.CASCADE, related_name="imported_by", primary_key=True
    )

    class Meta:
        db_table = "training_import_workouts"
        indexes = [models.Index(fields=["history_import"], name="ix_training_import_workouts")]

    def __str__(self) -> str:
        return f"{self.workout_id} from {self.history_import_id}"


class ImportNameChoice(TimeStampedModel):
    """What a lifter chose for an exercise name in an imported file: an exercise, or skip (no
    exercise). The next import of the same name starts from this choice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_name_choices", db_index=False
    )
    name_key = models.CharField(max_length=255)  # lower-cased, spaces collapsed
    exercise = models.ForeignKey(
        "exercises.Exercise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        db_table = "training_import_names"
        indexes = [models.Index(fields=["exercise"], name="ix_training_import_names_ex")]
        constraints = [
            models.UniqueConstraint(fields=["user", "name_key"], name="ux_training_import_names_user_name"),
            models.CheckConstraint(condition=~models.Q(name_key=""), name="chk_training_import_names_key"),
        ]

    def __str__(self) -> str:
        return f"{self.name_key} -> {self.exercise_id or 'skip'}"
