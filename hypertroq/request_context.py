"""The request being served, for code that has no request argument (signals, services).

``hypertroq.middleware.RequestLogMiddleware`` sets it for the length of each request. It is a
context variable, so threads (gthread workers) and async tasks each see their own request.
"""

from __future__ import annotations

import contextvars
import ipaddress
from typing import Any

from django.conf import settings

current_request: contextvars.ContextVar[Any | None] = contextvars.ContextVar(
    "hypertroq_current_request", default=None
)
current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("hypertroq_request_id", default="")


def get_current_request() -> Any | None:
    return current_request.get()


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: Any) -> str | None:
    """The client's address. Behind ``HYPERTROQ_NUM_PROXIES`` trusted proxies, read it from
    X-Forwarded-For (counting from the right, so a client cannot forge it); else REMOTE_ADDR."""
    meta = getattr(request, "META", {})
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = [part for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies])
    return _valid_ip(meta.get("REMOTE_ADDR", "") or "")
