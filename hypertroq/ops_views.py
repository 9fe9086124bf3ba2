"""Operations endpoints: ``/metrics`` (Prometheus), ``/readyz`` and the staff metrics page."""

from __future__ import annotations

import ipaddress
import logging
import math
import time
from typing import Any

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hypertroq import metrics
from hypertroq.request_context import client_ip
from hypertroq.views import check_database

logger = logging.getLogger(__name__)


def _address_allowed(request: HttpRequest) -> bool:
    # Through a proxy (X-Forwarded-For present) with no trusted proxies configured, the peer
    # address is the proxy's, typically loopback: never treat that as a local caller.
    if not getattr(settings, "NUM_PROXIES", 0) and request.META.get("HTTP_X_FORWARDED_FOR"):
        return False
    address = client_ip(request)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    for allowed in getattr(settings, "METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"]):
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            logger.warning("METRICS_ALLOWED_IPS: ignoring bad entry")
    return False


def _token_ok(request: HttpRequest) -> bool:
    expected = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if not expected or not header.lower().startswith("bearer "):
        return False
    return constant_time_compare(header[7:].strip(), expected)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for allowed addresses or a valid ``Authorization: Bearer`` token."""
    if not (_token_ok(request) or _address_allowed(request)):
        return HttpResponseForbidden("Metrics are available to allowed addresses or with a token.\n")
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)


_migrations_applied = False


def _check_migrations() -> str:
    global _migrations_applied
    if _migrations_applied:  # applied migrations don't un-apply while the process runs
        return "ok"
    from django.db.migrations.executor import MigrationExecutor

    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        logger.warning("readyz: migration check failed: %s", exc.__class__.__name__)
        return "error"
    if plan:
        return "pending"
    _migrations_applied = True
    return "ok"


def _check_cache() -> str:
    token = str(time.monotonic_ns())
    try:
        cache.set("readyz", token, 10)
        return "ok" if cache.get("readyz") == token else "error"
    except Exception as exc:
        logger.warning("readyz: cache check failed: %s", exc.__class__.__name__)
        return "error"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, the cache works and every migration is applied; else 503
    naming the failed check. (``/healthz`` is liveness: the process answers.)"""
    checks = {"database": check_database()}
    checks["migrations"] = _check_migrations() if checks["database"] == "ok" else "skipped"
    checks["cache"] = _check_cache()
    ready = all(value == "ok" for value in checks.values())
    failed = [name for name, value in checks.items() if value != "ok"]
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks, "failed": failed},
        status=200 if ready else 503,
    )


def _fmt_ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


@staff_member_required
@never_cache
@require_GET
def admin_metrics(request: HttpRequest) -> HttpResponse:
    """Staff page: p50/p95/p99 per view over the last hour, slowest queries, cache, connections."""
    from django.contrib import admin

    summaries, slow_queries = metrics.summarise(metrics.WINDOW.collect())
    hits, misses, errors = metrics.cache_totals()
    try:
        db_connections: dict[str, int] | None = metrics.database_connections()
    except Exception:
        db_connections = None
    rows: list[dict[str, Any]] = [
        {
            "view": s.view,
            "requests": s.requests,
            "errors": s.errors,
            "p50": _fmt_ms(s.p50_ms),
            "p95": _fmt_ms(s.p95_ms),
            "p99": _fmt_ms(s.p99_ms),
        }
        for s in summaries
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Operations metrics",
        "rows": rows,
        "slow_queries": [
            {"ms": f"{seconds * 1000:.0f}", "view": view, "sql": sql} for seconds, view, sql in slow_queries
        ],
        "cache_hits": int(hits),
        "cache_misses": int(misses),
        "cache_errors": int(errors),
        "cache_ratio": f"{hits / (hits + misses):.0%}" if hits + misses else "no lookups yet",
        "db_connections": db_connections,
        "db_connections_total": sum(db_connections.values()) if db_connections else None,
        "window_minutes": metrics.WINDOW_MINUTES,
        "multiprocess": bool(__import__("os").environ.get("PROMETHEUS_MULTIPROC_DIR")),
    }
    return render(request, "admin/ops_metrics.html", context)
