"""A lifter's "Download my data" archives (``data_exports``).

A row is asked for (``pending``), built by a job (``ready``: the ZIP is on private storage until
``expires_at``), or ``failed``; once expired a periodic job deletes the file and marks it
``expired``. The file's name is the row's id (random, never shown in a public URL); only the owner
downloads it, through an access-checked view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hypertroq.models import TimeStampedModel


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class DataExport(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports", db_index=False
    )
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    size_bytes = models.BigIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        db_table = "data_exports"
        indexes = [
            models.Index(fields=["user", "-created_at"], name="ix_data_exports_user"),
            models.Index(
                fields=["expires_at"], name="ix_data_exports_expires", condition=models.Q(status="ready")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ExportStatus.values), name="chk_data_exports_status"
            ),
            # One archive in preparation per lifter: asking again while one is built gives that one.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="ux_data_exports_one_pending"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | models.Q(expires_at__isnull=False, size_bytes__gte=0),
                name="chk_data_exports_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"Data export {self.pk} ({self.status})"
