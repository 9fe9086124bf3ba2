"""Programs list, create, duplicate, delete (with Undo), trash, templates and preferences."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from accounts.tiers import is_read_only, max_active_programs
from hypertroq.forms import add_service_errors, error_text
from hypertroq.http import HtmxHttpRequest, wants_partial, with_csrf
from hypertroq.ratelimit import ratelimit
from programs import services
from programs.forms import ProgramCreateForm
from programs.fragments import cached_html, fragment_key, markup_stamp
from programs.selectors import (
    program_get_deleted_for_owner,
    program_get_for_owner,
    program_list_for_user,
    program_trash_for_user,
    program_volume_with_sessions,
    programs_volume_for,
    template_get,
    template_list,
    template_list_stamp,
    volume_settings_for,
)
from programs.views.common import builder_sessions, toast_html, undo_message

LIST = "programs/program_list.html"


def _list_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    programs = list(program_list_for_user(user=request.user))
    limit = max_active_programs(request.user)
    return {
        "programs": programs,
        "limit": limit,
        "at_limit": limit is not None and len(programs) >= limit,
        "read_only": is_read_only(request.user),
    }


@require_GET
@login_required
@vary_on_headers("HX-Request")
def program_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, LIST, _list_context(request))


@require_http_methods(["GET", "POST"])
@login_required
@ratelimit(group="program_create", key="user")
def program_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProgramCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(
                user=request.user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                structure_type=form.cleaned_data["structure_type"],
                frequency=form.cleaned_data.get("frequency"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Created “{program.name}”. Add its sessions below.")
            return redirect("programs:detail", program_id=program.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "programs/program_form.html", {"form": form}, status=status)


def _list_or_redirect(
    request: AuthenticatedHttpRequest,
    message: str,
    *,
    level: str = "success",
    undo: dict[str, Any] | None = None,
) -> HttpResponse:
    if wants_partial(request):
        response = render(request, f"{LIST}#program-table", _list_context(request))
        response.content += toast_html(request, message, level=level, undo=undo).encode()
        return response
    if undo:
        messages.success(request, undo_message(request, message, undo))
    else:
        getattr(messages, level)(request, message)
    return redirect("programs:list")


@require_POST
@login_required
@ratelimit(group="program_clone", key="user")
def program_duplicate(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_for_owner(user=request.user, program_id=program_id)
    try:
        copy = services.program_duplicate(user=request.user, program=program)
    except ValidationError as exc:
        return _list_or_redirect(request, error_text(exc), level="error")
    return _list_or_redirect(request, f"Duplicated as “{copy.name}”.")


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def program_delete(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_for_owner(user=request.user, program_id=program_id)
    try:
        services.program_delete(user=request.user, program=program)
    except ValidationError as exc:
        return _list_or_redirect(request, error_text(exc), level="error")
    undo = {
        "url": reverse("programs:restore", kwargs={"program_id": program.pk}),
        "target": "#program-table",
        "label": f"Undo: restore {program.name}",
        "fields": {},
    }
    return _list_or_redirect(request, f"Moved “{program.name}” to the trash.", undo=undo)


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def program_restore(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_deleted_for_owner(user=request.user, program_id=program_id)
    try:
        services.program_restore_for_owner(user=request.user, program=program)
    except ValidationError as exc:
        if request.POST.get("from") == "trash" and not wants_partial(request):
            messages.error(request, error_text(exc))
            return redirect("programs:trash")
        return _list_or_redirect(request, error_text(exc), level="error")
    if request.POST.get("from") == "trash" and not wants_partial(request):
        messages.success(request, f"Restored “{program.name}”.")
        return redirect("programs:trash")
    return _list_or_redirect(request, f"Restored “{program.name}”.")


@require_GET
@login_required
def program_trash(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "programs/program_trash.html", {"programs": program_trash_for_user(user=request.user)}
    )


# --- Templates -------------------------------------------------------------------------------------


@require_GET
def template_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """The template cards come from the cache, under the templates' stamp (they change only when
    staff edit a template) and the viewer's volume settings (landmarks colour the bars)."""
    settings = volume_settings_for(user=request.user)

    def render_cards() -> str:
        templates = list(template_list())
        volumes = programs_volume_for(programs=templates, user=request.user)
        for template in templates:
            template.volume = volumes[str(template.pk)]  # type: ignore[attr-defined]
        return render_to_string(
            "programs/partials/template_cards.html", {"templates": templates}, request=request
        )

    key = fragment_key("template-list", template_list_stamp(), settings, markup_stamp())
    return render(
        request, "programs/template_list.html", {"cards": with_csrf(request, cached_html(key, render_cards))}
    )


@require_GET
def template_detail(request: HtmxHttpRequest, template_id: UUID) -> HttpResponse:
    template = template_get(template_id=template_id)
    volume, rows = program_volume_with_sessions(program=template, user=request.user)
    return render(
        request,
        "programs/template_detail.html",
        {
            "template": template,
            "volume": volume,
            "sessions": builder_sessions(template, rows),
            "preferences_url": reverse("preferences:page") + "#volume"
            if request.user.is_authenticated
            else "",
        },
    )


@require_POST
@login_required
@ratelimit(group="program_clone", key="user")
def template_use(request: AuthenticatedHttpRequest, template_id: UUID) -> HttpResponse:
    template = template_get(template_id=template_id)
    try:
        program = services.template_use(user=request.user, template=template)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("programs:template_detail", template_id=template.pk)
    messages.success(request, f"“{program.name}” is now in your programs: make it yours.")
    return redirect("programs:detail", program_id=program.pk)


# --- Preferences -----------------------------------------------------------------------------------


@require_GET
@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The volume preferences are a section of the one preferences page now."""
    return redirect(reverse("preferences:page") + "#volume")
