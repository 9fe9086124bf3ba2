"""The audit log service: who did what to which object, and when.

Call :func:`audit_log` from a service, inside its transaction, so the entry is written (or rolled
back) together with the change it describes::

    from hypertroq.audit import AuditAction, audit_log

    audit_log(action=AuditAction.ROLE_CHANGED, actor=coach, target=member,
              organization=member.organization, data={"from": "member", "to": "coach"})

What is never stored: passwords, tokens, secrets, email addresses (the log can never be erased, so
it holds no personal data beyond ids). ``data`` is sanitised (keys that look like credentials or
addresses are dropped, anything shaped like an address in a value -- any ``x@y`` -- is replaced)
and the target label of any row that carries an email (a user, an invitation) is
``<model> <id>``, never the row's own text. Migration 0003 rewrote older entries that did. IP address and user agent come from ``request`` when given,
else from the request being served (set by the request-log middleware), else they stay empty.
Entries are append-only: admin is read-only and a database trigger refuses edits (migration 0002).
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from hypertroq.models import AuditAction, AuditLog
from hypertroq.request_context import client_ip, get_current_request

__all__ = ["AuditAction", "AuditLog", "audit_log", "audit_tracking", "sanitise_data"]

_tracked: contextvars.ContextVar[set[tuple[str, str]] | None] = contextvars.ContextVar(
    "hypertroq_audit_tracked", default=None
)


@contextlib.contextmanager
def audit_tracking() -> Iterator[set[tuple[str, str]]]:
    """Collect ``(model label, pk)`` of every target audited inside the block, so a generic caller
    (the admin's soft-delete/restore actions) can tell whether the service already wrote an entry."""
    seen: set[tuple[str, str]] = set()
    token = _tracked.set(seen)
    try:
        yield seen
    finally:
        _tracked.reset(token)


_SENSITIVE_KEY = re.compile(
    r"pass(word)?|pwd|token|secret|api[_-]?key|authorization|cookie|sessionid|session_key|hash|email", re.I
)
# Anything shaped like ``local@domain``: addresses are valid with no dot in the domain, with
# quotes, slashes, plus signs and non-ASCII letters, so a narrower pattern lets some through.
EMAIL_RE = re.compile(r"\S*@\S+")
_MAX_DEPTH = 5


def _clean(value: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return "…"
    if isinstance(value, Mapping):
        return {
            str(key): _clean(item, depth + 1)
            for key, item in value.items()
            if not _SENSITIVE_KEY.search(str(key))
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(item, depth + 1) for item in value]
    if isinstance(value, str):
        return EMAIL_RE.sub("[email]", value)[:1000]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return EMAIL_RE.sub("[email]", str(value))[:1000]


def sanitise_data(data: Mapping[str, Any] | None) -> dict[str, Any]:
    """``data`` made safe to keep: no credential-like keys, no email addresses, JSON-friendly."""
    return _clean(dict(data or {}), 0)


def _carries_email(model: Any) -> bool:
    return any(field.name == "email" for field in model._meta.concrete_fields)


def _target_repr(target: models.Model) -> str:
    if target._meta.label == settings.AUTH_USER_MODEL:
        return f"user {target.pk}"
    if _carries_email(target):  # e.g. an invitation's str() is its address
        return f"{target._meta.model_name} {target.pk}"
    return EMAIL_RE.sub("[email]", str(target))[:200]


def _organization_of(actor: Any, target: Any) -> Any:
    for candidate in (target, actor):
        if candidate is None:
            continue
        if candidate._meta.label == "accounts.Organization":
            return candidate
        org_id = getattr(candidate, "organization_id", None)
        if org_id is not None:
            return org_id
    return None


@transaction.atomic
def audit_log(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    organization: Any = None,
    data: Mapping[str, Any] | None = None,
    request: Any = None,
    target_type: ContentType | None = None,
    target_id: str | None = None,
) -> AuditLog:
    """Append one entry. ``actor``: a user; when None, the signed-in user of the request (if any),
    else nobody (the system, an anonymous visitor);
    ``target``: the model instance acted on (or ``target_type`` + ``target_id`` when the row is
    gone); ``organization``: defaults to the target's (or the actor's) organization.
    Raises ``ValueError`` for an unknown action."""
    action = AuditAction(action).value  # ValueError for a typo, caught in tests
    request = request if request is not None else get_current_request()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)  # the signed-in user making the request did it
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None  # AnonymousUser
    if organization is None:
        organization = _organization_of(actor, target)
    entry = AuditLog(
        action=action,
        actor=actor,
        data=sanitise_data(data),
    )
    if organization is not None:
        if isinstance(organization, models.Model):
            entry.organization = organization  # type: ignore[assignment]
        else:
            entry.organization_id = organization
    if target is not None:
        entry.target_content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.target_id = str(target.pk)[:64]
        entry.target_repr = _target_repr(target)
    elif target_type is not None:
        entry.target_content_type = target_type
        entry.target_id = str(target_id or "")[:64]
    if request is not None:
        entry.ip = client_ip(request)
        entry.user_agent = str(request.META.get("HTTP_USER_AGENT", ""))[:300]
    entry.save(force_insert=True)
    tracked = _tracked.get()
    if tracked is not None and target is not None:
        tracked.add((target._meta.label, str(target.pk)))
    return entry
