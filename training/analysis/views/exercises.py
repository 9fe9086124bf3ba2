"""Each exercise's history: the list of exercises done, and one exercise over time."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from training.analysis.history import (
    ExerciseSession,
    exercise_get_for_history,
    exercise_history_for,
    exercises_done_by,
)
from training.analysis.settings import TrainingSettings, training_settings_for
from training.analysis.views.common import view_subject
from training.domain.charts import Chart, chart
from training.domain.records import RECORD_LABELS
from training.domain.units import display_load, format_load


def _url_prefix(name: str, *args: Any) -> str:
    """The URL of ``name`` up to its last id (reversed once, not once per table row)."""
    placeholder = uuid.UUID(int=0)
    return reverse(name, args=[*args, placeholder]).replace(f"{placeholder}/", "")


EXERCISE_RECENT = 26  # workouts shown by default (chart and table): about half a year


def _exercise_chart(sessions: list[ExerciseSession], settings: TrainingSettings) -> Chart:
    unit, step = settings.unit, settings.increment

    def load(value: Decimal | None) -> float | None:
        return None if value is None else float(display_load(value, unit, step))

    return chart(
        labels=[s.started_at.astimezone(settings.tz).strftime("%-d %b") for s in sessions],
        lines=[
            ("Estimated 1RM", "line-e1rm", [load(s.best_e1rm) for s in sessions]),
            ("Top set load", "line-top", [load(s.top_weight) for s in sessions]),
        ],
    )


@require_GET
@login_required
def exercise_index(request: AuthenticatedHttpRequest, member_id: UUID | None = None) -> HttpResponse:
    subject, member = view_subject(request, member_id)
    return render(
        request,
        "training/exercise_index.html",
        {"member": member, "exercises": exercises_done_by(user=subject)},
    )


@require_GET
@login_required
def exercise_view(
    request: AuthenticatedHttpRequest, exercise_id: UUID, member_id: UUID | None = None
) -> HttpResponse:
    """Each workout's sets of one exercise: e1RM and top set over time (SVG and a table), PRs."""
    subject, member = view_subject(request, member_id)
    exercise = exercise_get_for_history(user=subject, exercise_id=exercise_id)
    settings = training_settings_for(user=subject)
    data = exercise_history_for(user=subject, exercise=exercise)
    show_all = request.GET.get("all") == "1"
    shown = data.sessions if show_all else data.sessions[-EXERCISE_RECENT:]
    unit, step = settings.unit, settings.increment
    workout_url = (
        _url_prefix("training:member_workout", member.pk)
        if member
        else _url_prefix("training:history_workout")
    )
    rows = [
        {
            "session": s,
            "url": f"{workout_url}{s.workout_id}/",
            "local_start": s.started_at.astimezone(settings.tz),
            "top": f"{format_load(s.top_weight, unit, step)} × {s.top_reps}",
            "e1rm": format_load(s.best_e1rm, unit, step) if s.best_e1rm is not None else "",
            "sets": ", ".join(f"{display_load(x.weight, unit, step)}×{x.reps}" for x in s.sets),
            "prs": [RECORD_LABELS[k] for k in s.prs],
        }
        for s in reversed(shown)
    ]
    return render(
        request,
        "training/exercise_history.html",
        {
            "member": member,
            "exercise": exercise,
            "data": data,
            "rows": rows,
            "hidden": len(data.sessions) - len(shown),
            "total": len(data.sessions),
            "chart": _exercise_chart(shown, settings),
            "best_e1rm": format_load(data.best_e1rm, unit, step) if data.best_e1rm is not None else "",
            "best_volume": format_load(data.best_volume, unit, Decimal(1))
            if data.best_volume is not None
            else "",
            "rep_records": [(format_load(load, unit, step), reps) for load, reps in data.rep_records[:8]],
            "settings": settings,
        },
    )
