"""What several account pages answer alike."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from hypertroq.http import HtmxHttpRequest


def forbidden(request: HtmxHttpRequest, message: str) -> HttpResponse:
    """The 403 page with ``message``: the signed-in user may not do this here."""
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)
