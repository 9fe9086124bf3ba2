"""volume.json, export.json, import (file or pasted JSON) and the print page."""

from __future__ import annotations

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.http import AuthenticatedHttpRequest
from exercises.domain import Muscle
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import ratelimit
from programs import rendering
from programs.forms import ImportForm
from programs.selectors import program_get_for_owner, program_get_for_viewer, program_volume_with_sessions
from programs.transfer import (
    MAX_IMPORT_BYTES,
    ImportProblems,
    parse_import_text,
    program_export_data,
    program_import,
)
from programs.views.common import builder_sessions
from programs.volume import program_volume_json

# The whole request may carry the 1 MB file plus the form's other fields and multipart framing.
MAX_IMPORT_REQUEST_BYTES = MAX_IMPORT_BYTES + 64 * 1024
TOO_BIG = "The file is larger than 1 MB; a program export is far smaller. Nothing was imported."


@require_GET
@login_required
def volume_json(request: AuthenticatedHttpRequest, program_id: UUID) -> JsonResponse:
    """The program's weekly volume by the requesting user's counting rule and landmarks."""
    program = program_get_for_viewer(user=request.user, program_id=program_id)
    volume, _ = program_volume_with_sessions(program=program, user=request.user)
    return JsonResponse(program_volume_json(program_id=str(program.pk), volume=volume))


@require_GET
@login_required
@vary_on_headers("HX-Request")
def volume_muscle(request: AuthenticatedHttpRequest, program_id: UUID, muscle: str) -> HttpResponse:
    """A muscle's figures and where its weekly sets come from: the builder's volume panel fetches
    them when a muscle is first opened (htmx), and links here without JavaScript (a page of its
    own, showing the same)."""
    program = program_get_for_viewer(user=request.user, program_id=program_id)
    key = muscle.upper()
    if key not in Muscle.values:
        raise Http404("No such muscle.")
    volume, _ = program_volume_with_sessions(program=program, user=request.user)
    shown = volume.muscle(key)
    if wants_partial(request):
        return HttpResponse(rendering.muscle_detail(shown, volume.per_label))
    if program.user_id == request.user.pk:
        back = reverse("programs:detail", kwargs={"program_id": program.pk})
    else:
        back = reverse(
            "programs:member_program", kwargs={"member_id": program.user_id, "program_id": program.pk}
        )
    return render(
        request,
        "programs/volume_muscle.html",
        {
            "program": program,
            "muscle": shown,
            "volume": volume,
            "numbers": rendering.muscle_numbers(shown, volume.per_label),
            "table": rendering.contributors_table(shown),
            "back": back,
        },
    )


@require_GET
@login_required
def export_json(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_for_owner(user=request.user, program_id=program_id)
    body = json.dumps(program_export_data(program=program), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"{slugify(program.name) or 'program'}.hypertroq.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def program_print(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    program = program_get_for_viewer(user=request.user, program_id=program_id)
    volume, rows = program_volume_with_sessions(program=program, user=request.user)
    return render(
        request,
        "programs/program_print.html",
        {"program": program, "volume": volume, "sessions": builder_sessions(program, rows)},
    )


def _import_page(
    request: HtmxHttpRequest, form: ImportForm, problems: list[str], status: int = 200
) -> HttpResponse:
    return render(
        request, "programs/program_import.html", {"form": form, "problems": problems}, status=status
    )


@csrf_exempt  # CSRF is checked in _import_post, AFTER the size check (see below)
@require_http_methods(["GET", "POST"])
@login_required
@ratelimit(group="program_import", key="user")
def program_import_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import a program export. The size is checked from Content-Length BEFORE the body is read:
    CsrfViewMiddleware would otherwise parse (read) the whole multipart body to find the token, so
    this view is csrf_exempt and applies CSRF protection itself once the size is acceptable."""
    if request.method == "GET":
        return _import_page(request, ImportForm(), [])
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_IMPORT_REQUEST_BYTES + 1
    if length > MAX_IMPORT_REQUEST_BYTES:
        response = _import_page(request, ImportForm(), [TOO_BIG], status=413)
        response["Connection"] = "close"  # the unread body is not drained
        return response
    return _import_post(request)


@csrf_protect
def _import_post(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, ["Choose a file or paste the JSON."], status=400)
    upload = form.cleaned_data.get("file")
    text = form.cleaned_data.get("text") or ""
    if upload is None and not text.strip():
        return _import_page(request, form, ["Choose a file or paste the JSON."], status=400)
    try:
        if upload is not None:
            if upload.size > MAX_IMPORT_BYTES:
                raise ImportProblems([TOO_BIG])
            data = parse_import_text(upload.read(MAX_IMPORT_BYTES + 1))
        else:
            data = parse_import_text(text)
        program = program_import(user=request.user, data=data)
    except ImportProblems as exc:
        return _import_page(request, form, exc.problems, status=400)
    except ValidationError as exc:
        return _import_page(request, form, list(exc.messages), status=400)
    messages.success(request, f"Imported “{program.name}”.")
    return redirect("programs:detail", program_id=program.pk)
