"""Signed, expiring tokens for links sent by email (django.core.signing).

- Email verification: signs ``<user id>:<keyed digest of the email lower-cased>``, so a link stops
  working once the address changes, and the address itself never appears in the URL (an address
  may hold ``/`` or ``?``, and a URL is logged and shown). Valid for 3 days; verifying twice is
  harmless.
- Invitations: signs the invitation's id. The signature stops tampering; the row makes the link
  single-use, revocable and expiring (accounts.models.Invitation).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import User

EMAIL_VERIFICATION_SALT = "hypertroq.accounts.email-verification"
INVITATION_SALT = "hypertroq.accounts.invitation"
EMAIL_VERIFICATION_MAX_AGE = dt.timedelta(days=3)
INVITATION_MAX_AGE = dt.timedelta(days=7)


class BadToken(Exception):
    """The token is tampered with, malformed or expired."""


def email_digest(email: str) -> str:
    """A keyed digest of the address (HMAC with SECRET_KEY): links carry this, never the address."""
    return salted_hmac(EMAIL_VERIFICATION_SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:32]


def email_digest_matches(digest: str, email: str) -> bool:
    return constant_time_compare(digest, email_digest(email))


def email_verification_token(user: User) -> str:
    return signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).sign(f"{user.pk}:{email_digest(user.email)}")


def email_verification_read(token: str) -> tuple[uuid.UUID, str]:
    """``(user id, email digest)`` from a verification token, or :class:`BadToken`."""
    try:
        value = signing.TimestampSigner(salt=EMAIL_VERIFICATION_SALT).unsign(
            token, max_age=EMAIL_VERIFICATION_MAX_AGE
        )
        user_id, email = value.split(":", 1)
        return uuid.UUID(user_id), email
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken(str(exc)) from exc


def invitation_token(invitation: Any) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))


def invitation_read(token: str) -> uuid.UUID:
    """The invitation id in a token, or :class:`BadToken` (tampered, malformed or over 7 days)."""
    try:
        value = signing.TimestampSigner(salt=INVITATION_SALT).unsign(token, max_age=INVITATION_MAX_AGE)
        return uuid.UUID(value)
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken(str(exc)) from exc
