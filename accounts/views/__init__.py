"""Account and organization pages: thin views over accounts.services and accounts.selectors."""

from accounts.views.account import account_delete, dashboard, logout_everywhere, password_change, profile
from accounts.views.organization import (
    invitation_accept,
    invitation_create,
    invitation_revoke,
    member_remove,
    member_role,
    members,
)
from accounts.views.plans import plans, upgrade_request
from accounts.views.signin import (
    LoginView,
    LogoutView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    resend_verification,
    signup,
    signup_done,
    verify_email,
)

__all__ = [
    "LoginView",
    "LogoutView",
    "PasswordResetCompleteView",
    "PasswordResetConfirmView",
    "PasswordResetDoneView",
    "PasswordResetView",
    "account_delete",
    "dashboard",
    "invitation_accept",
    "invitation_create",
    "invitation_revoke",
    "logout_everywhere",
    "member_remove",
    "member_role",
    "members",
    "password_change",
    "plans",
    "profile",
    "resend_verification",
    "signup",
    "signup_done",
    "upgrade_request",
    "verify_email",
]
