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
