"""Logging a set (the interface of issue 14: ``POST /training/<workout id>/sets/``), editing,
deleting and undoing."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from hypertroq.forms import add_service_errors, error_text
from hypertroq.http import wants_partial
from training import selectors, services
from training.forms import (
    SetEditForm,
    SetForm,
)
from training.page import set_row
from training.views.common import display_weight, weight_step, workout_url

# --- Sets -------------------------------------------------------------------------------------------


@login_required
@require_POST
def set_create(request: AuthenticatedHttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """Log one set: ``exercise``, ``weight`` (lifter's unit), ``reps``, ``rir`` (optional),
    ``set_type``, ``client_id``. Resending the same ``client_id`` changes nothing (2xx again).

    htmx/fetch (``HX-Request``): 201 with the new set's row (200 for a resend); 422 with the
    errors. Plain form: redirect back to the exercise on the workout page."""
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    prefs = selectors.preferences_for(user=workout.user)
    form = SetForm(request.POST, prefs=prefs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            logged = services.set_log(
                user=workout.user,
                workout=workout,
                exercise_id=data["exercise"],
                weight_kg=data["weight"],
                reps=data["reps"],
                rir=data["rir"],
                set_type=data["set_type"],
                client_id=data["client_id"],
                side=data["side"] or None,
                note=data["note"],
                logged_at=data["logged_at"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            row = set_row(logged.set_log, logged.set_log.order_index + 1, prefs, logged.records)
            if wants_partial(request):
                return render(
                    request,
                    "training/workout_detail.html#set-logged",
                    {"row": row, "workout": workout, "created": logged.created, "prefs": prefs},
                    status=201 if logged.created else 200,
                )
            if logged.records:
                messages.success(request, f"New personal record: {', '.join(row.record_labels)}.")
            return HttpResponseRedirect(workout_url(workout, f"entry-{logged.set_log.workout_exercise_id}"))
    if wants_partial(request):
        return render(request, "training/workout_detail.html#set-errors", {"form": form}, status=422)
    for name, errors in form.errors.items():
        label = "" if name == "__all__" else f"{form.fields[name].label or name}: "
        messages.error(request, label + " ".join(str(e) for e in errors))
    return HttpResponseRedirect(workout_url(workout))


@login_required
@require_http_methods(["GET", "POST"])
def set_edit(request: AuthenticatedHttpRequest, workout_id: uuid.UUID, set_id: uuid.UUID) -> HttpResponse:
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    set_log = selectors.set_get_for_workout(workout=workout, set_id=set_id)
    set_log.workout_log = workout
    prefs = selectors.preferences_for(user=workout.user)
    if request.method == "POST":
        form = SetEditForm(request.POST, prefs=prefs, auto_id="edit-%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_update(
                    user=workout.user,
                    set_log=set_log,
                    weight_kg=data["weight"],
                    reps=data["reps"],
                    rir=data["rir"],
                    set_type=data["set_type"],
                    side=data["side"] or None,
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Set saved.")
                return redirect(workout_url(workout, f"entry-{set_log.workout_exercise_id}"))
    else:
        form = SetEditForm(
            initial={
                "weight": display_weight(set_log.weight_kg, prefs),
                "reps": set_log.reps,
                "rir": f"{set_log.rir:.1f}".removesuffix(".0") if set_log.rir is not None else "",
                "set_type": set_log.set_type,
                "side": set_log.side or "",
                "note": set_log.note,
            },
            prefs=prefs,
            auto_id="edit-%s",
        )
    return render(
        request,
        "training/set_edit.html",
        {
            "form": form,
            "workout": workout,
            "set_log": set_log,
            "prefs": prefs,
            "weight_step": weight_step(prefs),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def set_delete(request: AuthenticatedHttpRequest, workout_id: uuid.UUID, set_id: uuid.UUID) -> HttpResponse:
    """Delete a set; the page then offers Undo."""
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    set_log = selectors.set_get_for_workout(workout=workout, set_id=set_id)
    set_log.workout_log = workout
    try:
        services.set_delete(user=workout.user, set_log=set_log)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(workout_url(workout))
    return redirect(f"{workout_url(workout)}?deleted={set_log.pk}#undo")


@login_required
@require_POST
def set_restore(request: AuthenticatedHttpRequest, workout_id: uuid.UUID, set_id: uuid.UUID) -> HttpResponse:
    """Undo a set's deletion."""
    user = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    set_log = selectors.set_get_for_workout(workout=workout, set_id=set_id, deleted=True)
    set_log.workout_log = workout
    try:
        services.set_restore(user=workout.user, set_log=set_log)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Set restored.")
    return redirect(workout_url(workout, f"entry-{set_log.workout_exercise_id}"))
