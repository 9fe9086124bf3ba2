"""A lifter's preferences (``user_preferences``): one row per user with the lifter-wide settings
(unit, rounding, bar and plates, time zone, week start, default rest, hard-set RIR threshold, the
volume counting rule).

The settings that name things of a higher app stay with that app and show on the same page: the
landmark overrides (keyed by muscle) on ``programs.VolumePreference``, the program followed on
``training.TrainingPreferences``, the notification choices and reminder times in
``notifications``. ``accounts.services.user_preferences_update`` is the one writer of this row;
``updated_at`` changes on every write, so it is a version a cache may key on.
"""

from __future__ import annotations

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hypertroq.models import TimeStampedModel

RIR_VALUES: tuple[Decimal, ...] = tuple(Decimal(n) / 2 for n in range(11))  # 0.0, 0.5, … 5.0
MAX_DEFAULT_REST_SECONDS = 900  # the program builder's limit for a rest (programs.rules)
DEFAULT_REST_SECONDS = 120


class WeightUnit(models.TextChoices):
    KG = "kg", "Kilograms (kg)"
    LB = "lb", "Pounds (lb)"


class CountingRule(models.TextChoices):
    FRACTIONAL = "fractional", "Fractional sets (indirect work counts by its contribution)"
    DIRECT = "direct", "Direct sets only (prime mover, contribution 1.0)"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


# Defaults per unit (TRAINING.md): display increment, bar, plates per side.
UNIT_DEFAULTS: dict[str, dict[str, object]] = {
    WeightUnit.KG: {
        "display_increment": Decimal("0.5"),
        "bar_weight": Decimal("20"),
        "plates": [Decimal(p) for p in ("25", "20", "15", "10", "5", "2.5", "1.25")],
    },
    WeightUnit.LB: {
        "display_increment": Decimal("1"),
        "bar_weight": Decimal("45"),
        "plates": [Decimal(p) for p in ("45", "35", "25", "10", "5", "2.5")],
    },
}


def default_plates() -> list[Decimal]:
    return list(UNIT_DEFAULTS[WeightUnit.KG]["plates"])  # type: ignore[call-overload]


def validate_rir(value: Decimal | None) -> None:
    if value is not None and Decimal(value) not in RIR_VALUES:
        raise ValidationError("RIR is 0 to 5 in steps of 0.5.")


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError("“%(value)s” is not a known time zone.", params={"value": value})


def validate_plates(value: list[Decimal]) -> None:
    if not value or len(value) > 15:
        raise ValidationError("Give between 1 and 15 plate sizes.")
    if any(Decimal(p) <= 0 or Decimal(p) > 100 for p in value):
        raise ValidationError("Plate sizes are above 0 and at most 100.")


class UserPreferences(TimeStampedModel):
    """The lifter-wide settings. No row: the defaults (an unsaved instance stands in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    unit = models.CharField(max_length=2, choices=WeightUnit.choices, default=WeightUnit.KG)
    display_increment = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
        help_text="Weights are shown and entered rounded to this step, in your unit.",
    )
    bar_weight = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Barbell weight, in your unit.",
    )
    plates = ArrayField(
        models.DecimalField(max_digits=5, decimal_places=2),
        default=default_plates,
        validators=[validate_plates],
        help_text="Plate sizes you have (per side), in your unit.",
    )
    rir_threshold = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        default=Decimal("4"),
        validators=[validate_rir],
        help_text="A set counts as hard when its RIR is at most this (or not logged).",
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        validators=[validate_time_zone],
        help_text="Weeks, reminders and dates run in this zone; empty: your browser's, else UTC.",
    )
    week_start = models.SmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY, db_default=0)
    default_rest_seconds = models.IntegerField(
        default=DEFAULT_REST_SECONDS,
        db_default=DEFAULT_REST_SECONDS,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DEFAULT_REST_SECONDS)],
        help_text="The workout's rest timer for an exercise whose program gives no rest.",
    )
    counting = models.CharField(
        max_length=20, choices=CountingRule.choices, default=CountingRule.FRACTIONAL, db_default="fractional"
    )

    class Meta:
        db_table = "user_preferences"
        verbose_name = "preferences"
        verbose_name_plural = "preferences"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__in=WeightUnit.values), name="chk_user_prefs_unit"
            ),
            models.CheckConstraint(
                condition=models.Q(display_increment__gt=0, display_increment__lte=10),
                name="chk_user_prefs_increment",
            ),
            models.CheckConstraint(
                condition=models.Q(bar_weight__gte=0, bar_weight__lte=100), name="chk_user_prefs_bar"
            ),
            models.CheckConstraint(
                condition=models.Q(plates__len__gte=1, plates__len__lte=15), name="chk_user_prefs_plates"
            ),
            models.CheckConstraint(
                condition=models.Q(rir_threshold__in=RIR_VALUES), name="chk_user_prefs_rir_threshold"
            ),
            models.CheckConstraint(
                condition=models.Q(week_start__gte=0, week_start__lte=6), name="chk_user_prefs_week_start"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    default_rest_seconds__gte=0, default_rest_seconds__lte=MAX_DEFAULT_REST_SECONDS
                ),
                name="chk_user_prefs_default_rest",
            ),
            models.CheckConstraint(
                condition=models.Q(counting__in=CountingRule.values), name="chk_user_prefs_counting"
            ),
        ]

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"
