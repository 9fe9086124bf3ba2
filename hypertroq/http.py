"""Typed requests for views, and the one rule for answering htmx with a partial.

django-htmx's ``HtmxMiddleware`` puts :class:`HtmxDetails` on every request as ``request.htmx``;
Django's ``HttpRequest`` does not declare it, so views take an :class:`HtmxHttpRequest` (the
pattern django-htmx documents). Views that need a logged-in user take
``accounts.http.AuthenticatedHttpRequest``, which also types ``request.user`` as the project's user.
Selectors check an id taken from a URL or a form with :func:`valid_uuid` before they query.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_partial(request: HtmxHttpRequest) -> bool:
    """Answer with the page's partial (``"page.html#partial"``) rather than the whole page?

    Yes for an htmx request, except a history restore: when the user goes back and htmx's history
    cache has no copy of the page, htmx asks for it with ``HX-History-Restore-Request`` and needs
    the whole page.
    """
    return bool(request.htmx) and not request.htmx.history_restore_request


def valid_uuid(value: Any) -> bool:
    """Is ``value`` (an id from a URL or a form, of any type) a well-formed UUID? Selectors answer
    404 for one that is not, rather than let the database raise."""
    try:
        uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return False
    return True
