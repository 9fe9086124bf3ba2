"""Rendered HTML fragments in the cache, under keys made of everything they show.

A fragment's key is a digest of the values it is rendered from (the rows read for this request,
the viewer's volume settings, the flags that change the markup), never a counter that some service
must remember to bump: a fragment can never be stale, since new data makes a new key, and it can
never show one lifter another's data, since the owner's and viewer's ids are part of the key.
Old fragments are simply never read again and expire.

Fragments hold no per-request secret: forms in them carry ``CSRF_PLACEHOLDER``, replaced by the
request's (masked) token on the way out (``with_csrf``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from hypertroq.http import HtmxHttpRequest

# An edit makes a new key, and the old fragment (about 200 KB for a 6 × 6 builder) just waits to
# expire: an hour keeps what a session of edits leaves behind small.
FRAGMENT_SECONDS = 3600
# 64 characters like a real token (the markup's length does not change), and nothing a page would
# otherwise contain.
CSRF_PLACEHOLDER = "csrf-placeholder-" + "0" * 47


def fragment_key(kind: str, *parts: object) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"programs:fragment:{kind}:{digest}"


def cached_html(key: str, render: Callable[[], str], seconds: int = FRAGMENT_SECONDS) -> str:
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, seconds)
    return html


def with_csrf(request: HtmxHttpRequest, html: str) -> SafeString:
    """The fragment with the request's CSRF token in its forms."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # noqa: S308  (our own templates' output, escaped when rendered)
