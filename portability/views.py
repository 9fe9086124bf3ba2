"""The "Download my data" page: ask for an archive, see its state, download it while it lasts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import user_preferences_for
from accounts.tiers import is_read_only
from hypertroq.ratelimit import ratelimit
from portability import selectors, services
from portability.models import ExportStatus
from portability.runner import export_path


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="account_write", key="user")
def exports(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.data_export_request(user=request.user)
        messages.success(
            request,
            "We are putting your data together. You get an email and a notification when it is ready.",
        )
        return redirect("portability:exports")
    rows = list(selectors.data_exports_for(user=request.user))
    now = timezone.now()
    return render(
        request,
        "portability/exports.html",
        {
            "exports": rows,
            "pending": any(e.status == ExportStatus.PENDING for e in rows),
            "has_ready": any(
                e.status == ExportStatus.READY and e.expires_at and e.expires_at > now for e in rows
            ),
            "now": now,
            "read_only": is_read_only(request.user),
            "days": settings.DATA_EXPORT_DAYS,
            "zone": user_preferences_for(user=request.user).time_zone or "UTC",
        },
    )


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, export_id: uuid.UUID) -> HttpResponseBase:
    """The archive, to its owner only (anyone else: 404) and only until it expires (then 410)."""
    export = selectors.data_export_get_for_owner(user=request.user, export_id=export_id)
    path = export_path(export)
    expired = export.expires_at is None or export.expires_at <= timezone.now()
    if export.status != ExportStatus.READY or expired or not path.exists():
        return render(request, "portability/gone.html", {"export": export}, status=410)
    name = f"hypertroq-data-{export.ready_at:%Y-%m-%d}.zip" if export.ready_at else "hypertroq-data.zip"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
