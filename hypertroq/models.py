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


class AuditAction(models.TextChoices):
    """What an audit entry records. Add members freely: the column has no choices (no migration)."""

    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    SESSIONS_REVOKED = "sessions_revoked", "Logged out everywhere"
    TWO_FACTOR_ENABLED = "two_factor_enabled", "Two-factor authentication turned on"
    TWO_FACTOR_DISABLED = "two_factor_disabled", "Two-factor authentication turned off"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    SIGN_UP = "sign_up", "Signed up"
    EMAIL_VERIFIED = "email_verified", "Email verified"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
    EMAIL_CHANGED = "email_changed", "Email changed"
    ROLE_CHANGED = "role_changed", "Role changed"
    TIER_CHANGED = "tier_changed", "Tier changed"
    STATUS_CHANGED = "status_changed", "Subscription status changed"
    QUOTA_CHANGED = "quota_changed", "AI quota changed"
    MEMBER_INVITED = "member_invited", "Member invited"
    MEMBER_JOINED = "member_joined", "Member joined"
    MEMBER_REMOVED = "member_removed", "Member removed"
    INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
    ORGANIZATION_CHANGED = "organization_changed", "Organization changed"
    ACCOUNT_DELETED = "account_deleted", "Account deleted"
    ACCOUNT_RESTORED = "account_restored", "Account restored"
    OBJECT_DELETED = "object_deleted", "Object deleted"
    OBJECT_RESTORED = "object_restored", "Object restored"
    PROGRAM_ASSIGNED = "program_assigned", "Program assigned"
    PROGRAM_IMPORTED = "program_imported", "Program imported"
    PROGRAM_EXPORTED = "program_exported", "Program exported"
    ADMIN_CHANGE = "admin_change", "Staff edit in admin"
    BACKUP_CREATED = "backup_created", "Backup created"
    BACKUP_RESTORED = "backup_restored", "Backup restored"
    UPGRADE_REQUESTED = "upgrade_requested", "Upgrade requested"
    UPGRADE_APPROVED = "upgrade_approved", "Upgrade approved"
    UPGRADE_DECLINED = "upgrade_declined", "Upgrade declined"


class AuditLog(models.Model):
    """Who did what to which object, and when. Append-only (see ``hypertroq.audit``).

    No emails, passwords or tokens are stored: the actor is a user id (admin shows the user), the
    target a content type + id + a non-sensitive label. A database trigger (migration 0002) refuses
    any DELETE and any UPDATE except a referenced actor/organization/content type becoming NULL,
    which is what ``ON DELETE SET NULL`` does when that user or organization is deleted.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False, db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # No ``choices`` on the column: new actions need no migration; ``audit_log`` validates them.
    action = models.CharField(max_length=40)
    target_content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True, default="")
    target_repr = models.CharField(max_length=200, blank=True, default="")
    organization = models.ForeignKey(
        "accounts.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        db_table = "audit_logs"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["action", "-created_at"], name="ix_audit_logs_action_created"),
            models.Index(fields=["actor", "-created_at"], name="ix_audit_logs_actor_created"),
            models.Index(fields=["organization", "-created_at"], name="ix_audit_logs_org_created"),
            models.Index(fields=["target_content_type", "target_id"], name="ix_audit_logs_target"),
        ]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.action_label} at {self.created_at:%Y-%m-%d %H:%M:%S}"

    @property
    def action_label(self) -> str:
        try:
            return str(AuditAction(self.action).label)
        except ValueError:
            return self.action


class OutboundEmailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"


class OutboundEmail(models.Model):
    """One email to send (``hypertroq.mail``): the outbox row its job delivers, once.

    ``idempotency_key`` names the event (a sign-up's verification, one invitation, one notification)
    so enqueueing the same event twice stores one row, and the ``send_email`` job, which locks the
    row and checks ``sent_at``, sends it at most once even when the job runs again (a retry after a
    killed worker). The body, which may hold a one-time link, is cleared once the mail is sent.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_default=Now(), editable=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    to_address = models.EmailField(max_length=255)
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True, default="")
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10,
        choices=OutboundEmailStatus.choices,
        default=OutboundEmailStatus.QUEUED,
        db_default=OutboundEmailStatus.QUEUED,
    )
    attempts = models.IntegerField(default=0, db_default=0)
    last_error = models.CharField(max_length=300, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "outbound_emails"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="ix_outbound_emails_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OutboundEmailStatus.values), name="chk_outbound_email_status"
            ),
            models.CheckConstraint(
                condition=models.Q(status="queued") | models.Q(sent_at__isnull=False),
                name="chk_outbound_email_sent_at",
            ),
        ]
        verbose_name = "outbound email"

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"
