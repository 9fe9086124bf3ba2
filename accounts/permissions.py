"""Who may do what in an organization, and the read-only rule for suspended organizations.

Read-only (a suspended organization): ``ReadOnlyOrganizationMiddleware`` refuses every
POST/PUT/PATCH/DELETE of its members, site-wide, except the URLs in ``READ_ONLY_EXEMPT_URL_NAMES``:

- ``accounts:logout`` and ``accounts:login``: getting in and out is not a change to any data;
- ``accounts:password_change``, ``accounts:password_reset*``: a person must always be able to
  secure their account;
- ``accounts:resend_verification`` and ``accounts:verify_email``: confirming one's own address;
- ``accounts:account_delete``: a person may always leave and have their data removed.

Everything else (programs, exercises, profile, members, invitations) is refused with
``READ_ONLY_MESSAGE``: 403 for htmx and API-like requests, a redirect back with the message for
ordinary form posts. Staff in Django admin are not affected (the admin namespace is exempt).
``write_allowed`` is the same check as a view decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeGuard

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import Role, User, Viewer
from accounts.tiers import READ_ONLY_MESSAGE, is_read_only, signed_in

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_ONLY_EXEMPT_URL_NAMES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:logout_everywhere",
        "accounts:two_factor",
        "accounts:two_factor_verify",
        "accounts:reauthenticate",
        "accounts:password_change",
        "accounts:password_reset",
        "accounts:password_reset_confirm",
        "accounts:resend_verification",
        "accounts:verify_email",
        "accounts:account_delete",
    }
)
READ_ONLY_EXEMPT_NAMESPACES = frozenset({"admin"})


def is_owner(user: Viewer | None) -> TypeGuard[User]:
    return signed_in(user) and user.role == Role.OWNER


def is_coach_or_owner(user: Viewer | None) -> TypeGuard[User]:
    return signed_in(user) and user.role in (Role.OWNER, Role.COACH)


def can_coach(viewer: Viewer | None, member: User | None) -> bool:
    """May ``viewer`` see ``member``'s programs and give them a copy of a program?

    Only within one (not deleted) organization, and never oneself (one's own programs are one's
    own pages). Who sees whose programs (decided in issue 12):

    - an **owner** sees everyone else's: members, coaches and other owners. Owners answer for the
      whole organization and already manage everyone's role and membership;
    - a **coach** sees the programs of users with the ``member`` role only. Owners' and other
      coaches' programs are their own training, not the coach's clients';
    - a **member** sees nobody's.
    """
    if not is_coach_or_owner(viewer) or member is None or member.is_deleted:
        return False
    if member.pk == viewer.pk or member.organization_id != viewer.organization_id:
        return False
    if viewer.role == Role.COACH and member.role != Role.MEMBER:
        return False
    return not viewer.organization.is_deleted


def _wants_fragment(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return bool(
        getattr(request, "htmx", False)
        or request.headers.get("HX-Request")
        or ("application/json" in accept and "text/html" not in accept)
        or request.content_type == "application/json"
    )


def read_only_response(request: HttpRequest) -> HttpResponse:
    """The refusal of a change by a read-only user: 403 for htmx/API, redirect back for pages."""
    if _wants_fragment(request):
        return HttpResponseForbidden(READ_ONLY_MESSAGE, content_type="text/plain; charset=utf-8")
    messages.error(request, READ_ONLY_MESSAGE)
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(referer)  # a URL, never a view name for redirect() to reverse
    return redirect("accounts:dashboard")


def write_blocked(request: HttpRequest) -> bool:
    if request.method not in UNSAFE_METHODS or not is_read_only(request.user):
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None:
        if match.view_name in READ_ONLY_EXEMPT_URL_NAMES:
            return False
        if READ_ONLY_EXEMPT_NAMESPACES.intersection(match.namespaces):
            return False
    return True


def write_allowed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: refuse unsafe methods for members of a suspended organization."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in UNSAFE_METHODS and is_read_only(request.user):
            return read_only_response(request)
        return view(request, *args, **kwargs)

    return wrapper
