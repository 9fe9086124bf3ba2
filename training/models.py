"""The training log: performed workouts (``workout_logs``), the exercises of each workout
(``workout_exercises``), performed sets (``set_logs``) and each lifter's training preferences.

Invariants are database constraints (see TRAINING.md); the field validators mirror them so a form
or ``full_clean()`` reports the same rule without a query per constraint.

Deleting a program or session keeps the workouts: ``program``/``session`` become NULL and the
names stay on the log. An exercise used in a log cannot be deleted (PROTECT here, RESTRICT in the
database); the library soft-deletes exercises anyway.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone

from accounts.preferences import RIR_VALUES, validate_rir
from hypertroq.models import SoftDeleteModel, TimeStampedModel
from programs.models import MAX_REST_SECONDS, MAX_SETS, REPS_PATTERN

MAX_REPS = 100
MAX_WEIGHT_KG = Decimal("1000")
MAX_BODY_WEIGHT_KG = Decimal("500")
MAX_NOTE = 500
MAX_WORKOUT_NOTES = 2000


class SetType(models.TextChoices):
    WARMUP = "WARMUP", "Warm-up"
    WORKING = "WORKING", "Working"
    DROP = "DROP", "Drop set"
    FAILURE = "FAILURE", "To failure"


class Side(models.TextChoices):
    LEFT = "LEFT", "Left"
    RIGHT = "RIGHT", "Right"


class ExerciseOrigin(models.TextChoices):
    PLANNED = "PLANNED", "Planned"
    ADDED = "ADDED", "Added during the workout"


class WorkoutLog(TimeStampedModel, SoftDeleteModel):
    """One performed training session, optionally following a session of the lifter's programs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workouts", db_index=False
    )
    program = models.ForeignKey(
        "programs.TrainingProgram",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workouts",
        db_index=False,
    )
    session = models.ForeignKey(
        "programs.WorkoutSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workouts",
        db_index=False,
    )
    # Kept on the log: the program or session may be renamed or deleted later.
    program_name = models.CharField(max_length=255, blank=True, default="", db_default="")
    session_name = models.CharField(max_length=255, blank=True, default="", db_default="")
    started_at = models.DateTimeField(default=timezone.now, db_default=Now())
    finished_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, default="", db_default="", max_length=MAX_WORKOUT_NOTES)
    body_weight_kg = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_BODY_WEIGHT_KG)],
    )

    class Meta:
        db_table = "workout_logs"
        ordering = ("-started_at",)
        indexes = [
            models.Index(fields=["user", "-started_at"], name="ix_workout_logs_user_started"),
            models.Index(fields=["program"], name="ix_workout_logs_program_id"),
            models.Index(fields=["session"], name="ix_workout_logs_session_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(finished_at__gte=models.F("started_at")),
                name="chk_workout_finished_after_start",
                violation_error_message="A workout finishes after it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(body_weight_kg__isnull=True)
                | models.Q(body_weight_kg__gt=0, body_weight_kg__lte=MAX_BODY_WEIGHT_KG),
                name="chk_workout_body_weight_range",
                violation_error_message="Body weight is above 0 and at most 500 kg.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.session_name or "Workout"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class WorkoutExercise(TimeStampedModel):
    """One exercise of a workout: copied from the session's plan when the workout starts (a
    snapshot, so later edits of the program don't rewrite history), or added during it.
    Swapping or skipping changes this row only, never the program."""

    workout_log = models.ForeignKey(
        WorkoutLog, on_delete=models.CASCADE, related_name="exercises", db_index=False
    )
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.PROTECT, related_name="workout_exercises", db_index=False
    )
    # The plan line this came from (NULL when added, or when the line was later removed).
    session_exercise = models.ForeignKey(
        "programs.SessionExercise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Set when the lifter swapped the planned exercise for a substitute.
    swapped_from = models.ForeignKey(
        "exercises.Exercise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    origin = models.CharField(max_length=10, choices=ExerciseOrigin.choices, default=ExerciseOrigin.PLANNED)
    order_index = models.IntegerField(default=0, validators=[MinValueValidator(0)])
    planned_sets = models.IntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_SETS)]
    )
    planned_reps = models.CharField(max_length=50, blank=True, default="")
    rest_seconds = models.IntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(MAX_REST_SECONDS)]
    )
    planned_notes = models.TextField(blank=True, default="", max_length=MAX_NOTE)
    skipped = models.BooleanField(default=False, db_default=False)

    class Meta:
        db_table = "workout_exercises"
        ordering = ("order_index", "created_at")
        indexes = [
            models.Index(fields=["workout_log", "order_index"], name="ix_workout_exercises_workout"),
            models.Index(fields=["exercise"], name="ix_workout_exercises_exercise"),
            models.Index(fields=["swapped_from"], name="ix_workout_exercises_swapped"),
            models.Index(fields=["session_exercise"], name="ix_workout_exercises_planned"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(origin__in=ExerciseOrigin.values), name="chk_workout_exercise_origin"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_sets__isnull=True)
                | models.Q(planned_sets__gte=1, planned_sets__lte=MAX_SETS),
                name="chk_workout_exercise_sets",
            ),
            models.CheckConstraint(
                condition=models.Q(rest_seconds__isnull=True)
                | models.Q(rest_seconds__gte=0, rest_seconds__lte=MAX_REST_SECONDS),
                name="chk_workout_exercise_rest",
            ),
            models.CheckConstraint(
                condition=models.Q(planned_reps="") | models.Q(planned_reps__regex=REPS_PATTERN),
                name="chk_workout_exercise_reps",
            ),
            models.CheckConstraint(condition=models.Q(order_index__gte=0), name="chk_workout_exercise_order"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} in {self.workout_log_id}"


