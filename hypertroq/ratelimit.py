"""Cache-backed rate limits for writes and AI features.

Usage on a view::

    from hypertroq.ratelimit import ratelimit

    @require_POST
    @login_required
    @ratelimit(group="program_create", key="user", fail_open=True)
    def program_create(request): ...

or inside a view/service: ``check_rate(request=request, group="ai_query", key="user",
fail_open=False)`` returns a :class:`RateResult`; ``ratelimited_response(request, result)`` builds
the 429 (or 503) answer.

Rates come from ``settings.RATELIMITS`` (``{"program_create": "10/m", ...}``; units s, m, h, d,
optionally with a multiplier: ``"5/10m"``). A group missing from the settings uses the decorator's
``rate=`` argument. ``settings.RATELIMIT_ENABLED`` switches every limit off (default off in tests, so
no test trips over another's counter; the ops tests turn it on).

Counting: a fixed window per (group, key, window start) in the default cache: ``add`` then ``incr``,
both atomic in Redis, so concurrent requests and several gunicorn workers share one count. With the
local-memory cache (development) each process counts on its own.

When the cache is down: each call says ``fail_open``. Failing open lets the request through (the
outage is logged); failing closed answers 503 "temporarily unavailable". This project's choices are
listed in ``FAIL_OPEN`` and explained in the README (operations): ordinary writes fail open (a
Redis outage must not stop people training; the database's constraints and tier limits still
hold); AI queries and unauthenticated email-sending fail closed (they are the expensive or
abusable ones, and the rest of the site keeps working without them).

Responses: JSON for requests that accept JSON or have a JSON content type, a small HTML partial
for htmx requests (``HX-Retarget`` to ``#notices`` in base.html, which htmx swaps thanks to the
``responseHandling`` rule for 429/503 there), a full page otherwise. Always a ``Retry-After``.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from hypertroq import metrics
from hypertroq.request_context import client_ip

logger = logging.getLogger(__name__)

KeyKind = Literal["user", "ip", "user_or_ip"]

# The project's decision per group: True = fail open (allow) when the cache is unavailable.
FAIL_OPEN: dict[str, bool] = {
    "program_create": True,
    "program_clone": True,
    "program_write": True,
    "program_import": True,
    "exercise_write": True,
    "account_write": True,
    "member_invite": True,
    "login": True,
    "signup": True,
    "ai_query": False,
    "password_reset": False,
    "email_send": False,
    "body_write": True,
    "photo_upload": True,
}

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"10/m"`` -> (10, 60); ``"5/10m"`` -> (5, 600)."""
    match = _RATE_RE.match(rate)
    if not match:
        raise ValueError(f"bad rate {rate!r}: expected like '10/m', '20/h', '5/10m'")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * _UNIT_SECONDS[unit]


@dataclass(frozen=True)
class RateResult:
    group: str
    allowed: bool
    limit: int
    count: int | None  # None when the cache did not answer
    retry_after: int  # seconds until the window resets
    cache_unavailable: bool = False

    @property
    def limited(self) -> bool:
        return not self.allowed


def rate_for(group: str, default: str | None = None) -> str:
    """The group's rate from ``settings.RATELIMITS`` (the one place rates are set)."""
    configured = getattr(settings, "RATELIMITS", {}) or {}
    rate = configured.get(group) or default
    if not rate:
        raise ValueError(f"no rate configured for rate-limit group {group!r}")
    return rate


def _key_value(request: Any, key: KeyKind) -> str:
    user = getattr(request, "user", None)
    if key in ("user", "user_or_ip") and user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return f"ip:{client_ip(request) or 'unknown'}"


