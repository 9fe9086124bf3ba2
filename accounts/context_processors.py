"""For every page: account banners (unverified email, read-only organization) and whether the
navigation shows the organization's Members page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import Viewer
from accounts.tiers import READ_ONLY_MESSAGE, is_read_only, is_solo, signed_in


def account_banners(request: HttpRequest) -> dict[str, Any]:
    user: Viewer | None = getattr(request, "user", None)
    if not signed_in(user):
        return {}
    return {
        "email_unverified": not user.email_verified,
        "read_only_message": READ_ONLY_MESSAGE if is_read_only(user) else "",
        "show_members_nav": user.role in ("owner", "coach") and not is_solo(user),
    }
