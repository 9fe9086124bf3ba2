"""The body: measurements over time (``measurements``), the lifter's own measurement categories,
progress photos (``progress_photos``) and whether a coach may see them.

Values are stored in canonical units: kilograms for masses, centimetres for girths and lengths,
percent for body fat; the pages show them in the lifter's units (kg or lb from their training
preferences; cm or in alongside). Invariants are database constraints; the field validators mirror
them so ``full_clean()`` reports the same rule.

Measurements are soft-deleted (house style: Undo). Photos are deleted for real, files included
(``body.signals``): a lifter who deletes a photo of their body expects it gone.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from hypertroq.models import SoftDeleteModel, TimeStampedModel

MAX_CATEGORY_NAME = 60
MAX_NOTE = 200
# Canonical upper bounds (kg, cm, %, plain number): generous, to catch a typo, not a body.
MAX_VALUE: dict[str, Decimal] = {
    "MASS": Decimal("500"),
    "LENGTH": Decimal("400"),
    "PERCENT": Decimal("100"),
    "PLAIN": Decimal("99999"),
}


class Dimension(models.TextChoices):
    MASS = "MASS", "Weight (kg or lb)"
    LENGTH = "LENGTH", "Length or girth (cm or in)"
    PERCENT = "PERCENT", "Percent"
    PLAIN = "PLAIN", "A plain number"


class Kind(models.TextChoices):
    """What was measured. ``CUSTOM`` rows belong to one of the lifter's categories."""

    BODY_WEIGHT = "BODY_WEIGHT", "Body weight"
    BODY_FAT = "BODY_FAT", "Body fat"
    NECK = "NECK", "Neck"
    CHEST = "CHEST", "Chest"
    WAIST = "WAIST", "Waist"
    HIPS = "HIPS", "Hips"
    ARMS = "ARMS", "Upper arm"
    FOREARMS = "FOREARMS", "Forearm"
    THIGHS = "THIGHS", "Thigh"
    CALVES = "CALVES", "Calf"
    CUSTOM = "CUSTOM", "Your own"


KIND_DIMENSION: dict[str, str] = {
    Kind.BODY_WEIGHT: Dimension.MASS,
    Kind.BODY_FAT: Dimension.PERCENT,
    **dict.fromkeys(
        ("NECK", "CHEST", "WAIST", "HIPS", "ARMS", "FOREARMS", "THIGHS", "CALVES"), Dimension.LENGTH
    ),
}


class MeasurementCategory(TimeStampedModel, SoftDeleteModel):
    """A measurement the lifter defines ("Resting pulse", "Skinfold: triceps"), with its dimension."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measurement_categories"
    )
    name = models.CharField(max_length=MAX_CATEGORY_NAME)
    dimension = models.CharField(max_length=10, choices=Dimension.choices, default=Dimension.LENGTH)
    unit_label = models.CharField(
        max_length=12, blank=True, default="", help_text="For a plain number: its unit, e.g. bpm or mm."
    )

    class Meta:
        db_table = "measurement_categories"
        verbose_name_plural = "measurement categories"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "user",
                condition=models.Q(is_deleted=False),
                name="uq_measurement_categories_name",
                violation_error_message="You already have a measurement with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension__in=Dimension.values), name="chk_measurement_categories_dim"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="chk_measurement_categories_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(TimeStampedModel, SoftDeleteModel):
    """One value of one kind on one day (the day's latest entry replaces an earlier one)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    category = models.ForeignKey(
        MeasurementCategory, on_delete=models.CASCADE, null=True, blank=True, related_name="measurements"
    )
    measured_on = models.DateField()
    value = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="In kg, cm or % (a custom plain number as entered).",
    )

    class Meta:
        db_table = "measurements"
        indexes = [models.Index(fields=["user", "kind", "measured_on"], name="ix_measurements_user_kind")]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gt=0), name="chk_measurements_positive"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="chk_measurements_kind"),
            models.CheckConstraint(
                condition=models.Q(kind=Kind.CUSTOM, category__isnull=False)
                | (~models.Q(kind=Kind.CUSTOM) & models.Q(category__isnull=True)),
                name="chk_measurements_category",
                violation_error_message="A measurement of your own needs its category.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=Kind.BODY_FAT) | models.Q(value__lt=100),
                name="chk_measurements_body_fat",
                violation_error_message="Body fat is a percentage below 100.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=Kind.BODY_WEIGHT) | models.Q(value__lte=MAX_VALUE["MASS"]),
                name="chk_measurements_body_weight",
                violation_error_message="Body weight is at most 500 kg.",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "measured_on"],
                condition=models.Q(is_deleted=False, category__isnull=True),
                name="uq_measurements_day",
                violation_error_message="There is already a value for this day.",
            ),
            models.UniqueConstraint(
                fields=["category", "measured_on"],
                condition=models.Q(is_deleted=False),
                name="uq_measurements_category_day",
                violation_error_message="There is already a value for this day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} on {self.measured_on}"


class Pose(models.TextChoices):
    FRONT = "FRONT", "Front"
    SIDE = "SIDE", "Side"
    BACK = "BACK", "Back"
    OTHER = "OTHER", "Other"


class ProgressPhoto(TimeStampedModel):
    """A photo re-encoded without metadata, in private storage under a random name (``image``),
    with a thumbnail (``thumbnail``). Only ``body.selectors.photo_get_for_viewer`` hands one out."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress_photos"
    )
    taken_on = models.DateField()
    pose = models.CharField(max_length=8, choices=Pose.choices, default=Pose.FRONT)
    note = models.CharField(max_length=MAX_NOTE, blank=True, default="")
    image = models.CharField(max_length=200, unique=True, editable=False)
    thumbnail = models.CharField(max_length=200, unique=True, editable=False)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()

    class Meta:
        db_table = "progress_photos"
        indexes = [models.Index(fields=["user", "taken_on"], name="ix_progress_photos_user_day")]
        constraints = [
            models.CheckConstraint(condition=models.Q(pose__in=Pose.values), name="chk_progress_photos_pose"),
            models.CheckConstraint(
                condition=models.Q(width__gt=0, height__gt=0, size_bytes__gt=0),
                name="chk_progress_photos_size",
            ),
            models.CheckConstraint(
                condition=~models.Q(image="") & ~models.Q(thumbnail=""), name="chk_progress_photos_files"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_pose_display()} photo of {self.taken_on}"


class BodySharing(TimeStampedModel):
    """Whether the lifter's coach (an owner or coach of their organization who may coach them,
    ``accounts.permissions.can_coach``) sees their progress photos. Off until they turn it on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="body_sharing"
    )
    photos_with_coach = models.BooleanField(default=False, db_default=False)

    class Meta:
        db_table = "body_sharing"
        verbose_name_plural = "body sharing"

    def __str__(self) -> str:
        return f"{self.user_id}: photos {'shared' if self.photos_with_coach else 'private'}"
