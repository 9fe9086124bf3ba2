"""Writes for notifications: the API other apps call, preferences, reminder settings, unsubscribe.

``notification_create`` is what accounts, programs (and later training) call when something
happens. It honours the person's preferences per kind and channel: an in-app row (the bell) and/or
an email (queued through ``hypertroq.mail``, sent by a job after commit, with a signed one-click
unsubscribe link and ``List-Unsubscribe`` headers). One ``dedupe_key`` is one event: calling it
twice (a job that runs again) creates one row and one email.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hypertroq.mail import email_queue
from notifications.models import (
    EMAIL_BY_DEFAULT,
    Channel,
    Notification,
    NotificationKind,
    NotificationPreference,
    ReminderSettings,
)
from notifications.unread import unread_count_changed

UNSUBSCRIBE_SALT = "notifications.unsubscribe"


# --- preferences ---------------------------------------------------------------------------------
def default_enabled(kind: str, channel: str) -> bool:
    if channel == Channel.IN_APP:
        return True
    return kind in EMAIL_BY_DEFAULT


def preference_enabled(*, user: Any, kind: str, channel: str) -> bool:
    stored = (
        NotificationPreference.objects.filter(user=user, kind=kind, channel=channel)
        .values_list("enabled", flat=True)
        .first()
    )
    return default_enabled(kind, channel) if stored is None else bool(stored)


@transaction.atomic
def preference_set(*, user: Any, kind: str, channel: str, enabled: bool) -> NotificationPreference:
    if kind not in NotificationKind.values or channel not in Channel.values:
        raise ValidationError("Unknown notification kind or channel.")
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, channel=channel, defaults={"enabled": enabled}
    )
    return preference


@transaction.atomic
def preferences_update(*, user: Any, choices: dict[tuple[str, str], bool]) -> None:
    """Store every (kind, channel) choice of the preferences form."""
    for (kind, channel), enabled in choices.items():
        preference_set(user=user, kind=kind, channel=channel, enabled=enabled)


@transaction.atomic
def reminder_settings_update(
    *, user: Any, time_zone: str, remind_at: dt.time, weekdays: list[int]
) -> ReminderSettings:
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": "Choose a time zone from the list."}) from None
    reminder, _ = ReminderSettings.objects.get_or_create(user=user)
    reminder.time_zone = time_zone
    reminder.remind_at = remind_at.replace(second=0, microsecond=0)
    reminder.weekdays = sorted(set(weekdays))
    reminder.full_clean()
    reminder.save(update_fields=["time_zone", "remind_at", "weekdays", "updated_at"])
    return reminder


def reminder_time_zone_set(*, user: Any, time_zone: str) -> int:
    """Reminders follow the lifter's time zone (their preferences set it): one UPDATE, nothing
    when they have no reminder settings yet or the zone is already that one, or it is unknown."""
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0
    return (
        ReminderSettings.objects.filter(user=user)
        .exclude(time_zone=time_zone)
        .update(time_zone=time_zone, updated_at=timezone.now())
    )


# --- unsubscribe links -----------------------------------------------------------------------------
def unsubscribe_token(*, user: Any, kind: str) -> str:
    """Signed (no login needed, nothing to guess): who and which kind; it does not expire."""
    return signing.dumps({"u": str(user.pk), "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user: Any, kind: str) -> str:
    path = reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user=user, kind=kind)})
    return str(settings.SITE_URL).rstrip("/") + path


def unsubscribe_read(token: str) -> tuple[str, str]:
    """(user id, kind) from a token; ``ValidationError`` for a bad or tampered one."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kind = str(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError("This unsubscribe link is not valid.") from None
    if kind not in NotificationKind.values:
        raise ValidationError("This unsubscribe link is not valid.")
    return user_id, kind


@transaction.atomic
def unsubscribe(*, user: Any, kind: str) -> NotificationPreference:
    """Stop emails of this kind (the in-app notifications stay)."""
    return preference_set(user=user, kind=kind, channel=Channel.EMAIL, enabled=False)


# --- notifications ---------------------------------------------------------------------------------
def _absolute(url: str) -> str:
    if url.startswith("/"):
        return str(settings.SITE_URL).rstrip("/") + url
    return url


def _email(*, user: Any, kind: str, title: str, body: str, url: str, key: str | None) -> None:
    link = unsubscribe_url(user=user, kind=kind)
    text = render_to_string(
        "notifications/email/notification.txt",
        {
            "user": user,
            "title": title,
            "body": body,
            "url": _absolute(url) if url else "",
            "kind_label": NotificationKind(kind).label,
            "unsubscribe_url": link,
            "preferences_url": _absolute(reverse("notifications:preferences")),
        },
    )
    email_queue(
        to=user.email,
        subject=title,
        body=text,
        idempotency_key=key,
        headers={
            # RFC 2369 and RFC 8058: mail clients show "Unsubscribe" and POST to the link.
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


@transaction.atomic
def notification_create(
    *,
    user: Any,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
    data: dict[str, Any] | None = None,
) -> Notification | None:
    """Notify ``user`` of one event on the channels they want. Returns the in-app row (None when
    they turned in-app off for this kind). Safe to call twice for one ``dedupe_key``."""
    if kind not in NotificationKind.values:
        raise ValidationError(f"Unknown notification kind {kind!r}.")
    if getattr(user, "is_deleted", False) or not getattr(user, "is_active", True):
        return None
    title = " ".join(title.split())[:200]
    notification = None
    if preference_enabled(user=user, kind=kind, channel=Channel.IN_APP):
        if dedupe_key:
            notification, _ = Notification.objects.get_or_create(
                user=user,
                dedupe_key=dedupe_key,
                defaults={"kind": kind, "title": title, "body": body, "url": url, "data": data or {}},
            )
        else:
            notification = Notification(
                user=user, kind=kind, title=title, body=body, url=url, data=data or {}
            )
            notification.full_clean()
            notification.save()
        unread_count_changed(user_id=user.pk)
    wants_email = preference_enabled(user=user, kind=kind, channel=Channel.EMAIL)
    if wants_email and str(getattr(user, "email", "") or ""):
        event = dedupe_key or (str(notification.pk) if notification else None)
        key = f"notification:{user.pk}:{event}" if event else None
        _email(user=user, kind=kind, title=title, body=body, url=url, key=key)
    return notification


@transaction.atomic
def notification_mark_read(*, user: Any, notification_id: Any) -> int:
    """Mark one of the user's notifications read (someone else's id changes nothing)."""
    changed = Notification.objects.filter(user=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        unread_count_changed(user_id=user.pk)
    return changed


@transaction.atomic
def notification_mark_all_read(*, user: Any) -> int:
    changed = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        unread_count_changed(user_id=user.pk)
    return changed
