"""The Imports pages: upload a file, review the exercise names, follow the progress, undo.

The upload refuses a file over the size limit before reading it: the request's Content-Length is
checked before the body is parsed (the CSRF check itself would read the body), and an upload
handler stops a body that turns out longer than it said.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.tiers import can_create_custom_exercises
from hypertroq.forms import error_text
from hypertroq.http import HtmxHttpRequest, wants_partial
from training.imports import selectors
from training.imports.formats import FORMAT_LABELS
from training.imports.forms import UploadForm, read_review
from training.imports.mapping import ACCEPT_THRESHOLD
from training.imports.models import HistoryImport, ImportStatus
from training.imports.reading import MAX_IMPORT_BYTES, ImportFileError, Problem
from training.imports.services import (
    MAP,
    Decision,
    import_confirm,
    import_discard,
    import_prepare,
    import_undo,
)

# How a match was found, in the lifter's words.
SOURCES = {
    "remembered": "you chose it before",
    "export id": "the same exercise as in the export",
    "exact name": "same name",
    "alias": "another name for it",
    "name search": "similar name",
    "meaning": "similar meaning",
}
# Room for the multipart envelope and the other fields around the file.
BODY_SLACK = 64 * 1024


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes ``MAX_IMPORT_BYTES``."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > MAX_IMPORT_BYTES:
            self.request.import_too_large = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_large(request: HttpRequest) -> HttpResponse:
    size = int(request.META.get("CONTENT_LENGTH") or 0)
    problem = Problem(
        (f"The file is {size / 1024 / 1024:.1f} MB; " if size else "The file is too large; ")
        + f"the limit is {MAX_IMPORT_BYTES // 1024 // 1024} MB. Export a shorter period."
    )
    return _list_page(request, UploadForm(), problems=[problem], status=413)


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def import_index(request: HttpRequest) -> HttpResponse:
    """GET: the lifter's imports and the upload form. POST (multipart ``file``, ``unit``): read
    the file; a file that cannot be imported gets the list of problems (row and column)."""
    if request.method == "POST":
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_IMPORT_BYTES + BODY_SLACK:
            return _too_large(request)  # nothing read, nothing changed: no CSRF check needed
        request.upload_handlers = [SizeLimitHandler(request), *request.upload_handlers]
    return _import_index(request)


@csrf_protect
def _import_index(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if getattr(request, "import_too_large", False):
        return _too_large(request)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    try:
        history_import = import_prepare(
            user=request.user,
            data=upload.read(MAX_IMPORT_BYTES + 1),
            file_name=upload.name or "",
            unit=form.cleaned_data["unit"] or None,
        )
    except ImportFileError as exc:
        return _list_page(request, form, problems=exc.problems, total=exc.total, status=400)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("training:imports")
    return redirect("training:import_detail", import_id=history_import.pk)


def _list_page(
    request: HttpRequest,
    form: UploadForm,
    *,
    problems: list[Problem] | None = None,
    total: int = 0,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "training/imports/import_index.html",
        {
            "form": form,
            "imports": selectors.import_list(user=request.user),
            "problems": problems or [],
            "more_problems": max(0, total - len(problems or [])),
            "formats": FORMAT_LABELS,
        },
        status=status,
    )


@login_required
@require_GET
def import_detail(request: HtmxHttpRequest, import_id: Any) -> HttpResponse:
    """One import: the review table while waiting for the lifter, the progress bar while it runs
    (htmx polls this view's ``import-progress`` partial; without JavaScript the page reloads
    itself), then the counts and Undo."""
    history_import = selectors.import_get(user=request.user, import_id=import_id)
    if wants_partial(request):
        if history_import.is_active:
            return render(
                request,
                "training/imports/import_detail.html#import-progress",
                {"history_import": history_import},
            )
        return HttpResponseClientRefresh()
    return _detail_page(request, history_import)


def _detail_page(
    request: HttpRequest,
    history_import: HistoryImport,
    *,
    errors: dict[str, str] | None = None,
    posted: Any = None,
    status: int = 200,
) -> HttpResponse:
    rows = []
    for index, entry in enumerate(history_import.names):
        picked = posted.get(f"choice-{index}") if posted is not None else None
        if picked is None:  # the suggestion (flagged when unsure), or skip when there is none
            has = entry.get("exercise_id") and not entry.get("remembered_skip")
            picked = f"map:{entry['exercise_id']}" if has else "skip"
        rows.append(
            {
                "index": index,
                "entry": entry,
                "picked": picked,
                "other": posted.get(f"other-{index}", "") if posted is not None else "",
                "error": (errors or {}).get(entry["name"], ""),
                "percent": round(100 * float(entry.get("confidence") or 0)),
                "source": SOURCES.get(entry.get("source", ""), ""),
                "sure": float(entry.get("confidence") or 0) >= ACCEPT_THRESHOLD,
            }
        )
    review = history_import.status == ImportStatus.REVIEW
    return render(
        request,
        "training/imports/import_detail.html",
        {
            "history_import": history_import,
            "format_label": FORMAT_LABELS.get(history_import.source_format, history_import.source_format),
            "rows": rows,
            "unit_error": (errors or {}).get("__unit__", ""),
            "errors": errors or {},
            "exercise_names": selectors.exercise_names_visible(user=request.user) if review else [],
            "can_create": review and can_create_custom_exercises(request.user),
            "previous": selectors.import_previous_of_file(user=request.user, history_import=history_import)
            if review
            else None,
            "set_total": sum(int(e.get("sets", 0)) for e in history_import.names),
        },
        status=status,
    )


@login_required
@require_POST
def import_confirm_view(request: HttpRequest, import_id: Any) -> HttpResponse:
    """POST the review table: each name's choice (and the unit when the file does not say)."""
    history_import = selectors.import_get(user=request.user, import_id=import_id)
    if history_import.status != ImportStatus.REVIEW:
        return redirect("training:import_detail", import_id=history_import.pk)
    review = read_review(request.POST, history_import.names, unit_asked=not history_import.unit_in_file)
    found = selectors.exercise_ids_by_name(user=request.user, names=review.typed.values())
    for name, typed in review.typed.items():
        if typed and typed.lower() in found:
            review.decisions[name] = Decision(MAP, found[typed.lower()])
        elif typed:
            review.errors[name] = f"No exercise called “{typed}”: pick one from the list."
    if review.errors:
        return _detail_page(request, history_import, errors=review.errors, posted=request.POST, status=400)
    try:
        import_confirm(
            user=request.user, history_import=history_import, decisions=review.decisions, unit=review.unit
        )
    except ValidationError as exc:
        return _detail_page(
            request, history_import, errors={"__unit__": error_text(exc)}, posted=request.POST, status=400
        )
    return redirect(reverse("training:import_detail", kwargs={"import_id": history_import.pk}))


@login_required
@require_POST
def import_undo_view(request: HttpRequest, import_id: Any) -> HttpResponse:
    """POST: remove every workout and set this import added."""
    history_import = selectors.import_get(user=request.user, import_id=import_id)
    try:
        done = import_undo(user=request.user, history_import=history_import)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, f"Import undone: {done.workouts_added} workouts and {done.sets_added} sets removed."
        )
    return redirect("training:imports")


@login_required
@require_POST
def import_discard_view(request: HttpRequest, import_id: Any) -> HttpResponse:
    """POST: drop an import waiting for review (nothing was added)."""
    history_import = selectors.import_get(user=request.user, import_id=import_id)
    try:
        import_discard(user=request.user, history_import=history_import)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "Import discarded: nothing was added.")
    return redirect("training:imports")
