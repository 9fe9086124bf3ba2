"""The program builder: sessions, session exercises, the exercise picker; htmx partial swaps with
the volume panel refreshed out of band; plain POST + redirect without JavaScript."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from accounts.quota import AIQuotaExceeded
from accounts.tiers import READ_ONLY_MESSAGE, is_read_only
from exercises.domain import Equipment, Muscle
from exercises.embeddings import EmbeddingUnavailable
from exercises.forms import ExerciseFilterForm
from exercises.selectors import exercise_search
from exercises.services import exercise_semantic_search_for_user
from hypertroq.forms import add_service_errors, error_text
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import asks_ai, ratelimit
from programs import services
from programs.forms import (
    MoveForm,
    ProgramUpdateForm,
    SessionExerciseAddForm,
    SessionForm,
)
from programs.models import StructureType, TrainingProgram
from programs.selectors import (
    program_get_for_owner,
    session_ends,
    session_get_deleted_for_owner,
    session_get_for_owner,
)
from programs.views.common import (
    SESSION_URLS,
    BuilderSession,
    bad_request,
    builder_context,
    builder_url,
    fill_urls,
    fragment,
    render_builder,
    toast_html,
    toast_only,
    undo_message,
    url_patterns,
    volume_html,
)

PAGE = "programs/program_detail.html"
PICKER_LIMIT = 10
SEMANTIC_UNAVAILABLE = "Search by description is unavailable right now; search by name still works."


@require_GET
@login_required
@vary_on_headers("HX-Request")
def program_detail(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_for_owner(user=request.user, program_id=program_id)
    return render_builder(request, program)


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def program_update(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_for_owner(user=request.user, program_id=program_id)
    form = ProgramUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.program_update(
                user=request.user,
                program=program,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                frequency=form.cleaned_data.get("frequency"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        if wants_partial(request):
            context = builder_context(request, program)
            context["program_form"] = form
            return fragment(request, f"{PAGE}#program-settings", context)
        return render_builder(request, program, status=400, program_form=form)
    if wants_partial(request):
        context = builder_context(request, program)
        extra = volume_html(request, context["volume"], context["program"].pk) + toast_html(
            request, "Program saved."
        )
        return fragment(request, f"{PAGE}#program-settings", context, extra=extra)
    messages.success(request, "Program saved.")
    return redirect(builder_url(program))


# --- Sessions --------------------------------------------------------------------------------------


def _sessions_response(
    request: HtmxHttpRequest,
    program: TrainingProgram,
    *,
    message: str = "",
    level: str = "success",
    undo: dict[str, Any] | None = None,
    anchor: str = "",
    **extra: Any,
) -> HttpResponse:
    """htmx: the sessions region re-rendered + volume panel (OOB) + toast; else redirect."""
    if wants_partial(request):
        context = builder_context(request, program)
        context.update(extra)
        if extra:  # a form with errors: not the cached region
            context["sessions_key"] = ""
        forms = extra.get("session_forms") or {}
        if forms:
            for session in context["sessions"]:
                session.form = forms.get(session.id)
        oob = volume_html(request, context["volume"], context["program"].pk)
        if message:
            oob += toast_html(request, message, level=level, undo=undo)
        return fragment(request, f"{PAGE}#sessions-region", context, extra=oob)
    if message:
        getattr(messages, level)(request, message)
    return redirect(builder_url(program, anchor))


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_add(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_for_owner(user=request.user, program_id=program_id)
    weekly = program.structure_type == StructureType.WEEKLY
    form = SessionForm(request.POST, weekly=weekly)
    session = None
    if form.is_valid():
        try:
            session = services.session_create(
                user=request.user,
                program=program,
                name=form.cleaned_data["name"],
                day_of_week=form.cleaned_data.get("day_of_week"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if session is None:
        if wants_partial(request):
            return _sessions_response(
                request,
                program,
                message="The session was not added: see the form.",
                level="error",
                session_add_form=form,
            )
        return render_builder(request, program, status=400, session_add_form=form)
    return _sessions_response(
        request, program, message=f"Added session “{session.name}”.", anchor=f"session-{session.pk}"
    )


@require_GET
@login_required
@vary_on_headers("HX-Request")
def session_actions(request: AuthenticatedHttpRequest, program_id: UUID, session_id: UUID) -> HttpResponse:
    """A session's actions (move up/down, rename or change day, delete). The builder's session menu
    fetches them when it is first opened (htmx: the menu's forms, answering with the sessions
    region); without JavaScript the menu links here, a page whose plain forms post to the same
    URLs, which redirect back to the builder."""
    session = session_get_for_owner(user=request.user, session_id=session_id, program_id=program_id)
    program = session.program
    first, last = session_ends(session=session)
    context = {
        "program": program,
        "session": BuilderSession(
            id=str(session.pk),
            name=session.name,
            day_of_week=session.day_of_week,
            order_index=session.order_index,
            urls=fill_urls(url_patterns(program.pk), SESSION_URLS, str(session.pk)),
        ),
        "first": first,
        "last": last,
        "weekly": program.structure_type == StructureType.WEEKLY,
        "editable": not is_read_only(program.user),
    }
    if wants_partial(request):
        if not context["editable"]:
            return toast_only(request, READ_ONLY_MESSAGE)
        return render(request, "programs/session_actions.html#session-menu", context)
    return render(request, "programs/session_actions.html", context)


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_update(request: AuthenticatedHttpRequest, program_id: UUID, session_id: UUID) -> HttpResponse:
    session = session_get_for_owner(user=request.user, session_id=session_id, program_id=program_id)
    program = session.program
    form = SessionForm(request.POST, weekly=program.structure_type == StructureType.WEEKLY)
    if form.is_valid():
        try:
            services.session_update(
                user=request.user,
                session=session,
                name=form.cleaned_data["name"],
                day_of_week=form.cleaned_data.get("day_of_week"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        forms = {str(session.pk): form}
        if wants_partial(request):
            return _sessions_response(
                request,
                program,
                message="The session was not changed: see the form.",
                level="error",
                session_forms=forms,
            )
        return render_builder(request, program, status=400, session_forms=forms)
    return _sessions_response(request, program, message="Session saved.", anchor=f"session-{session.pk}")


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_move(request: AuthenticatedHttpRequest, program_id: UUID, session_id: UUID) -> HttpResponse:
    session = session_get_for_owner(user=request.user, session_id=session_id, program_id=program_id)
    program = session.program
    form = MoveForm(request.POST)
    if not form.is_valid():
        return bad_request(request, program, "Move up or down.")
    try:
        services.session_move(user=request.user, session=session, direction=form.cleaned_data["direction"])
    except ValidationError as exc:
        return bad_request(request, program, error_text(exc))
    return _sessions_response(
        request,
        program,
        message=f"Moved “{session.name}” {form.cleaned_data['direction']}.",
        anchor=f"session-{session.pk}",
    )


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_delete(request: AuthenticatedHttpRequest, program_id: UUID, session_id: UUID) -> HttpResponse:
    session = session_get_for_owner(user=request.user, session_id=session_id, program_id=program_id)
    program = session.program
    try:
        services.session_delete(user=request.user, session=session)
    except ValidationError as exc:
        return bad_request(request, program, error_text(exc))
    undo = {
        "url": reverse(
            "programs:session_restore", kwargs={"program_id": program.pk, "session_id": session.pk}
        ),
        "target": "#sessions-region",
        "fields": {},
        "label": f"Undo: restore session {session.name}",
    }
    if not wants_partial(request):
        messages.success(request, undo_message(request, f"Deleted session “{session.name}”.", undo))
        return redirect(builder_url(program))
    return _sessions_response(request, program, message=f"Deleted session “{session.name}”.", undo=undo)


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def session_restore(request: AuthenticatedHttpRequest, program_id: UUID, session_id: UUID) -> HttpResponse:
    session = session_get_deleted_for_owner(user=request.user, session_id=session_id, program_id=program_id)
    program = session.program
    try:
        services.session_restore_for_owner(user=request.user, session=session)
    except ValidationError as exc:
        return bad_request(request, program, error_text(exc))
    return _sessions_response(
        request, program, message=f"Restored session “{session.name}”.", anchor=f"session-{session.pk}"
    )


# --- The exercise picker ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@vary_on_headers("HX-Request")
@ratelimit(group="ai_query", key="user", methods=("GET", "POST"), when=asks_ai)
def session_picker(request: AuthenticatedHttpRequest, program_id: UUID, session_id: UUID) -> HttpResponse:
    """Exercise search for one session: the library's name search and filters, or a description
    search (one AI query, only when asked for explicitly, and only by a POST: a GET link with
    ``ask`` shows a search already paid for, or the form filled in and nothing spent)."""
    session = session_get_for_owner(user=request.user, session_id=session_id, program_id=program_id)
    program = session.program
    # The picker's selects send "" for "any": drop blanks so the library form doesn't flag them.
    params = (request.POST if request.method == "POST" else request.GET).copy()
    params.pop("csrfmiddlewaretoken", None)
    for key in list(params.keys()):
        params.setlist(key, [v for v in params.getlist(key) if v.strip()])
    form = ExerciseFilterForm(params)
    filters = form.filters()
    notice = " ".join(form.problems())
    results: list[Any] = []
    searched = bool(filters.query or filters.ask or filters.muscles or filters.equipment)
    if filters.ask:
        try:
            found = exercise_semantic_search_for_user(
                user=request.user,
                text=filters.ask,
                limit=PICKER_LIMIT,
                charge=request.method == "POST",
                **filters.selector_kwargs(),
            )
            if found is None:
                notice = "Press Search to find exercises by description (uses 1 AI query)."
            else:
                results = found
        except AIQuotaExceeded as exc:
            notice = exc.messages[0]
        except (EmbeddingUnavailable, PermissionDenied):
            notice = SEMANTIC_UNAVAILABLE
    elif searched:
        results = list(
            exercise_search(user=request.user, query=filters.query, **filters.selector_kwargs())[
                :PICKER_LIMIT
            ]
        )
    context = {
        "program": program,
        "session": session,
        "results": results,
        "searched": searched,
        "notice": notice,
        "query": filters.query or filters.ask,
        "filters": filters,
        "add_form": SessionExerciseAddForm(initial={"sets": 3, "reps": "8-12"}),
    }
    if wants_partial(request):
        return render(request, "programs/partials/picker_results.html", context)
    # The page (no JavaScript): the builder's pickers link here for the muscle and equipment filters.
    context["muscle_choices"] = Muscle.choices
    context["equipment_choices"] = Equipment.choices
    return render(request, "programs/session_picker.html", context)
