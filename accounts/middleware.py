"""Site-wide read-only mode for members of a suspended organization (see accounts.permissions)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.permissions import read_only_response, write_blocked
from accounts.sessions import OTP_REQUIRED, end_session, reauthenticated_recently, session_expired


class ViewHookMiddleware:
    """A middleware whose work is all in ``process_view``: the request itself passes through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)


class ReadOnlyOrganizationMiddleware(ViewHookMiddleware):
    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if write_blocked(request):
            return read_only_response(request)
        return None


class SessionLifetimeMiddleware:
    """Ends a signed-in session that was idle too long, is past its absolute lifetime, or was
    revoked by "log out everywhere" (accounts.sessions). The request then goes on as a visitor's:
    pages that need a login send it to the login page, which says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = session_expired(request)
            if reason:
                end_session(request)
                messages.info(request, SESSION_ENDED_MESSAGES[reason])
        return self.get_response(request)


SESSION_ENDED_MESSAGES = {
    "idle": "You were logged out after a while without activity. Please log in again.",
    "lifetime": "Your session reached its maximum length. Please log in again.",
    "revoked": "You were logged out on all devices. Please log in again.",
}


# Reachable while the second factor is still to be given (the code page itself, leaving).
TWO_FACTOR_PENDING_ALLOWED = frozenset(
    {"accounts:two_factor_verify", "accounts:logout", "accounts:logout_everywhere", "accounts:two_factor"}
)


class TwoFactorMiddleware(ViewHookMiddleware):
    """Two-factor rules (accounts.services.two_factor):

    - someone who turned it on is asked for the code after the password, and reaches nothing else
      until it is given;
    - staff reach ``/admin/`` only with a verified second factor (set it up first);
    - a change in the admin (POST) needs a password (+ code) entry within ADMIN_RECENT_LOGIN.
    """

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = getattr(request, "resolver_match", None)
        view_name = match.view_name if match is not None else ""
        if view_name in TWO_FACTOR_PENDING_ALLOWED:
            return None
        verified = user.is_verified()
        if request.session.get(OTP_REQUIRED) and not verified:
            return _redirect_with_next("accounts:two_factor_verify", request)
        in_admin = match is not None and ("admin" in match.namespaces or view_name == "ops_admin_metrics")
        if in_admin and (user.is_staff or user.is_superuser):
            if not verified:
                messages.info(
                    request, "Staff need two-factor authentication to use the admin: set it up here."
                )
                return _redirect_with_next("accounts:two_factor", request)
            if request.method not in ("GET", "HEAD", "OPTIONS") and not reauthenticated_recently(request):
                back = request.headers.get("Referer") or request.get_full_path()
                return redirect(f"{reverse('accounts:reauthenticate')}?{urlencode({'next': back})}")
        return None


def _redirect_with_next(name: str, request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
