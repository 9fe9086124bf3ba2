"""The history: a month calendar and the paged list of workouts, and one workout read-only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.preferences import Weekday
from training.analysis.history import (
    WorkoutStats,
    workout_days,
    workout_detail,
    workout_get_for,
    workout_list_for,
    workout_stats,
)
from training.analysis.settings import TrainingSettings, training_settings_for
from training.analysis.views.common import view_subject
from training.domain.records import RECORD_LABELS, estimated_1rm
from training.domain.units import format_load
from training.domain.volume import is_hard_set
from training.domain.weeks import PARSE_YEARS, local_midnight

HISTORY_PAGE_SIZE = 20


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    workouts: int


def _month_param(request: AuthenticatedHttpRequest, today: dt.date) -> dt.date:
    text = request.GET.get("month") or ""
    try:
        year, month = (int(part) for part in text.split("-"))
        if year not in PARSE_YEARS:
            raise ValueError(text)
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def _next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _calendar(subject: User, settings: TrainingSettings, first: dt.date) -> list[list[CalendarDay]]:
    """The month's days in rows of seven, each row starting on the lifter's first day of the week
    (``week_start``; weekly volume still counts ISO weeks, Monday to Sunday)."""
    following = _next_month(first)
    grid_start = first - dt.timedelta(days=(first.weekday() - settings.week_start) % 7)
    grid_end = following + dt.timedelta(days=(settings.week_start - following.weekday()) % 7)
    days = workout_days(
        user=subject,
        start=local_midnight(grid_start, settings.tz),
        end=local_midnight(grid_end, settings.tz),
        tz=settings.tz,
    )
    weeks: list[list[CalendarDay]] = []
    day = grid_start
    while day < grid_end:
        weeks.append(
            [
                CalendarDay(day=d, in_month=d.month == first.month, workouts=days.get(d, 0))
                for d in (day + dt.timedelta(days=i) for i in range(7))
            ]
        )
        day += dt.timedelta(days=7)
    return weeks


def _weekday_names(week_start: int) -> list[str]:
    """The calendar's column headings, from the lifter's first day of the week."""
    return [Weekday(day % 7).label for day in range(week_start, week_start + 7)]


def _history_context(request: AuthenticatedHttpRequest, subject: User, member: User | None) -> dict[str, Any]:
    settings = training_settings_for(user=subject)
    today = timezone.now().astimezone(settings.tz).date()
    first = _month_param(request, today)
    paginator = Paginator(workout_list_for(user=subject), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    workouts = list(page.object_list)
    stats = workout_stats(workout_ids=[w.pk for w in workouts])
    rows = []
    for w in workouts:
        numbers = stats.get(str(w.pk), WorkoutStats())
        rows.append(
            {
                "workout": w,
                "stats": numbers,
                "local_start": w.started_at.astimezone(settings.tz),
                "minutes": int((w.finished_at - w.started_at).total_seconds() // 60)
                if w.finished_at
                else None,
                "tonnage": format_load(numbers.tonnage, settings.unit, Decimal(1)),
            }
        )
    return {
        "member": member,
        "settings": settings,
        "page": page,
        "rows": rows,
        "calendar": _calendar(subject, settings, first),
        "weekdays": _weekday_names(settings.week_start),
        "month": first,
        "prev_month": (first - dt.timedelta(days=1)).replace(day=1),
        "next_month": _next_month(first) if _next_month(first) <= today else None,
    }


@require_GET
@login_required
def history(request: AuthenticatedHttpRequest, member_id: UUID | None = None) -> HttpResponse:
    subject, member = view_subject(request, member_id)
    template = "training/history.html"
    if request.htmx:
        template += "#history-list"
    return render(request, template, _history_context(request, subject, member))


@require_GET
@login_required
def workout_view(
    request: AuthenticatedHttpRequest, workout_id: UUID, member_id: UUID | None = None
) -> HttpResponse:
    """One workout, read-only: its sets by exercise, with the PRs they set."""
    subject, member = view_subject(request, member_id)
    workout = workout_get_for(user=subject, workout_id=workout_id)
    settings = training_settings_for(user=subject)
    blocks = []
    for block in workout_detail(workout=workout):
        blocks.append(
            {
                "exercise": block.exercise,
                "sets": [
                    {
                        "set": s,
                        "load": format_load(s.weight_kg, settings.unit, settings.increment),
                        "hard": is_hard_set(
                            set_type=s.set_type, reps=s.reps, rir=s.rir, threshold=settings.rir_threshold
                        ),
                        "e1rm": _e1rm_text(s.weight_kg, s.reps, s.rir, settings),
                        "prs": [RECORD_LABELS[k] for k in block.prs.get(str(s.pk), [])],
                    }
                    for s in block.sets
                ],
            }
        )
    local_start = workout.started_at.astimezone(settings.tz)
    return render(
        request,
        "training/workout_read.html",
        {
            "member": member,
            "workout": workout,
            "blocks": blocks,
            "local_start": local_start,
            "minutes": int((workout.finished_at - workout.started_at).total_seconds() // 60)
            if workout.finished_at
            else None,
            "settings": settings,
        },
    )


def _e1rm_text(weight: Decimal, reps: int, rir: Decimal | None, settings: TrainingSettings) -> str:
    value = estimated_1rm(weight, reps, rir)
    if value is None:
        return ""
    return format_load(value, settings.unit, Decimal("0.1") if settings.unit == "kg" else Decimal(1))
