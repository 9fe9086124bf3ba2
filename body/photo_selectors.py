"""Reads of progress photos, scoped to who is asking.

A photo is visible to its owner, and to someone who may coach the owner
(``accounts.permissions.can_coach``) while the owner shares photos with their coach; to anyone
else it does not exist (404, the same answer as for an id that was never used).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.permissions import can_coach
from accounts.selectors import member_get_for_coach
from body.integrations import photo_storage
from body.models import BodySharing, ProgressPhoto
from hypertroq.http import valid_uuid


def photos_for(*, user: Any) -> QuerySet[ProgressPhoto]:
    """The lifter's photos, newest day first."""
    return ProgressPhoto.objects.filter(user=user).order_by("-taken_on", "pose", "-created_at")


def shares_photos(*, user: Any) -> bool:
    return BodySharing.objects.filter(user=user, photos_with_coach=True).exists()


def photo_get_for_viewer(*, viewer: Any, photo_id: uuid.UUID | str) -> ProgressPhoto:
    """The photo when ``viewer`` owns it, or coaches its owner who shares photos; else 404.

    One query for the owner (two for a coach: the sharing row comes with the owner)."""
    if not getattr(viewer, "is_authenticated", False) or not valid_uuid(photo_id):
        raise Http404("No such photo.")
    photo = (
        ProgressPhoto.objects.filter(pk=photo_id)
        .select_related("user__organization", "user__body_sharing")
        .first()
    )
    if photo is None:
        raise Http404("No such photo.")
    if photo.user_id == viewer.pk:
        return photo
    owner = photo.user
    sharing = getattr(owner, "body_sharing", None)
    if sharing is not None and sharing.photos_with_coach and can_coach(viewer, owner):
        return photo
    raise Http404("No such photo.")


def member_photos_for_coach(
    *, viewer: Any, member_id: uuid.UUID | str
) -> tuple[Any, list[ProgressPhoto] | None]:
    """A member whom ``viewer`` coaches (else 404) with their photos, or ``None`` for the photos
    when the member keeps them private."""
    if not getattr(viewer, "is_authenticated", False):
        raise Http404("No such member.")
    member = member_get_for_coach(viewer=viewer, member_id=member_id)
    if not shares_photos(user=member):
        return member, None
    return member, list(photos_for(user=member))


def photo_pair_for_viewer(*, viewer: Any, first: str, second: str) -> tuple[ProgressPhoto, ProgressPhoto]:
    """Two photos to compare; both must be visible to ``viewer`` and of one lifter."""
    a = photo_get_for_viewer(viewer=viewer, photo_id=first)
    b = photo_get_for_viewer(viewer=viewer, photo_id=second)
    if a.user_id != b.user_id:
        raise Http404("Compare two photos of one person.")
    return (a, b) if a.taken_on <= b.taken_on else (b, a)


@dataclass(frozen=True)
class ExportPhoto:
    """One photo for the data export: a file name for the archive, its facts, and its bytes."""

    filename: str  # e.g. "2026-12-07-front-1a2b3c4d.jpg"
    taken_on: dt.date
    pose: str
    note: str
    read: Callable[[], bytes]


def photo_files_for_export(user: Any) -> Iterator[ExportPhoto]:
    """The lifter's photos oldest first, each read from storage only when ``read()`` is called
    (one query for the list; the archive streams one file at a time)."""
    for photo in photos_for(user=user).order_by("taken_on", "created_at"):
        name = photo.image
        yield ExportPhoto(
            filename=f"{photo.taken_on.isoformat()}-{photo.pose.lower()}-{str(photo.pk)[:8]}.jpg",
            taken_on=photo.taken_on,
            pose=photo.pose,
            note=photo.note,
            read=lambda name=name: photo_storage.read(name),  # type: ignore[misc]
        )
