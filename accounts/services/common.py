"""Helpers shared by the account and organization services: look-ups, locks, email, owner checks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Lower
from django.template.loader import render_to_string

from accounts.models import Organization, Role, User, unique_organization_slug
from hypertroq.mail import email_queue


def user_any_by_email(email: str) -> User | None:
    """The user with this email in any letter case, deleted accounts included."""
    return (
        User.all_objects.alias(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .select_related("organization")
        .first()
    )


def mail_subject(text: str) -> str:
    """One line: a name with CR/LF (older rows, the admin) must not break the header or add one."""
    return " ".join(text.split())[:200]


def send_on_commit(*, to: str, subject: str, template: str, context: dict[str, Any]) -> None:
    """Queue a plain-text email; a job sends it after the surrounding transaction commits.

    Everything is prepared now (the body rendered, the subject made one line), so the request does
    the same work whichever branch called it; the request never waits on the mail server.
    """
    email_queue(to=to, subject=mail_subject(subject), body=render_to_string(template, context))


def absolute_url(path: str) -> str:
    """An absolute link for an email: always ``SITE_URL``, never the request's Host header (which
    a client chooses, so a link could point at someone else's server)."""
    return str(settings.SITE_URL).rstrip("/") + path


def personal_organization_create(full_name: str) -> Organization:
    name = f"{full_name}'s organization"
    organization = Organization(name=name[:255], slug=unique_organization_slug(full_name))
    organization.full_clean()
    organization.save()
    return organization


def organization_lock(organization_id: Any) -> Organization:
    """Serialise membership changes of one organization (member counts, owner counts)."""
    return Organization.all_objects.select_for_update().get(pk=organization_id)


def owner_count(organization: Organization, *, excluding: User | None = None) -> int:
    owners = User.objects.filter(organization=organization, role=Role.OWNER)
    if excluding is not None:
        owners = owners.exclude(pk=excluding.pk)
    return owners.count()


def require_owner(actor: User, organization: Organization) -> None:
    if actor.organization_id != organization.pk or actor.role != Role.OWNER:
        raise PermissionDenied("Only the organization's owners can manage members and invitations.")