class SetLog(TimeStampedModel, SoftDeleteModel):
    """One performed set. ``client_id`` is generated by the browser: the same set sent twice is
    stored once (unique constraint + ``INSERT … ON CONFLICT DO NOTHING``). Deleting a set is a soft
    delete (the page offers Undo); a resend of a deleted set does not bring it back."""

    workout_log = models.ForeignKey(WorkoutLog, on_delete=models.CASCADE, related_name="sets", db_index=False)
    workout_exercise = models.ForeignKey(
        WorkoutExercise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sets",
        db_index=False,
    )
    exercise = models.ForeignKey(
        "exercises.Exercise", on_delete=models.PROTECT, related_name="set_logs", db_index=False
    )
    weight_kg = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_WEIGHT_KG)],
        help_text="Load in kg (added load for bodyweight exercises; 0 allowed).",
    )
    reps = models.SmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(MAX_REPS)])
    rir = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validate_rir],
        help_text="Reps in reserve: 0 to 5 in steps of 0.5; empty when not logged.",
    )
    set_type = models.CharField(max_length=10, choices=SetType.choices, default=SetType.WORKING)
    client_id = models.UUIDField(unique=True, editable=False)
    order_index = models.IntegerField(default=0, validators=[MinValueValidator(0)])
    side = models.CharField(max_length=5, choices=Side.choices, null=True, blank=True)
    note = models.TextField(blank=True, default="", db_default="", max_length=MAX_NOTE)
    logged_at = models.DateTimeField(default=timezone.now, db_default=Now())

    class Meta:
        db_table = "set_logs"
        ordering = ("order_index", "logged_at")
        indexes = [
            models.Index(fields=["workout_log", "order_index"], name="ix_set_logs_workout_order"),
            models.Index(fields=["exercise", "logged_at"], name="ix_set_logs_exercise_logged"),
            models.Index(fields=["workout_exercise"], name="ix_set_logs_workout_exercise"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reps__gte=0, reps__lte=MAX_REPS),
                name="chk_set_logs_reps_range",
                violation_error_message="Reps are 0 to 100.",
            ),
            models.CheckConstraint(
                condition=models.Q(weight_kg__gte=0, weight_kg__lte=MAX_WEIGHT_KG),
                name="chk_set_logs_weight_range",
                violation_error_message="Weight is 0 to 1000 kg.",
            ),
            models.CheckConstraint(
                condition=models.Q(rir__isnull=True) | models.Q(rir__in=RIR_VALUES),
                name="chk_set_logs_rir_steps",
                violation_error_message="RIR is 0 to 5 in steps of 0.5.",
            ),
            models.CheckConstraint(
                condition=models.Q(set_type__in=SetType.values),
                name="chk_set_logs_set_type",
                violation_error_message="Set type is warm-up, working, drop or failure.",
            ),
            models.CheckConstraint(
                condition=models.Q(side__isnull=True) | models.Q(side__in=Side.values),
                name="chk_set_logs_side",
                violation_error_message="Side is left or right.",
            ),
            models.CheckConstraint(condition=models.Q(order_index__gte=0), name="chk_set_logs_order"),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} {self.weight_kg} kg × {self.reps}"

    @property
    def is_warmup(self) -> bool:
        return self.set_type == SetType.WARMUP


class TrainingPreferences(TimeStampedModel):
    """The program the lifter follows (its volume is the planned side of planned-vs-performed).

    The lifter-wide settings (unit, rounding, bar and plates, hard-set RIR threshold, time zone,
    week start, counting rule) live on ``accounts.UserPreferences`` (``user_preferences``); they
    moved there from this table in migration 0004, which copied every row.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_preferences"
    )
    current_program = models.ForeignKey(
        "programs.TrainingProgram",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        db_table = "training_preferences"
        verbose_name = "training preferences"
        verbose_name_plural = "training preferences"
        indexes = [models.Index(fields=["current_program"], name="ix_training_prefs_program")]

    def __str__(self) -> str:
        return f"Training preferences of {self.user_id}"


class WeekStartRun(TimeStampedModel):
    """A lifter's week-start notices (digest, below-MEV) were composed for ``week``, the ISO week
    that started ("2026-W50"). The hourly job looks for lifters whose Monday 07:00 passed less than
    a day ago and who have no row for that week, so an hour the worker missed is caught up and
    nobody is composed twice (training.notices.lifters_at_week_start). Rows older than a few weeks
    are deleted by that job."""

    # Indexed by the unique (user, week) index.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    week = models.CharField(max_length=8)

    class Meta:
        db_table = "week_start_runs"
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="uq_week_start_run"),
            models.CheckConstraint(
                condition=models.Q(week__regex=r"^[0-9]{4}-W[0-9]{2}$"), name="chk_week_start_run_week"
            ),
        ]
        indexes = [models.Index(fields=["week"], name="ix_week_start_runs_week")]

    def __str__(self) -> str:
        return f"Week-start notices of {self.user_id} for {self.week}"


# History imports live in their own module (training/imports); registered on this app here.
from training.imports.models import HistoryImport as HistoryImport  # noqa: E402
from training.imports.models import ImportedWorkout as ImportedWorkout  # noqa: E402
from training.imports.models import ImportNameChoice as ImportNameChoice  # noqa: E402
