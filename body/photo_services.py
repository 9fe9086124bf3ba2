"""Writes of progress photos: upload (checked, re-encoded, stored privately), delete, sharing.

Files are written before the row (they need their names) and removed if the row can't be saved;
removing a row removes its files once the transaction commits (``body.signals``), whichever way
the row goes: this service, an account purged past its grace period, an organization removed.
"""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction

from body.integrations import photo_storage
from body.integrations.images import PhotoRejected, process_photo
from body.models import ProgressPhoto
from body.services import check_day


def photo_upload(
    *,
    user: Any,
    upload: IO[bytes],
    size: int,
    taken_on: dt.date,
    pose: str,
    note: str = "",
    today: dt.date,
) -> ProgressPhoto:
    """Store a photo. Bad files raise ``ValidationError`` on ``image`` and store nothing.

    Queries: one insert (in a savepoint when nested)."""
    check_day(taken_on, today)
    try:
        processed = process_photo(upload, size)
    except PhotoRejected as exc:
        raise ValidationError({"image": str(exc)}) from exc
    names = [photo_storage.save(processed.image), photo_storage.save(processed.thumbnail)]
    photo = ProgressPhoto(
        user=user,
        taken_on=taken_on,
        pose=pose,
        note=note.strip(),
        image=names[0],
        thumbnail=names[1],
        width=processed.width,
        height=processed.height,
        size_bytes=len(processed.image),
    )
    try:
        photo.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
        with transaction.atomic():
            photo.save(force_insert=True)
    except Exception:
        photo_storage.delete(names)
        raise
    return photo


@transaction.atomic
def photo_delete(*, user: Any, photo: ProgressPhoto) -> None:
    """Deletes the photo for good; its files go when the transaction commits."""
    if photo.user_id != user.pk:
        raise ValidationError("Not your photo.")
    photo.delete()
