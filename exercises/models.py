"""The exercise library (table ``exercises``): global exercises and users' custom ones."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower
from pgvector.django import HnswIndex, VectorField

from exercises.domain import (
    CONTRIBUTION_LABELS,
    MUSCLE_LABELS,
    PRIME_MOVER,
    Difficulty,
    Equipment,
    Fitting,
    validate_muscle_contributions,
)
from exercises.integrations.embedding_runtime import DIMENSIONS
from hypertroq.models import SoftDeleteModel, TimeStampedModel

ALIAS_SEPARATOR = ", "


def join_aliases(aliases: Iterable[str]) -> str:
    """The stored form of a list of aliases: ``", "``-separated, spaces collapsed, repeats dropped."""
    cleaned = (" ".join(a.replace(",", " ").split()) for a in aliases)
    return ALIAS_SEPARATOR.join(dict.fromkeys(a for a in cleaned if a))


def split_aliases(text: str) -> list[str]:
    return [a.strip() for a in (text or "").split(",") if a.strip()]


class Exercise(TimeStampedModel, SoftDeleteModel):
    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    equipment = models.CharField(max_length=50, choices=Equipment.choices)
    muscle_contributions = models.JSONField(validators=[validate_muscle_contributions])
    difficulty = models.CharField(
        max_length=50,
        choices=Difficulty.choices,
        default=Difficulty.INTERMEDIATE,
        db_default=Difficulty.INTERMEDIATE,
    )
    is_global = models.BooleanField(default=False, db_default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="custom_exercises",
        db_column="created_by_user_id",
        db_index=False,
    )
    image_url = models.URLField(max_length=500, null=True, blank=True)
    video_url = models.URLField(max_length=500, null=True, blank=True)
    # Other names lifters type for it ("RDL", "pullup"), ", "-separated; name search matches them too.
    aliases = models.TextField(blank=True, default="", db_default="")
    # Low load, stable, easy to control: what a search that mentions pain is limited to.
    is_gentle = models.BooleanField(default=False, db_default=False)
    # What it needs beyond its equipment type (exercises.domain.Fitting): a bench, a pull-up bar…
    needs = ArrayField(
        models.CharField(max_length=20, choices=Fitting.choices), blank=True, default=list, db_default=[]
    )
    embedding = VectorField(
        dimensions=DIMENSIONS,  # what the embedding runtime gives
        null=True,
        blank=True,
        editable=False,
    )
    # sha256 of the text that was embedded; differs from the current text's hash when stale.
    embedding_hash = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)

    class Meta:
        db_table = "exercises"
        ordering = ("name",)
        indexes = [
            models.Index(fields=["name"], name="ix_exercises_name"),
            models.Index(fields=["is_global"], name="ix_exercises_is_global"),
            models.Index(fields=["equipment"], name="ix_exercises_equipment"),
            models.Index(
                fields=["is_global", "equipment"],
                name="ix_exercises_global_equipment",
                condition=models.Q(is_global=True),
            ),
            GinIndex(fields=["name"], name="ix_exercises_name_trgm", opclasses=["gin_trgm_ops"]),
            GinIndex(fields=["aliases"], name="ix_exercises_aliases_trgm", opclasses=["gin_trgm_ops"]),
            HnswIndex(
                fields=["embedding"],
                name="ix_exercises_embedding_cosine",
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            # ix_exercises_created_by_user_id is 31 characters, over Django's limit of 30:
            # it is created in migration 0002 with raw SQL.
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(equipment__in=Equipment.values), name="chk_exercises_equipment_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=Difficulty.values), name="chk_exercises_difficulty_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(needs__contained_by=Fitting.values), name="chk_exercises_needs_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(is_global=False) | models.Q(created_by__isnull=True),
                name="chk_exercises_global_has_no_owner",
                violation_error_message="A global exercise has no owner.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=models.Q(is_global=True, is_deleted=False),
                name="ux_exercises_global_name",
                violation_error_message="A library exercise with this name already exists.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                "created_by",
                condition=models.Q(is_global=False, is_deleted=False),
                name="ux_exercises_custom_name",
                violation_error_message="You already have an exercise with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return split_aliases(self.aliases)

    @property
    def need_labels(self) -> list[str]:
        """What it needs beyond its equipment, in words ("A bench (flat or adjustable)")."""
        return [str(Fitting(n).label) if n in Fitting.values else n for n in self.needs or []]

    @property
    def prime_movers(self) -> list[str]:
        return [m for m, level in self.muscle_contributions.items() if float(level) == PRIME_MOVER]

    @property
    def prime_mover_labels(self) -> list[str]:
        return [MUSCLE_LABELS.get(m, m) for m in self.prime_movers]

    def contribution_rows(self) -> list[dict[str, object]]:
        """Muscles in descending contribution, for display."""
        rows = [
            {
                "muscle": m,
                "label": MUSCLE_LABELS.get(m, m),
                "level": float(level),
                "role": CONTRIBUTION_LABELS.get(float(level), ""),
                "percent": int(float(level) * 100),
            }
            for m, level in self.muscle_contributions.items()
        ]
        return sorted(rows, key=lambda r: (-float(r["level"]), str(r["label"])))  # type: ignore[arg-type]
