"""Writes for accounts and organizations: sign-up, verification, profile, deletion, membership.

Every function is keyword-only and atomic; emails go out in ``transaction.on_commit`` so a rolled
back change never mails anyone. Role checks (owner-only actions) live here too and raise
``PermissionDenied``; rule violations raise ``ValidationError`` with a message for the page.

The package is split by concept: ``users`` (a person's account), ``organizations`` (staff
actions, invitations, members) and ``common`` (shared helpers). Import from ``accounts.services``;
the names below are re-exported here.
"""

from __future__ import annotations

from accounts.services.common import (
    user_any_by_email,
)
from accounts.services.organizations import (
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
    invitations_revoke_sent_by,
    member_remove,
    member_role_change,
    organization_restore,
    organization_soft_delete,
)
from accounts.services.preferences import user_preferences_update
from accounts.services.upgrades import (
    upgrade_apply,
    upgrade_request_create,
    upgrade_request_decide,
)
from accounts.services.users import (
    ACCOUNT_DELETION_GRACE,
    account_delete_request,
    account_purge_date,
    account_purge_expired,
    account_restore,
    email_verification_send,
    email_verify,
    password_reset_request,
    user_password_change,
    user_profile_update,
    user_sessions_revoke,
    user_sessions_revoke_left_open,
    user_sign_up,
)

__all__ = [
    "ACCOUNT_DELETION_GRACE",
    "account_delete_request",
    "account_purge_date",
    "account_purge_expired",
    "account_restore",
    "email_verification_send",
    "email_verify",
    "invitation_accept",
    "invitation_create",
    "invitation_from_token",
    "invitation_revoke",
    "invitations_revoke_sent_by",
    "member_remove",
    "member_role_change",
    "organization_restore",
    "organization_soft_delete",
    "password_reset_request",
    "upgrade_apply",
    "upgrade_request_create",
    "upgrade_request_decide",
    "user_any_by_email",
    "user_password_change",
    "user_preferences_update",
    "user_profile_update",
    "user_sessions_revoke",
    "user_sessions_revoke_left_open",
    "user_sign_up",
]
