"""Starting a workout, the workout page (and its summary once finished), notes, finish,
resume and delete."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from hypertroq.forms import add_service_errors, error_text
from training import selectors, services
from training.forms import (
    RIR_CHOICES,
    StartForm,
    WorkoutNotesForm,
)
from training.models import SetType, WorkoutLog
from training.page import entry_views, rest_after_last_set, workout_summary
from training.views.common import display_weight, uuid_or_none, weight_step, workout_url

# --- Start ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def workout_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: choose a session of your programs (or an empty workout). POST ``session`` (a session id
    of one of your programs, or empty) -> redirect to the new workout's page."""
    user = request.user
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            session_id = form.cleaned_data["session"]
            session = selectors.session_get_to_start(user=user, session_id=session_id) if session_id else None
            try:
                workout = services.workout_start(user=user, session=session)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
                return redirect("training:start")
            services.preferences_time_zone_default(user=user, time_zone=form.cleaned_data.get("tz") or "")
            return redirect(workout_url(workout))
        return render(request, "training/workout_start.html", _start_context(user, form), status=400)
    return render(request, "training/workout_start.html", _start_context(user, StartForm()))


def _start_context(user: User, form: StartForm) -> dict[str, Any]:
    return {
        "form": form,
        "programs": selectors.programs_to_start(user=user),
        "open_workout": selectors.workout_open_for(user=user),
        "today": selectors.today_plan(user=user, now=timezone.now()),
    }


# --- The workout page -------------------------------------------------------------------------------


@login_required
@require_GET
def workout_detail(request: AuthenticatedHttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """The workout: planned exercises with their sets, one form per exercise to log the next set,
    the rest timer; once finished, the summary on top."""
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    return render(request, "training/workout_detail.html", _workout_context(request, workout))


def _workout_context(request: AuthenticatedHttpRequest, workout: WorkoutLog, **extra: Any) -> dict[str, Any]:
    user = workout.user
    prefs = selectors.preferences_for(user=user)
    tz = selectors.time_zone_for(prefs)
    now = timezone.now()
    entries = selectors.workout_entries(workout=workout)
    sets = selectors.workout_sets(workout=workout)
    context: dict[str, Any] = {
        "workout": workout,
        "prefs": prefs,
        "tz": tz,
        "now": now,
        "notes_form": WorkoutNotesForm(
            initial={
                "notes": workout.notes,
                "body_weight": display_weight(workout.body_weight_kg, prefs)
                if workout.body_weight_kg
                else None,
            },
            prefs=prefs,
        ),
        "deleted_set": uuid_or_none(request.GET.get("deleted", "")),
        "rir_choices": RIR_CHOICES,
        "weight_step": weight_step(prefs),
        "set_types": SetType.choices,
        **extra,
    }
    if workout.finished_at is not None:
        context["summary"] = workout_summary(
            workout=workout,
            entries=entries,
            sets=sets,
            record_sets=selectors.exercise_record_sets(
                user=user, exercise_ids={s.exercise_id for s in sets}, until=workout.started_at
            ),
            prefs=prefs,
            counting=selectors.counting_rule_for(user=user),
        )
        history: dict[str, Any] = {}
    else:
        history = selectors.exercise_history(
            user=user,
            exercise_ids=[e.exercise_id for e in entries],
            before=workout.started_at,
            exclude_workout=workout.pk,
        )
    views = entry_views(
        entries=entries,
        sets=sets,
        history=history,
        prefs=prefs,
        now=now,
        tz=tz,
        accept=request.GET.get("accept", ""),
    )
    context["entries"] = views
    rest = rest_after_last_set(views) if workout.finished_at is None else None
    context["rest"] = rest
    context["rest_running"] = rest is not None and rest.running(now)
    context["rest_seconds_left"] = int((rest.until - now).total_seconds()) if rest is not None else 0
    context["new_client_id"] = uuid.uuid4
    context["set_count"] = len(sets)
    return context


# --- The workout as a whole -------------------------------------------------------------------------


@login_required
@require_POST
def workout_notes(request: AuthenticatedHttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    prefs = selectors.preferences_for(user=workout.user)
    form = WorkoutNotesForm(request.POST, prefs=prefs)
    if form.is_valid():
        try:
            services.workout_update(
                user=workout.user,
                workout=workout,
                notes=form.cleaned_data["notes"],
                body_weight_kg=form.cleaned_data["body_weight"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Notes saved.")
            return redirect(workout_url(workout, "notes"))
    return render(
        request,
        "training/workout_detail.html",
        _workout_context(request, workout, notes_form=form),
        status=400,
    )


def _workout_action(
    request: AuthenticatedHttpRequest, workout_id: uuid.UUID, action: Callable[..., object]
) -> tuple[WorkoutLog, bool]:
    """Run ``action`` (finish, resume, discard) on one of the lifter's workouts; a refusal becomes
    an error message. Returns the workout and whether the action went through."""
    workout = selectors.workout_get_for_owner(user=request.user, workout_id=workout_id)
    try:
        action(user=workout.user, workout=workout)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return workout, False
    return workout, True


@login_required
@require_POST
def workout_finish(request: AuthenticatedHttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """Finish the workout -> its page shows the summary (and, for a workout left open, that it
    ended at its last set)."""
    was_open = []

    def finish(*, user: User, workout: WorkoutLog) -> WorkoutLog:
        was_open.append(workout.finished_at is None)  # a second Finish (a resend) says nothing
        return services.workout_finish(user=user, workout=workout)

    workout, done = _workout_action(request, workout_id, finish)
    ended = workout.finished_at
    if (
        done
        and was_open == [True]
        and ended is not None
        and timezone.now() - ended > services.LEFT_OPEN_AFTER
    ):
        local = ended.astimezone(selectors.time_zone_for(selectors.preferences_for(user=workout.user)))
        messages.info(
            request,
            f"This workout was left open, so it ends at its last set: {local:%a} {local.day} {local:%b, %H:%M}.",
        )
    return redirect(workout_url(workout))


@login_required
@require_POST
def workout_resume(request: AuthenticatedHttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout, _done = _workout_action(request, workout_id, services.workout_resume)
    return redirect(workout_url(workout))


@login_required
@require_POST
def workout_discard(request: AuthenticatedHttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    workout, done = _workout_action(request, workout_id, services.workout_discard)
    if not done:
        return redirect(workout_url(workout))
    messages.success(request, "Workout deleted.")
    return redirect("training:start")
