"""The page that explains the volume model (MV/MEV/MAV/MRV, fractional and direct sets) with sources."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from exercises.domain import Muscle
from hypertroq.http import HtmxHttpRequest
from programs.volume import DEFAULT_LANDMARKS, SESSION_MUSCLE_WARNING_SETS, SESSION_TOTAL_WARNING_SETS


@require_GET
def volume_guide(request: HtmxHttpRequest) -> HttpResponse:
    landmarks = [(Muscle(key).label, value) for key, value in DEFAULT_LANDMARKS.items()]
    return render(
        request,
        "programs/volume_guide.html",
        {
            "landmarks": landmarks,
            "session_muscle_limit": f"{SESSION_MUSCLE_WARNING_SETS:g}",
            "session_total_limit": SESSION_TOTAL_WARNING_SETS,
        },
    )
