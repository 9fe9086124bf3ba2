"""Abstract bases shared by every HypertroQ table: UUID keys, timestamps, soft delete."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.postgres.functions import RandomUUID
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone


class TimeStampedModel(models.Model):
    """UUID primary key plus ``created_at``/``updated_at``, defaulted in the database too."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True


class SoftDeleteQuerySet(models.QuerySet):
    def alive(self) -> SoftDeleteQuerySet:
        return self.filter(is_deleted=False)

    def deleted(self) -> SoftDeleteQuerySet:
        return self.filter(is_deleted=True)


class AliveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]
    """Default manager: rows a user deleted are invisible."""

    def get_queryset(self) -> SoftDeleteQuerySet:
        return super().get_queryset().filter(is_deleted=False)


class AllObjectsManager(models.Manager.from_queryset(SoftDeleteQuerySet)):  # type: ignore[misc]
    """Sees deleted rows too (staff, restore, purge)."""


class SoftDeleteModel(models.Model):
    """``is_deleted`` + ``deleted_at``. Deleting is a service's job (``soft_delete``/``restore``)."""

    is_deleted = models.BooleanField(default=False, db_default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects: Any = AliveManager()
    all_objects: Any = AllObjectsManager()

    class Meta:
        abstract = True
        # Related-object access (session_exercise.exercise) goes through Django's plain base
        # manager, so a program still shows an exercise that was deleted from the library.

    def mark_deleted(self) -> None:
        self.is_deleted = True
        self.deleted_at = timezone.now()

    def mark_restored(self) -> None:
        self.is_deleted = False
        self.deleted_at = None
