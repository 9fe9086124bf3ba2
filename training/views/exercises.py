"""Adding, swapping and skipping exercises in one workout (the program stays as it is)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from exercises.selectors import exercise_substitutes, normalise_query
from hypertroq.forms import error_text
from training import selectors, services
from training.views.common import workout_url

# --- Exercises of the workout -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exercise_add(request: AuthenticatedHttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """GET: search the library (``q``). POST ``exercise``: add it to this workout (not the program)."""
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    if request.method == "POST":
        exercise = selectors.exercise_addable(user=user, exercise_id=request.POST.get("exercise", ""))
        try:
            entry = services.workout_exercise_add(user=workout.user, workout=workout, exercise=exercise)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect(workout_url(workout))
        return redirect(workout_url(workout, f"entry-{entry.pk}"))
    query = normalise_query(request.GET.get("q", "").replace("\x00", ""))
    return render(
        request,
        "training/exercise_add.html",
        {
            "workout": workout,
            "query": query,
            "choices": selectors.exercise_choices_for(user=user, query=query),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise_swap(
    request: AuthenticatedHttpRequest, workout_id: uuid.UUID, entry_id: uuid.UUID
) -> HttpResponse:
    """GET: substitutes from the library (same prime movers). POST ``exercise``: do it instead,
    in this workout only."""
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    entry = selectors.workout_entry_get(workout=workout, entry_id=entry_id)
    entry.workout_log = workout
    if request.method == "POST":
        exercise = selectors.exercise_addable(user=user, exercise_id=request.POST.get("exercise", ""))
        try:
            services.workout_exercise_swap(user=workout.user, entry=entry, exercise=exercise)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect(workout_url(workout, f"entry-{entry.pk}"))
    return render(
        request,
        "training/exercise_swap.html",
        {
            "workout": workout,
            "entry": entry,
            "substitutes": exercise_substitutes(exercise=entry.exercise, user=user, limit=8),
        },
    )


@login_required
@require_POST
def exercise_skip(
    request: AuthenticatedHttpRequest, workout_id: uuid.UUID, entry_id: uuid.UUID
) -> HttpResponse:
    """Skip a planned exercise today (``skipped=0`` to take it back)."""
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    entry = selectors.workout_entry_get(workout=workout, entry_id=entry_id)
    entry.workout_log = workout
    try:
        services.workout_exercise_skip(
            user=workout.user, entry=entry, skipped=request.POST.get("skipped", "1") != "0"
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(workout_url(workout, f"entry-{entry.pk}"))
