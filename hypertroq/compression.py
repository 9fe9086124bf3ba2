"""Compressed HTML on the wire, with BREACH in mind.

BREACH recovers a secret from a compressed HTTPS response when the same response also reflects text
the attacker chose (a search term, a form value) and the attacker can watch the response's length
over many requests. Django's ``GZipMiddleware`` answers this in two ways that hold here:

- the CSRF token in pages is masked afresh for every request (Django's ``get_token``), so its bytes
  differ each time and compression never gets to guess it;
- since Django 4.2 the middleware adds 0–100 random bytes to each gzip header ("Heal the BREACH"),
  which blurs the length an attacker measures.

The session id travels in a cookie (headers are not compressed by gzip). The remaining secrets that
appear in a page body are the two-factor set-up page's TOTP key and recovery codes: that page is
sent uncompressed (``@never_compress``), so nothing it reflects can be measured against them.
Static files are not touched here: WhiteNoise serves them (already compressed where it helps)
before this middleware runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

NO_COMPRESSION_ATTR = "hypertroq_never_compress"


class CompressionMiddleware(GZipMiddleware):
    """Django's ``GZipMiddleware``, except for responses of views marked ``@never_compress``."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(response, NO_COMPRESSION_ATTR, False):
            return response
        return super().process_response(request, response)


def never_compress(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Send this view's responses uncompressed (pages that show a secret, such as a TOTP key)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        setattr(response, NO_COMPRESSION_ATTR, True)
        return response

    return wrapped
