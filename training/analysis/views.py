"""Views of the analysis half: planned-vs-performed volume (page and ``volume.json``), history,
a workout read-only, each exercise's history, the export, and the coach's read-only views.

Every view first decides whose log it shows (the requesting user, or a member the requesting
coach may read via ``subject_for_coach``) and reads only through ``training.analysis`` selectors
scoped to that lifter.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import can_coach, is_coach_or_owner
from accounts.selectors import organization_members
from exercises.domain import MUSCLE_LABELS, MUSCLE_ORDER
from training.analysis.export import log_csv_rows, log_json_document
from training.analysis.history import (
    ExerciseSession,
    WorkoutStats,
    exercise_get_for_history,
    exercise_history_for,
    exercises_done_by,
    subject_for_coach,
    workout_days,
    workout_detail,
    workout_get_for,
    workout_list_for,
    workout_stats,
)
from training.analysis.settings import TrainingSettings, training_settings_for
from training.analysis.volume import VolumeHistory, member_adherence, volume_history_for
from training.domain.charts import Chart, chart
from training.domain.records import RECORD_LABELS, estimated_1rm
from training.domain.units import display_load, format_load
from training.domain.volume import is_hard_set, muscle_week_json, number
from training.domain.weeks import PARSE_YEARS, IsoWeek, local_midnight, parse_week_or

HISTORY_PAGE_SIZE = 20
SERIES_WEEKS = 12


def _subject(request: HttpRequest, member_id: UUID | None) -> tuple[Any, Any]:
    """(whose log, the member when a coach reads it) after the access check."""
    if member_id is None:
        return request.user, None
    member = subject_for_coach(viewer=request.user, member_id=member_id)
    return member, member


def _week_param(request: HttpRequest, settings: TrainingSettings) -> IsoWeek:
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
def volume_json(request: HttpRequest) -> JsonResponse:
    """Planned vs performed weekly sets of all 17 muscles for ``?week=2026-W49`` (default: this
    week in the lifter's time zone)."""
    settings = training_settings_for(user=request.user)
    try:
        week = _week_param(request, settings)
    except BadWeek:
        return JsonResponse({"error": "week must look like 2026-W49"}, status=400)
    history = volume_history_for(user=request.user, settings=settings, last=week)
    return JsonResponse(volume_document(history=history))


# --- Planned vs performed page ---------------------------------------------------------------------


def _sets(value: float) -> str:
    return f"{number(value)}"


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


def _volume_context(request: HttpRequest, subject: Any, member: Any) -> dict[str, Any]:
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
def volume_page(request: HttpRequest, member_id: UUID | None = None) -> HttpResponse:
    subject, member = _subject(request, member_id)
    try:
        context = _volume_context(request, subject, member)
    except BadWeek:
        return render(request, "training/bad_week.html", {"member": member}, status=400)
    template = "training/volume_page.html"
    if getattr(request, "htmx", False):
        template += "#volume-body"
    return render(request, template, context)


# --- History ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    in_month: bool
    workouts: int


def _month_param(request: HttpRequest, today: dt.date) -> dt.date:
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


def _calendar(subject: Any, settings: TrainingSettings, first: dt.date) -> list[list[CalendarDay]]:
    following = _next_month(first)
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_end = following + dt.timedelta(days=(7 - following.weekday()) % 7)
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


def _history_context(request: HttpRequest, subject: Any, member: Any) -> dict[str, Any]:
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
        "month": first,
        "prev_month": (first - dt.timedelta(days=1)).replace(day=1),
        "next_month": _next_month(first) if _next_month(first) <= today else None,
    }


@require_GET
@login_required
def history(request: HttpRequest, member_id: UUID | None = None) -> HttpResponse:
    subject, member = _subject(request, member_id)
    template = "training/history.html"
    if getattr(request, "htmx", False):
        template += "#history-list"
    return render(request, template, _history_context(request, subject, member))


@require_GET
@login_required
def workout_view(request: HttpRequest, workout_id: UUID, member_id: UUID | None = None) -> HttpResponse:
    """One workout, read-only: its sets by exercise, with the PRs they set."""
    subject, member = _subject(request, member_id)
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


# --- Exercise history ------------------------------------------------------------------------------


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
def exercise_index(request: HttpRequest, member_id: UUID | None = None) -> HttpResponse:
    subject, member = _subject(request, member_id)
    return render(
        request,
        "training/exercise_index.html",
        {"member": member, "exercises": exercises_done_by(user=subject)},
    )


@require_GET
@login_required
def exercise_view(request: HttpRequest, exercise_id: UUID, member_id: UUID | None = None) -> HttpResponse:
    """Each workout's sets of one exercise: e1RM and top set over time (SVG and a table), PRs."""
    subject, member = _subject(request, member_id)
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


# --- Export ----------------------------------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
@login_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The whole log, one row per set (streamed)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        for row in log_csv_rows(user=request.user):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hypertroq-training-log.csv"'
    return response


@require_GET
@login_required
def export_json(request: HttpRequest) -> HttpResponse:
    """The whole log as JSON: workouts, each with its sets (weights in kg)."""
    body = json.dumps(log_json_document(user=request.user), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hypertroq-training-log.json"'
    return response


# --- Coaches ---------------------------------------------------------------------------------------


@require_GET
@login_required
def coach_adherence(request: HttpRequest) -> HttpResponse:
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
