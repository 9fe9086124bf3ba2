"""Session lifetimes: an idle timeout, an absolute lifetime (both shorter for staff), and "log out
everywhere" (``User.sessions_revoked_at``).

The login time and the last request's time live in the session itself (``_auth_started``,
``_last_seen``, seconds since the epoch), set when the user logs in. The last-seen time is
rewritten at most once a minute, so an ordinary request costs no session write.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

AUTH_STARTED = "_auth_started"
LAST_SEEN = "_last_seen"
REAUTH_AT = "_reauth_at"  # the last password (+ code) entry: login, or the re-authentication page
OTP_REQUIRED = "_otp_required"  # the account had two-factor on at login: the code is asked next
LAST_SEEN_RESOLUTION = 60.0  # seconds between rewrites of the last-seen time


@receiver(user_logged_in, dispatch_uid="accounts_session_started")
def _stamp_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    from django_otp import user_has_device

    now = time.time()
    request.session[AUTH_STARTED] = now
    request.session[LAST_SEEN] = now
    request.session[REAUTH_AT] = now
    request.session[OTP_REQUIRED] = user_has_device(user, confirmed=True)


def mark_verified(request: HttpRequest) -> None:
    """The second factor was given in this session (at login, set-up or re-authentication)."""
    request.session[OTP_REQUIRED] = True


def mark_two_factor(request: HttpRequest, *, required: bool) -> None:
    request.session[OTP_REQUIRED] = required


def reauthenticated_recently(request: HttpRequest, *, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    at = request.session.get(REAUTH_AT)
    return isinstance(at, int | float) and now - at <= settings.ADMIN_RECENT_LOGIN.total_seconds()


def limits_for(user: Any) -> tuple[float, float]:
    """(idle timeout, absolute lifetime) in seconds for ``user``'s sessions."""
    if user.is_staff or user.is_superuser:
        return (
            settings.STAFF_SESSION_IDLE_TIMEOUT.total_seconds(),
            settings.STAFF_SESSION_ABSOLUTE_LIFETIME.total_seconds(),
        )
    return settings.SESSION_IDLE_TIMEOUT.total_seconds(), settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()


def session_expired(request: HttpRequest, *, now: float | None = None) -> str:
    """Why the signed-in session of ``request`` must end ("idle", "lifetime", "revoked"), or ""."""
    user: Any = request.user
    session = request.session
    now = time.time() if now is None else now
    started = session.get(AUTH_STARTED)
    last_seen = session.get(LAST_SEEN)
    if not isinstance(started, int | float) or not isinstance(last_seen, int | float):
        # A session from before these limits: it starts counting now.
        session[AUTH_STARTED] = session[LAST_SEEN] = now
        return ""
    idle, lifetime = limits_for(user)
    if user.sessions_revoked_at is not None and started < user.sessions_revoked_at.timestamp():
        return "revoked"
    if now - started > lifetime:
        return "lifetime"
    if now - last_seen > idle:
        return "idle"
    if now - last_seen >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN] = now
    return ""


def end_session(request: HttpRequest) -> None:
    logout(request)
