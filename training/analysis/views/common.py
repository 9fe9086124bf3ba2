"""What every analysis view decides first: whose log it shows (the requesting user, or a member
the requesting coach may read via ``subject_for_coach``)."""

from __future__ import annotations

from uuid import UUID

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from training.analysis.history import subject_for_coach


def view_subject(request: AuthenticatedHttpRequest, member_id: UUID | None) -> tuple[User, User | None]:
    """(whose log, the member when a coach reads it) after the access check."""
    if member_id is None:
        return request.user, None
    member: User = subject_for_coach(viewer=request.user, member_id=member_id)
    return member, member
