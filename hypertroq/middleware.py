"""Per-request observability: request id, timing, query count, metrics and one JSON log line.

``RequestLogMiddleware`` goes near the top of ``MIDDLEWARE``. For every request it

* takes ``X-Request-ID`` from the client (if it looks sane) or makes one, and returns it;
* makes the request available to code without a request argument (``hypertroq.request_context``);
* counts and times every database query (``connection.execute_wrapper``) and logs queries slower
  than ``SLOW_QUERY_MS`` with their SQL (parameters are never logged);
* observes the Prometheus metrics and the admin's rolling window;
* writes one line to the ``hypertroq.request`` logger: request id, user id, view, method, path
  (without the query string, which may carry tokens), status, duration in ms, query count and
  database time.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

from hypertroq import metrics
from hypertroq.request_context import current_request, current_request_id

request_logger = logging.getLogger("hypertroq.request")
slow_query_logger = logging.getLogger("hypertroq.db.slow")

SLOW_QUERY_MS = 100.0
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._\-]{1,64}$")
UNRESOLVED = "<unresolved>"


class _QueryRecorder:
    __slots__ = ("count", "seconds", "slow")

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.slow: list[tuple[float, str]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            self.count += 1
            self.seconds += elapsed
            if elapsed * 1000 >= SLOW_QUERY_MS:
                self.slow.append((elapsed, str(sql)))


def view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNRESOLVED
    return match.view_name or getattr(match, "_func_path", "") or UNRESOLVED


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        request_token = current_request.set(request)
        id_token = current_request_id.set(request_id)
        recorder = _QueryRecorder()
        started = time.perf_counter()
        status = 500
        try:
            with connection.execute_wrapper(recorder):
                response = self.get_response(request)
            status = response.status_code
            response["X-Request-ID"] = request_id
            return response
        finally:
            duration = time.perf_counter() - started
            try:
                self._observe(request, request_id, status, duration, recorder)
            finally:
                current_request.reset(request_token)
                current_request_id.reset(id_token)

    def _observe(
        self, request: HttpRequest, request_id: str, status: int, duration: float, recorder: _QueryRecorder
    ) -> None:
        view = view_name(request)
        if view in ("metrics",):  # scrapes don't skew the site's own latency figures
            return
        method = request.method or ""
        metrics.REQUEST_LATENCY.labels(view, method).observe(duration)
        metrics.RESPONSES.labels(view, method, str(status)).inc()
        metrics.DB_QUERY_TIME.labels(view).observe(recorder.seconds)
        metrics.DB_QUERY_COUNT.labels(view).observe(recorder.count)
        for seconds, sql in recorder.slow:
            metrics.DB_SLOW_QUERIES.labels(view).inc()
            slow_query_logger.warning(
                "slow query",
                extra={
                    "request_id": request_id,
                    "view": view,
                    "duration_ms": round(seconds * 1000, 1),
                    "sql": sql,
                },
            )
        metrics.WINDOW.record(view=view, seconds=duration, status=status, slow_queries=recorder.slow)
        user = getattr(request, "user", None)
        user_id = str(user.pk) if user is not None and getattr(user, "is_authenticated", False) else None
        request_logger.info(
            "%s %s %s",
            method,
            request.path,
            status,
            extra={
                "request_id": request_id,
                "user_id": user_id,
                "view": view,
                "method": method,
                "path": request.path,
                "status": status,
                "duration_ms": round(duration * 1000, 2),
                "queries": recorder.count,
                "db_ms": round(recorder.seconds * 1000, 2),
            },
        )


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not send: ``Permissions-Policy`` (browser features
    no page uses, off) and no ``Server`` banner naming the software (gunicorn's own is replaced in
    ``hypertroq/gunicorn.conf.py``; this drops any a WSGI layer below sets)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        from django.conf import settings

        self.get_response = get_response
        self.permissions_policy = str(getattr(settings, "PERMISSIONS_POLICY", "") or "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if "Server" in response.headers:
            del response.headers["Server"]
        return response
