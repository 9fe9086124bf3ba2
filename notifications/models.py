"""In-app notifications, each person's preferences per kind and channel, and reminder settings.

The user is referenced through ``settings.AUTH_USER_MODEL`` (this app sits below accounts).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from hypertroq.models import TimeStampedModel


class NotificationKind(models.TextChoices):
    PROGRAM_GIVEN = "program_given", "Your coach gave you a program"
    INVITATION_ACCEPTED = "invitation_accepted", "An invitation you sent was accepted"
    MEMBER_JOINED = "member_joined", "A member joined your organization"
    MEMBER_LEFT = "member_left", "A member left your organization"
    PLAN_CHANGED = "plan_changed", "Your plan changed"
    WEEKLY_DIGEST = "weekly_digest", "Weekly digest"
    TRAINING_REMINDER = "training_reminder", "Training reminder"
    # Sent once the training log exists (the training app), defined now so preferences cover them.
    MUSCLE_BELOW_MEV = "muscle_below_mev", "A muscle got less than its minimum effective volume"
    PERSONAL_RECORD = "personal_record", "New personal record"
    DATA_EXPORT_READY = "data_export_ready", "Your data download is ready"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "Email"


# What a person gets before they choose: every kind in the app; email for what they would miss.
EMAIL_BY_DEFAULT = frozenset(
    {
        NotificationKind.PROGRAM_GIVEN,
        NotificationKind.INVITATION_ACCEPTED,
        NotificationKind.PLAN_CHANGED,
        NotificationKind.WEEKLY_DIGEST,
        NotificationKind.DATA_EXPORT_READY,
    }
)
DEFAULT_REMINDER_TIME = dt.time(7, 0)


class Notification(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    url = models.CharField(max_length=500, blank=True, default="", help_text="Where the notification leads.")
    read_at = models.DateTimeField(null=True, blank=True)
    # One event, one notification: a job that runs twice finds the key taken.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "notifications"
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["user", "-created_at"], name="ix_notifications_user_created"),
            models.Index(
                fields=["user"], condition=models.Q(read_at__isnull=True), name="ix_notifications_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="ux_notifications_user_dedupe",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="chk_notifications_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(TimeStampedModel):
    """A person's choice for one kind on one channel. No row: the default (``EMAIL_BY_DEFAULT``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    enabled = models.BooleanField()

    class Meta:
        db_table = "notification_preferences"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="ux_notification_prefs_user_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="chk_notification_prefs_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values), name="chk_notification_prefs_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}: {'on' if self.enabled else 'off'}"


class ReminderSettings(TimeStampedModel):
    """When training reminders come: at ``remind_at`` in ``time_zone``, on the training days of the
    current program, or on ``weekdays`` when chosen (a rotation has no fixed weekdays)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    time_zone = models.CharField(max_length=64, default="UTC", db_default="UTC")
    remind_at = models.TimeField(default=DEFAULT_REMINDER_TIME, db_default=DEFAULT_REMINDER_TIME)
    # Monday = 0 ... Sunday = 6; empty = the current program's training days.
    weekdays = ArrayField(models.SmallIntegerField(), default=list, blank=True, db_default=[])

    class Meta:
        db_table = "notification_reminder_settings"
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekdays__contained_by=[0, 1, 2, 3, 4, 5, 6]),
                name="chk_reminder_weekdays_valid",
                violation_error_message="Weekdays go from Monday (0) to Sunday (6).",
            ),
        ]

    def __str__(self) -> str:
        return f"reminders at {self.remind_at:%H:%M} {self.time_zone}"
