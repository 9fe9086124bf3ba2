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
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django_htmx.middleware import HtmxDetails

# Markup cached for many requests (the builder's fragments, the templates list's cards, the
# navigation) is rendered with this in place of the CSRF token, and :func:`with_csrf` puts the
# request's own (masked) token there on the way out: a cached copy never holds a token. 64
# characters like a real token (the markup's length does not change), and nothing a page would
# otherwise contain.
CSRF_PLACEHOLDER = "csrf-placeholder-" + "0" * 47


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


def with_csrf(request: HttpRequest, html: str) -> SafeString:
    """Cached markup with the request's CSRF token where it has ``CSRF_PLACEHOLDER``."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308  (our own templates' output, escaped when rendered)
