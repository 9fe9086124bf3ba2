"""Coaches' read-only views of their members' training."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import can_coach, is_coach_or_owner
from accounts.selectors import organization_members
from training.analysis.settings import training_settings_for
from training.analysis.volume import member_adherence
from training.domain.weeks import IsoWeek, parse_week_or


@require_GET
@login_required
def coach_adherence(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Last week's adherence of every member the viewer coaches: muscles whose performed sets fell
    below MEV, and planned sessions with no workout."""
    viewer = request.user
    if not is_coach_or_owner(viewer):
        raise Http404("Only coaches and owners see their members' training.")
    settings = training_settings_for(user=viewer)
    try:
        week = parse_week_or(request.GET.get("week"), IsoWeek.of(timezone.now(), settings.tz).previous())
    except ValueError:
        return render(request, "training/bad_week.html", {"member": None}, status=400)
    members = [m for m in organization_members(viewer=viewer) if m.pk != viewer.pk and can_coach(viewer, m)]
    return render(
        request,
        "training/coach_adherence.html",
        {"week": week, "table": member_adherence(members=members, week=week)},
    )
