"""Progress photo pages: upload and the gallery, the access-checked image views, compare, delete,
sharing with the coach, and a coach's view of a member's photos."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from body import photo_selectors, photo_services, services
from body.forms import PhotoUploadForm, SharingForm
from body.integrations import photo_storage
from body.uploads import TOO_LARGE, declared_too_large, limit_upload, was_too_large
from body.views import lifter_today
from hypertroq.forms import add_service_errors, error_text
from hypertroq.ratelimit import ratelimit


def _gallery(photos: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Photos grouped by day, newest day first."""
    days: dict[Any, list[Any]] = {}
    for photo in photos:
        days.setdefault(photo.taken_on, []).append(photo)
    return list(days.items())


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="photo_upload", key="user")
def photos(request: HttpRequest) -> HttpResponse:
    """The gallery and the upload form. The upload's size is limited while it is read
    (``body.uploads``); the CSRF check runs in ``_photos``, before anything is stored. A body
    declared too large is refused before it is read (nothing read, nothing changed)."""
    if request.method == "POST":
        if declared_too_large(request):
            return _page(
                request, PhotoUploadForm(initial={"taken_on": lifter_today(request.user)}), TOO_LARGE
            )
        limit_upload(request)
    return _photos(request)


@csrf_protect
def _photos(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = lifter_today(user)
    if request.method != "POST":
        return _page(request, PhotoUploadForm(initial={"taken_on": today}))
    form = PhotoUploadForm(request.POST, request.FILES)
    if was_too_large(request):
        return _page(request, PhotoUploadForm(initial={"taken_on": today}), TOO_LARGE)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            photo_services.photo_upload(
                user=user,
                upload=upload,
                size=upload.size,
                taken_on=form.cleaned_data["taken_on"],
                pose=form.cleaned_data["pose"],
                note=form.cleaned_data["note"],
                today=today,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Photo saved. Location and camera details were removed.")
            return redirect("body:photos")
    return _page(request, form)


def _page(request: HttpRequest, form: PhotoUploadForm, upload_error: str = "") -> HttpResponse:
    user: Any = request.user
    all_photos = list(photo_selectors.photos_for(user=user))
    return render(
        request,
        "body/photos.html",
        {
            "form": form,
            "upload_error": upload_error,
            "days": _gallery(all_photos),
            "photos": all_photos,
            "sharing_form": SharingForm(
                initial={"photos_with_coach": photo_selectors.shares_photos(user=user)}
            ),
        },
        status=413 if upload_error else 400 if form.errors else 200,
    )


def _image_response(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/jpeg")
    # Private: never kept by a shared cache; the browser may keep it for the session's page views.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def photo_image(request: HttpRequest, photo_id: UUID) -> HttpResponse:
    photo = photo_selectors.photo_get_for_viewer(viewer=request.user, photo_id=photo_id)
    return _image_response(photo_storage.read(photo.image))


@login_required
@require_GET
def photo_thumbnail(request: HttpRequest, photo_id: UUID) -> HttpResponse:
    photo = photo_selectors.photo_get_for_viewer(viewer=request.user, photo_id=photo_id)
    return _image_response(photo_storage.read(photo.thumbnail))


@login_required
@require_POST
@ratelimit(group="body_write", key="user")
def photo_delete(request: HttpRequest, photo_id: UUID) -> HttpResponse:
    photo = photo_selectors.photo_get_for_viewer(viewer=request.user, photo_id=photo_id)
    try:
        photo_services.photo_delete(user=request.user, photo=photo)
    except ValidationError as exc:  # a coach may see a member's photo, never delete it
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"Deleted the photo of {photo.taken_on:%-d %b %Y}.")
    return redirect("body:photos")


@login_required
@require_GET
def photo_compare(request: HttpRequest) -> HttpResponse:
    """Two photos side by side, older on the left; pick them from the lifter's photos."""
    user: Any = request.user
    first, second = request.GET.get("a", ""), request.GET.get("b", "")
    pair = None
    if first and second:
        pair = photo_selectors.photo_pair_for_viewer(viewer=user, first=first, second=second)
    owner = pair[0].user if pair else user
    choices = list(photo_selectors.photos_for(user=owner))
    days_apart = (pair[1].taken_on - pair[0].taken_on).days if pair else None
    return render(
        request,
        "body/photo_compare.html",
        {"pair": pair, "choices": choices, "first": first, "second": second, "days_apart": days_apart},
    )


@login_required
@require_POST
@ratelimit(group="body_write", key="user")
def sharing(request: HttpRequest) -> HttpResponse:
    form = SharingForm(request.POST)
    form.is_valid()
    shared = bool(form.cleaned_data.get("photos_with_coach"))
    services.sharing_update(user=request.user, photos_with_coach=shared)
    messages.success(
        request,
        "Your coach can see your progress photos now." if shared else "Your photos are private to you now.",
    )
    return redirect("body:photos")


@login_required
@require_GET
def member_photos(request: HttpRequest, member_id: UUID) -> HttpResponse:
    member, member_photos = photo_selectors.member_photos_for_coach(viewer=request.user, member_id=member_id)
    days = _gallery(member_photos) if member_photos is not None else None
    return render(request, "body/member_photos.html", {"member": member, "days": days})
