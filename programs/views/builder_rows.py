"""The program builder's session exercises: add (from the picker), save a row, move, remove (with
Undo), substitutes and swap; htmx swaps the session's list or the row, with the volume panel out of
band; plain POST + redirect without JavaScript."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from accounts.http import AuthenticatedHttpRequest
from accounts.tiers import is_read_only
from exercises.selectors import exercise_get_visible, exercise_substitutes
from hypertroq.forms import add_service_errors, error_text
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import ratelimit
from programs import services
from programs.forms import MoveForm, PrescriptionForm, SessionExerciseAddForm, SwapForm
from programs.models import TrainingProgram
from programs.selectors import session_exercise_ends, session_exercise_get_for_owner, session_get_for_owner
from programs.views.builder import PAGE
from programs.views.common import (
    bad_request,
    builder_context,
    builder_url,
    fragment,
    item_from_model,
    render_builder,
    toast_html,
    toast_only,
    undo_message,
    volume_html,
)


def _items_response(
    request: HtmxHttpRequest,
    program: TrainingProgram,
    session_id: str,
    *,
    message: str,
    undo: dict[str, Any] | None = None,
) -> HttpResponse:
    """htmx: the session's exercise list (from the one volume query) + volume (OOB) + toast."""
    if not wants_partial(request):
        messages.success(request, undo_message(request, message, undo) if undo else message)
        return redirect(builder_url(program, f"session-{session_id}"))
    context = builder_context(request, program)
    session = next((s for s in context["sessions"] if s.id == str(session_id)), None)
    if session is None:
        raise Http404("No such session.")
    context["session"] = session
    extra = volume_html(request, context["volume"], context["program"].pk) + toast_html(
        request, message, undo=undo
    )
    # A row's Move/Remove buttons submit the row's form (formaction), whose own target is the row:
    # the answer is the session's list, so it says where it goes.
    response = fragment(request, f"{PAGE}#exercise-list", context, extra=extra)
    return reswap(retarget(response, f"#items-{session_id}"), "outerHTML")


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_exercise_add(
    request: AuthenticatedHttpRequest, program_id: UUID, session_id: UUID
) -> HttpResponse:
    session = session_get_for_owner(user=request.user, session_id=session_id, program_id=program_id)
    program = session.program
    form = SessionExerciseAddForm(request.POST)
    added = None
    if form.is_valid():
        try:
            exercise = exercise_get_visible(user=request.user, exercise_id=form.cleaned_data["exercise"])
        except Http404:
            form.add_error("exercise", "That exercise is not in your library.")
        else:
            try:
                added = services.session_exercise_add(
                    user=request.user,
                    session=session,
                    exercise=exercise,
                    sets=form.cleaned_data["sets"],
                    reps=form.cleaned_data["reps"],
                    rest_seconds=form.cleaned_data["rest_seconds"],
                    notes=form.cleaned_data["notes"],
                    position=form.cleaned_data.get("position"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
    if added is None:
        problems = "; ".join(f"{msg}" for errors in form.errors.values() for msg in errors)
        message = f"Not added: {problems}"
        if wants_partial(request):
            return toast_only(request, message, level="error")
        messages.error(request, message)
        return redirect(builder_url(program, f"session-{session.pk}"))
    verb = "Restored" if form.cleaned_data.get("position") is not None else "Added"
    return _items_response(
        request, program, str(session.pk), message=f"{verb} {added.exercise.name} in {session.name}."
    )


def _row_response(
    request: HtmxHttpRequest,
    program: TrainingProgram,
    se: Any,
    *,
    errors: Any = None,
    values: Any = None,
    status: int = 200,
    editing: bool = False,
    editable: bool = True,
) -> HttpResponse:
    """The row: shown (after a save, or Close), or its form (``editing``, or errors to show)."""
    row_state = {str(se.pk): {"errors": errors, "values": values}} if errors else {}
    context = {
        "program": program,
        "item": item_from_model(se),
        "editable": editable,
        "row_state": row_state,
        "editing_row": str(se.pk) if editing else "",
    }
    return fragment(request, f"{PAGE}#exercise-row", context, status=status)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def session_exercise_edit(
    request: AuthenticatedHttpRequest, program_id: UUID, session_exercise_id: UUID
) -> HttpResponse:
    """A row's form. htmx (a tap on the row in the builder): the row as a form in place, or with
    ``?show=1`` (Close) the row shown again. Without JavaScript: a page of its own with the same
    form and actions, which post plainly and come back to the builder."""
    se = session_exercise_get_for_owner(
        user=request.user, session_exercise_id=session_exercise_id, program_id=program_id
    )
    program = se.session.program
    editable = not is_read_only(request.user)
    if wants_partial(request):
        return _row_response(
            request, program, se, editing=editable and not request.GET.get("show"), editable=editable
        )
    first, last = session_exercise_ends(session_exercise=se)
    context = {
        "program": program,
        "session": se.session,
        "item": item_from_model(se),
        "editable": editable,
        "editing_row": str(se.pk),
        "standalone_row": True,
        "first": first,
        "last": last,
    }
    return render(request, "programs/session_exercise_edit.html", context)


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_exercise_update(
    request: AuthenticatedHttpRequest, program_id: UUID, session_exercise_id: UUID
) -> HttpResponse:
    se = session_exercise_get_for_owner(
        user=request.user, session_exercise_id=session_exercise_id, program_id=program_id
    )
    program = se.session.program
    form = PrescriptionForm(request.POST)
    if form.is_valid():
        try:
            services.session_exercise_update(user=request.user, session_exercise=se, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        errors = {
            ("general" if name == "__all__" else name): " ".join(str(e) for e in errs)
            for name, errs in form.errors.items()
        }
        values = {name: request.POST.get(name, "") for name in ("sets", "reps", "rest_seconds", "notes")}
        if wants_partial(request):
            response = _row_response(request, program, se, errors=errors, values=values)
            response.content += toast_html(
                request, f"{se.exercise.name} not saved: check the highlighted field.", level="error"
            ).encode()
            return response
        return render_builder(
            request, program, status=400, row_state={str(se.pk): {"errors": errors, "values": values}}
        )
    if wants_partial(request):
        context = builder_context(request, program)
        response = _row_response(request, program, se)
        response.content += (
            volume_html(request, context["volume"], context["program"].pk)
            + toast_html(request, f"Saved {se.exercise.name}.")
        ).encode()
        return response
    messages.success(request, f"Saved {se.exercise.name}.")
    return redirect(builder_url(program, f"se-{se.pk}"))


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_exercise_move(
    request: AuthenticatedHttpRequest, program_id: UUID, session_exercise_id: UUID
) -> HttpResponse:
    se = session_exercise_get_for_owner(
        user=request.user, session_exercise_id=session_exercise_id, program_id=program_id
    )
    program = se.session.program
    form = MoveForm(request.POST)
    if not form.is_valid():
        return bad_request(request, program, "Move up or down.")
    services.session_exercise_move(
        user=request.user, session_exercise=se, direction=form.cleaned_data["direction"]
    )
    return _items_response(
        request,
        program,
        str(se.session_id),
        message=f"Moved {se.exercise.name} {form.cleaned_data['direction']}.",
    )


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_exercise_remove(
    request: AuthenticatedHttpRequest, program_id: UUID, session_exercise_id: UUID
) -> HttpResponse:
    se = session_exercise_get_for_owner(
        user=request.user, session_exercise_id=session_exercise_id, program_id=program_id
    )
    program = se.session.program
    removed = services.session_exercise_remove(user=request.user, session_exercise=se)
    undo = {
        "url": reverse(
            "programs:session_exercise_add",
            kwargs={"program_id": program.pk, "session_id": removed.session_id},
        ),
        "target": f"#items-{removed.session_id}",
        "label": f"Undo: put {removed.exercise_name} back",
        "fields": {
            "exercise": removed.exercise_id,
            "sets": removed.sets,
            "reps": removed.reps or "",
            "rest_seconds": "" if removed.rest_seconds is None else removed.rest_seconds,
            "notes": removed.notes or "",
            "position": removed.position,
        },
    }
    return _items_response(
        request, program, removed.session_id, message=f"Removed {removed.exercise_name}.", undo=undo
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
def session_exercise_substitutes(
    request: AuthenticatedHttpRequest, program_id: UUID, session_exercise_id: UUID
) -> HttpResponse:
    se = session_exercise_get_for_owner(
        user=request.user, session_exercise_id=session_exercise_id, program_id=program_id
    )
    program = se.session.program
    substitutes = exercise_substitutes(exercise=se.exercise, user=request.user, limit=6)
    context = {"program": program, "se": se, "substitutes": substitutes}
    if wants_partial(request):
        return render(request, "programs/partials/substitutes.html", context)
    return render(request, "programs/session_exercise_swap.html", context)


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_exercise_swap(
    request: AuthenticatedHttpRequest, program_id: UUID, session_exercise_id: UUID
) -> HttpResponse:
    se = session_exercise_get_for_owner(
        user=request.user, session_exercise_id=session_exercise_id, program_id=program_id
    )
    program = se.session.program
    form = SwapForm(request.POST)
    if not form.is_valid():
        return bad_request(request, program, "Choose an exercise to swap in.")
    try:
        exercise = exercise_get_visible(user=request.user, exercise_id=form.cleaned_data["exercise"])
    except Http404:
        return bad_request(request, program, "That exercise is not in your library.")
    old_name = se.exercise.name
    try:
        services.session_exercise_swap(user=request.user, session_exercise=se, exercise=exercise)
    except ValidationError as exc:
        return bad_request(request, program, error_text(exc))
    return _items_response(
        request, program, str(se.session_id), message=f"Swapped {old_name} for {exercise.name}."
    )