def check_rate(
    *,
    request: Any,
    group: str,
    key: KeyKind = "user",
    rate: str | None = None,
    fail_open: bool | None = None,
    increment: bool = True,
) -> RateResult:
    """Count this request against ``group`` and say whether it is allowed."""
    limit, period = parse_rate(rate_for(group, rate))
    if fail_open is None:
        fail_open = FAIL_OPEN.get(group, True)
    now = time.time()
    window = int(now // period)
    retry_after = max(1, math.ceil((window + 1) * period - now))
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return RateResult(group=group, allowed=True, limit=limit, count=0, retry_after=retry_after)
    cache_key = f"rl:{group}:{_key_value(request, key)}:{period}:{window}"
    count: int | None
    try:
        if increment:
            cache.add(cache_key, 0, timeout=period + 5)
            count = cache.incr(cache_key)
        else:
            count = cache.get(cache_key, 0)
    except ValueError:  # the key expired between add and incr: start again
        try:
            cache.set(cache_key, 1, timeout=period + 5)
            count = 1
        except Exception:
            count = None
    except Exception as exc:  # cache backend down and not ignoring its errors
        logger.warning("rate limit %s: cache unavailable (%s)", group, exc.__class__.__name__)
        count = None
    if count is None:  # django-redis with IGNORE_EXCEPTIONS answers None when Redis is down
        logger.warning(
            "rate limit %s: cache unavailable, failing %s", group, "open" if fail_open else "closed"
        )
        return RateResult(
            group=group,
            allowed=fail_open,
            limit=limit,
            count=None,
            retry_after=min(retry_after, 30),
            cache_unavailable=True,
        )
    if int(count) > limit:
        metrics.observe_rate_limited(group)
    return RateResult(
        group=group, allowed=int(count) <= limit, limit=limit, count=int(count), retry_after=retry_after
    )


def _wants_json(request: Any) -> bool:
    accept = request.META.get("HTTP_ACCEPT", "")
    content_type = request.META.get("CONTENT_TYPE", "")
    return "application/json" in accept or content_type.startswith("application/json")


def _human_wait(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{math.ceil(minutes / 60)} hours"


def ratelimited_response(request: Any, result: RateResult) -> HttpResponse:
    """429 Too Many Requests (or 503 when failing closed on a cache outage), with Retry-After."""
    if result.cache_unavailable:
        status = 503
        title = "Temporarily unavailable"
        message = (
            "This feature is briefly unavailable. Please try again in a minute; "
            "everything else keeps working."
        )
    else:
        status = 429
        title = "Too many requests"
        message = (
            f"You're going a bit fast: at most {result.limit} of these per "
            f"{_human_wait(parse_rate(rate_for(result.group))[1])}. "
            f"Please try again in {_human_wait(result.retry_after)}."
        )
    if _wants_json(request):
        response: HttpResponse = JsonResponse(
            {
                "error": "rate_limited" if status == 429 else "unavailable",
                "detail": message,
                "retry_after": result.retry_after,
            },
            status=status,
        )
    elif getattr(request, "htmx", False):
        response = HttpResponse(
            render_to_string(
                "hypertroq/ratelimited.html#notice", {"title": title, "message": message}, request
            ),
            status=status,
        )
        response["HX-Retarget"] = "#notices"
        response["HX-Reswap"] = "innerHTML"
    else:
        response = HttpResponse(
            render_to_string("hypertroq/ratelimited.html", {"title": title, "message": message}, request),
            status=status,
        )
    response["Retry-After"] = str(result.retry_after)
    return response


def ratelimit(
    *,
    group: str,
    rate: str | None = None,
    key: KeyKind = "user",
    fail_open: bool | None = None,
    methods: tuple[str, ...] = ("POST", "PUT", "PATCH", "DELETE"),
    when: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: count requests with one of ``methods`` (writes by default) for which
    ``when(request)`` is true (always, without ``when``), and answer 429 over the limit. For an AI
    search: ``methods=("GET", "POST"), when=asks_ai``. Put it below ``@login_required``.
    The wrapped view lists its groups in ``ratelimit_groups``, so a test can check that every group
    the URLs use has a rate in ``settings.RATELIMITS``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and (when is None or when(request)):
                result = check_rate(request=request, group=group, key=key, rate=rate, fail_open=fail_open)
                if not result.allowed:
                    return ratelimited_response(request, result)
            return view(request, *args, **kwargs)

        wrapped.ratelimit_groups = (*getattr(view, "ratelimit_groups", ()), group)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def asks_ai(request: HttpRequest) -> bool:
    """``when=`` predicate: a signed-in user's description search (the ``ask`` parameter, in the
    POST that spends a query or in a GET that shows a search already paid for)."""
    user = getattr(request, "user", None)
    params = request.POST if request.method == "POST" else request.GET
    return bool(user is not None and user.is_authenticated and str(params.get("ask", "")).strip())
