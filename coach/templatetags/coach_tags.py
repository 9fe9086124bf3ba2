"""Template helpers for the coach panel in the builder (no extra queries)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from accounts.models import User
from accounts.quota import QuotaStatus, ai_quota_status
from accounts.tiers import signed_in
from coach.store import last_generation, stored_review
from programs.models import TrainingProgram

register = template.Library()


@register.simple_tag
def ai_quota(user: User | AnonymousUser | None) -> QuotaStatus | None:
    """``user``'s AI quota (``str()``: "7 of 10 AI queries left this month"). Pass ``program.user``:
    it comes with the program's organization already loaded, so this costs no query."""
    if not signed_in(user):
        return None
    return ai_quota_status(user=user)


@register.simple_tag
def coach_stored_review(request: HttpRequest, program: TrainingProgram) -> dict[str, Any] | None:
    """The last review of ``program`` kept in the user's session (see coach.store)."""
    return stored_review(request, program)


@register.simple_tag
def coach_last_generation(request: HttpRequest, program: TrainingProgram) -> dict[str, Any] | None:
    """The generator settings that produced ``program``, when this session generated it."""
    return last_generation(request, program)
