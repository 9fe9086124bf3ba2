"""Log in by email in any letter case; logging in during the deletion grace period restores."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from accounts.services import ACCOUNT_DELETION_GRACE, account_restore, user_any_by_email
from hypertroq.prepared import OneRowByKey


class EmailBackend(ModelBackend):
    """``authenticate(request, username=<email>, password=...)``.

    Looks the address up through ``User.all_objects`` so a soft-deleted account can log in while
    its 30-day grace period lasts; that cancels the deletion (the request gets
    ``account_restored = True`` so the login view can say so). Past the grace period the account
    is treated as unknown. Unknown addresses still pay for one password hash (no timing oracle).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        email = username if username is not None else kwargs.get(User.USERNAME_FIELD)
        if not email or password is None:
            return None
        user = user_any_by_email(email)
        if (
            user is not None
            and user.is_deleted
            and (user.deleted_at is None or user.deleted_at + ACCOUNT_DELETION_GRACE <= timezone.now())
        ):
            user = None  # past the grace period: as good as gone
        if user is None:
            User().set_password(password)  # same work as a real check
            return None
        if not (user.check_password(password) and self.user_can_authenticate(user)):
            return None
        if user.is_deleted:
            account_restore(user=user)
            if request is not None:
                request.account_restored = True  # type: ignore[attr-defined]
        return user

    def get_user(self, user_id: Any) -> User | None:
        # Every signed-in request: compiled once per connection (hypertroq.prepared).
        user = _signed_in_user.get(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def _signed_in_user_query(user_id: Any) -> QuerySet[User]:
    """The request's user: the default manager hides deleted accounts (a deletion signs out every
    session); the related rows most pages read come along; one row by its key, so no ORDER BY."""
    related = getattr(settings, "AUTH_USER_SELECT_RELATED", ("organization",))
    return User.objects.select_related(*related).filter(pk=user_id).order_by()[:1]


_signed_in_user = OneRowByKey("signed-in user", _signed_in_user_query)


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """django-axes counts failures per email in any letter case (AXES_USERNAME_CALLABLE)."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get(User.USERNAME_FIELD)
    if value is None and request is not None:
        value = request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else value
