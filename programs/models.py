"""Training programs, their workout sessions and session exercises."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from accounts.preferences import Weekday
from exercises.domain import Muscle, muscle_label
from hypertroq.models import SoftDeleteModel, TimeStampedModel
from programs.rules import (
    MAX_FREQUENCY,
    MAX_NOTES,
    MAX_REST_SECONDS,
    MAX_SETS,
    MIN_FREQUENCY,
    MIN_SETS,
    REPS_FORMAT_MESSAGE,
    REPS_PATTERN,
    REST_MESSAGE,
    SETS_MAX_MESSAGE,
)


class StructureType(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    CYCLIC = "CYCLIC", "Cyclic (rotation)"


class TrainingProgram(TimeStampedModel, SoftDeleteModel):
    # Templates (is_template) may have no owner; every other program belongs to a user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programs",
        null=True,
        blank=True,
        db_index=False,
    )
    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    structure_type = models.CharField(max_length=50, choices=StructureType.choices)
    frequency = models.IntegerField(
        help_text="Training days per week.",
        validators=[MinValueValidator(MIN_FREQUENCY), MaxValueValidator(MAX_FREQUENCY)],
    )
    is_template = models.BooleanField(default=False, db_default=False)
    # A coach's copy given to a member is marked as coming from that coach.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    source = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        help_text="The template or program this one was copied from.",
    )
    # Raised by the database (triggers of migration 0005) whenever a statement writes the program's
    # sessions or session exercises, or edits an exercise they use: the builder's cached fragments
    # are keyed by it (programs/fragments.py). No Python code writes it; a full save() that carries
    # a stale value cannot lower it (a BEFORE UPDATE trigger keeps the larger).
    content_version = models.BigIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        db_table = "training_programs"
        ordering = ("-updated_at",)
        indexes = [
            models.Index(fields=["user"], name="ix_programs_user_id"),
            models.Index(fields=["is_template"], name="ix_programs_is_template"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(frequency__gt=0), name="chk_frequency_positive"),
            models.CheckConstraint(
                condition=models.Q(frequency__lte=MAX_FREQUENCY),
                name="chk_frequency_max_7",
                violation_error_message="A week has at most 7 training days.",
            ),
            models.CheckConstraint(
                condition=models.Q(structure_type__in=StructureType.values),
                name="chk_programs_structure_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(is_template=True) | models.Q(user__isnull=False),
                name="chk_programs_owner_unless_template",
                violation_error_message="A program needs an owner.",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(is_template=True, is_deleted=False),
                name="ux_programs_template_name",
                violation_error_message="A template with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class WorkoutSession(TimeStampedModel, SoftDeleteModel):
    program = models.ForeignKey(
        TrainingProgram, on_delete=models.CASCADE, related_name="sessions", db_index=False
    )
    name = models.CharField(max_length=255)
    day_of_week = models.IntegerField(
        choices=Weekday.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(6)],
    )
    order_index = models.IntegerField(default=0)

    class Meta:
        db_table = "workout_sessions"
        ordering = ("order_index", "created_at")
        indexes = [models.Index(fields=["program"], name="ix_sessions_program_id")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(day_of_week__isnull=True)
                | models.Q(day_of_week__gte=0, day_of_week__lte=6),
                name="chk_day_of_week_valid",
                violation_error_message="Day of week must be Monday (0) to Sunday (6).",
            ),
            models.UniqueConstraint(
                fields=["program", "day_of_week"],
                condition=models.Q(day_of_week__isnull=False, is_deleted=False),
                name="ux_sessions_program_weekday",
                violation_error_message="This program already has a session on that day.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SessionExercise(TimeStampedModel, SoftDeleteModel):
    session = models.ForeignKey(
        WorkoutSession, on_delete=models.CASCADE, related_name="exercises", db_index=False
    )
    exercise = models.ForeignKey(
        "exercises.Exercise",
        on_delete=models.RESTRICT,
        related_name="session_exercises",
        db_index=False,
    )
    order_index = models.IntegerField(default=0)
    sets = models.IntegerField(validators=[MinValueValidator(MIN_SETS), MaxValueValidator(MAX_SETS)])
    reps = models.CharField(
        max_length=50,
        null=True,
        blank=True,
        validators=[RegexValidator(REPS_PATTERN, REPS_FORMAT_MESSAGE)],
    )
    rest_seconds = models.IntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(MAX_REST_SECONDS)]
    )
    notes = models.TextField(null=True, blank=True, max_length=MAX_NOTES)

    class Meta:
        db_table = "session_exercises"
        ordering = ("order_index", "created_at")
        # ix_session_exercises_session_id / _exercise_id exceed Django's 30-character index
        # names: migration 0002 creates them with raw SQL.
        constraints = [
            models.CheckConstraint(condition=models.Q(sets__gt=0), name="chk_sets_positive"),
            models.CheckConstraint(
                condition=models.Q(sets__lte=MAX_SETS),
                name="chk_sets_max_20",
                violation_error_message=SETS_MAX_MESSAGE,
            ),
            models.CheckConstraint(
                condition=models.Q(rest_seconds__isnull=True)
                | models.Q(rest_seconds__gte=0, rest_seconds__lte=MAX_REST_SECONDS),
                name="chk_rest_seconds_range",
                violation_error_message=REST_MESSAGE,
            ),
            models.CheckConstraint(
                condition=models.Q(reps__isnull=True) | models.Q(reps__regex=REPS_PATTERN),
                name="chk_reps_format",
                violation_error_message=REPS_FORMAT_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["session", "exercise", "order_index"],
                name="ix_session_exercise_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} × {self.sets}"


LANDMARK_KEYS = ("mv", "mev", "mav_low", "mav_high", "mrv")
MAX_LANDMARK_SETS = 60


def validate_landmark_overrides(value: object) -> None:
    """``{"CHEST": {"mv": 4, "mev": 6, "mav_low": 12, "mav_high": 20, "mrv": 22}, ...}``.

    Every muscle key known; all five landmarks whole numbers 0..60 with
    mv ≤ mev ≤ mav_low ≤ mav_high ≤ mrv.
    """
    if not isinstance(value, dict):
        raise ValidationError("Landmark overrides must be a mapping of muscle to landmarks.")
    errors: list[ValidationError] = []
    for muscle, marks in value.items():
        if muscle not in Muscle.values:
            errors.append(ValidationError(f"“{muscle}” is not a known muscle."))
            continue
        label = muscle_label(muscle)
        if not isinstance(marks, dict) or set(marks) != set(LANDMARK_KEYS):
            errors.append(ValidationError(f"{label}: give MV, MEV, MAV low, MAV high and MRV."))
            continue
        numbers = [marks[key] for key in LANDMARK_KEYS]
        if any(
            isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_LANDMARK_SETS for n in numbers
        ):
            errors.append(ValidationError(f"{label}: landmarks are whole numbers of sets from 0 to 60."))
            continue
        if numbers != sorted(numbers):
            errors.append(
                ValidationError(f"{label}: landmarks must satisfy MV ≤ MEV ≤ MAV low ≤ MAV high ≤ MRV.")
            )
    if errors:
        raise ValidationError(errors)


class VolumePreference(TimeStampedModel):
    """Which landmarks one user measures weekly volume against (overrides keyed by muscle).

    The counting rule moved to ``accounts.UserPreferences.counting`` (migration 0004 copied it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volume_preference"
    )
    landmark_overrides = models.JSONField(default=dict, blank=True, validators=[validate_landmark_overrides])

    class Meta:
        db_table = "volume_preferences"

    def __str__(self) -> str:
        return f"Volume preferences of {self.user_id}"
