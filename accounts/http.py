"""The request of a view that requires a logged-in user (``@login_required``): ``request.user``
is the project's :class:`~accounts.models.User`, never ``AnonymousUser``, and ``request.htmx``
is django-htmx's details (see :mod:`hypertroq.http`)."""

from __future__ import annotations

from accounts.models import User
from hypertroq.http import HtmxHttpRequest


class AuthenticatedHttpRequest(HtmxHttpRequest):
    user: User
