"""Reads for notifications, always scoped to the requesting user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from notifications.models import (
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReminderSettings,
)
from notifications.services import default_enabled
from notifications.unread import cached_count

LIST_LIMIT = 50


def unsubscribe_user(*, user_id: Any) -> Any | None:
    """The account a verified unsubscribe token names (the signed token is the only authority:
    no one is signed in), or None when it has been deleted since the mail went out."""
    return get_user_model()._default_manager.filter(pk=user_id).first()


def users_silenced(*, kind: str) -> set[Any]:
    """Ids of users who turned ``kind`` off on every channel it would reach them on (periodic jobs
    skip them before composing anything)."""
    rows = NotificationPreference.objects.filter(kind=kind).values_list("user_id", "channel", "enabled")
    on: dict[Any, set[str]] = {}
    off: dict[Any, set[str]] = {}
    for user_id, channel, enabled in rows:
        (on if enabled else off).setdefault(user_id, set()).add(channel)
    defaults = {c for c in Channel.values if default_enabled(kind, c)}
    return {u for u, channels in off.items() if defaults <= channels and not on.get(u)}


def notification_unread_count(*, user: Any) -> int:
    """The bell's count (every page shows it): cached per user, never stale (notifications.unread)."""
    return cached_count(
        user_id=user.pk, count=lambda: Notification.objects.filter(user=user, read_at__isnull=True).count()
    )


def notification_list(*, user: Any, limit: int = LIST_LIMIT) -> QuerySet[Notification]:
    """The user's latest notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at")[:limit]


def notification_get(*, user: Any, notification_id: Any) -> Notification | None:
    return Notification.objects.filter(user=user, pk=notification_id).first()


@dataclass(frozen=True)
class PreferenceRow:
    kind: str
    label: str
    in_app: bool
    email: bool


def preference_rows(*, user: Any) -> list[PreferenceRow]:
    """Every kind with the user's choice per channel (the default where they made none)."""
    stored = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "channel", "enabled"
        )
    }

    def enabled(kind: str, channel: str) -> bool:
        return stored.get((kind, channel), default_enabled(kind, channel))

    return [
        PreferenceRow(
            kind=kind,
            label=str(label),
            in_app=enabled(kind, Channel.IN_APP),
            email=enabled(kind, Channel.EMAIL),
        )
        for kind, label in NotificationKind.choices
    ]


def reminder_settings_for(*, user: Any) -> ReminderSettings:
    """The user's reminder settings, or the unsaved defaults."""
    return ReminderSettings.objects.filter(user=user).first() or ReminderSettings(user=user)
