"""Planned-vs-performed weekly volume: the page (a lifter's own or a coached member's) and
``volume.json``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from exercises.domain import MUSCLE_LABELS, MUSCLE_ORDER
from training.analysis.settings import TrainingSettings, training_settings_for
from training.analysis.views.common import view_subject
from training.analysis.volume import VolumeHistory, volume_history_for
from training.domain.charts import Chart, chart
from training.domain.volume import muscle_week_json
from training.domain.weeks import IsoWeek, parse_week_or

SERIES_WEEKS = 12


def _week_param(request: AuthenticatedHttpRequest, settings: TrainingSettings) -> IsoWeek:
    this_week = IsoWeek.of(timezone.now(), settings.tz)
    try:
        return parse_week_or(request.GET.get("week"), this_week)
    except ValueError as exc:
        raise BadWeek(str(exc)) from exc


class BadWeek(ValueError):
    pass


# --- volume.json -----------------------------------------------------------------------------------


def volume_document(*, history: VolumeHistory) -> dict[str, Any]:
    week = history.weeks[-1]
    program = history.settings.current_program
    return {
        "week": str(week.week),
        "from": week.week.monday.isoformat(),
        "to": week.week.sunday.isoformat(),
        "counting": history.settings.counting,
        "program": str(program.pk) if program is not None else None,
        "program_name": program.name if program is not None else None,
        "hard_sets": week.hard_sets,
        "hard_sets_without_rir": week.hard_sets_without_rir,
        "muscles": [muscle_week_json(m) for m in week.muscles],
    }


@require_GET
@login_required
def volume_json(request: AuthenticatedHttpRequest) -> JsonResponse:
    """Planned vs performed weekly sets of all 17 muscles for ``?week=2026-W49`` (default: this
    week in the lifter's time zone)."""
    settings = training_settings_for(user=request.user)
    try:
        week = _week_param(request, settings)
    except BadWeek:
        return JsonResponse({"error": "week must look like 2026-W49"}, status=400)
    history = volume_history_for(user=request.user, settings=settings, last=week)
    return JsonResponse(volume_document(history=history))


def _muscle_chart(history: VolumeHistory, muscle: str) -> Chart:
    landmarks = history.weeks[-1].muscle(muscle).landmarks
    rows = [w.muscle(muscle) for w in history.weeks]
    return chart(
        labels=[f"W{w.week.week}" for w in history.weeks],
        bars=[r.performed_sets for r in rows],
        lines=[("Planned", "line-planned", [r.planned_sets for r in rows])] if history.planned else [],
        bands=[(float(landmarks.mev), float(landmarks.mrv), "band-productive", "MEV to MRV")],
        floor_at_zero=True,
    )


def _volume_context(request: AuthenticatedHttpRequest, subject: User, member: User | None) -> dict[str, Any]:
    settings = training_settings_for(user=subject)
    week = _week_param(request, settings)
    muscle = request.GET.get("muscle") or ""
    if muscle not in MUSCLE_ORDER:
        muscle = ""
    history = volume_history_for(user=subject, settings=settings, last=week, count=SERIES_WEEKS)
    shown, previous = history.weeks[-1], history.weeks[-2]
    if not muscle:  # the muscle with the most planned sets, else the most performed, else chest
        ranked = sorted(shown.muscles, key=lambda m: (m.planned_sets, m.performed_sets), reverse=True)
        muscle = (
            ranked[0].muscle if ranked and (ranked[0].planned_sets or ranked[0].performed_sets) else "CHEST"
        )
    this_week = IsoWeek.of(timezone.now(), settings.tz)
    return {
        "member": member,
        "settings": settings,
        "history": history,
        "week": shown,
        "previous": previous,
        "this_week": this_week,
        "is_current": week == this_week,
        "prev_week": week.previous(),
        "next_week": week.next() if week < this_week else None,
        "muscle": muscle,
        "muscle_label": MUSCLE_LABELS[muscle],
        "muscle_choices": [(m, MUSCLE_LABELS[m]) for m in MUSCLE_ORDER],
        "chart": _muscle_chart(history, muscle),
        "series": [(w, w.muscle(muscle)) for w in reversed(history.weeks)],
        "counting_word": "fractional" if settings.counting == "fractional" else "direct",
    }


@require_GET
@login_required
def volume_page(request: AuthenticatedHttpRequest, member_id: UUID | None = None) -> HttpResponse:
    subject, member = view_subject(request, member_id)
    try:
        context = _volume_context(request, subject, member)
    except BadWeek:
        return render(request, "training/bad_week.html", {"member": member}, status=400)
    template = "training/volume_page.html"
    if request.htmx:
        template += "#volume-body"
    return render(request, template, context)


# --- History ---------------------------------------------------------------------------------------
