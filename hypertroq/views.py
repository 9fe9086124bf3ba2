"""Site-wide pages: home and health check."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_GET
@cache_control(max_age=86400, public=True)
def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest (installable on a phone's home screen). A view, not a static file, so
    the icons' addresses carry the static files' content hashes."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
        {"src": static("icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
    ]
    manifest = {
        "name": "HypertroQ",
        "short_name": "HypertroQ",
        "description": "Hypertrophy programs with every muscle's weekly volume in sight.",
        "id": "/",
        "start_url": "/accounts/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f4f5f7",
        "theme_color": "#0b5cad",
        "icons": icons,
    }
    return JsonResponse(manifest, content_type="application/manifest+json")


def check_database() -> str:
    """ "ok" when the database answers a query, else "error" (logged): /healthz and /readyz."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ok"
        logger.warning("healthz: database check failed: %s", exc.__class__.__name__)
        return "error"
    return "ok"


def _check_cache() -> str:
    try:
        cache.set("healthz", "1", 5)
        ok = cache.get("healthz") == "1"
    except Exception as exc:
        logger.warning("healthz: cache check failed: %s", exc.__class__.__name__)
        return "error"
    return "ok" if ok else "error"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; 503 when it does not. The cache is reported, not fatal."""
    checks = {"database": check_database(), "cache": _check_cache()}
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "unavailable", "checks": checks}, status=status)


DATABASE_DOWN_RETRY_SECONDS = 30
_DATABASE_DOWN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Back in a moment · HypertroQ</title></head>
<body><main><h1>Back in a moment</h1>
<p>HypertroQ can't reach its database right now. Nothing you did caused this, and nothing was
lost: please try again in about {seconds} seconds.</p></main></body></html>
"""


def _database_unreachable(exc: BaseException | None) -> bool:
    """A connection-level failure (server down, restarting, unreachable), not a bad query."""
    from django.db import InterfaceError, OperationalError

    while exc is not None:
        if isinstance(exc, InterfaceError | OperationalError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: while the database is down, 503 with ``Retry-After`` (the client and any
    proxy know to come back; monitoring tells an outage from a bug); any other error, the plain
    500 page. Built without a template or the database: neither can be relied on here."""
    import sys

    from django.views.defaults import server_error as django_server_error

    if _database_unreachable(sys.exc_info()[1]):
        body = _DATABASE_DOWN_PAGE.format(seconds=DATABASE_DOWN_RETRY_SECONDS)
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(DATABASE_DOWN_RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return django_server_error(request)
