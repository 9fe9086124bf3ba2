"""Where photo files live: the ``photos`` storage of ``settings.STORAGES`` (a private folder,
``var/media/photos`` by default, or an S3-compatible bucket through django-storages).

No URL of a file is ever handed out: pages show photos through access-checked views that read
the bytes here. Names are random (128 bits), so a name says nothing and can't be guessed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)

ALIAS = "photos"


def photo_storage() -> Storage:
    return storages[ALIAS]


def new_name(suffix: str = ".jpg") -> str:
    return f"{secrets.token_hex(2)}/{secrets.token_hex(16)}{suffix}"


def save(data: bytes) -> str:
    """Stores ``data`` under a new random name and returns the name."""
    name = new_name()
    saved = photo_storage().save(name, ContentFile(data))
    return str(saved)


def read(name: str) -> bytes:
    with photo_storage().open(name, "rb") as f:
        data: bytes = f.read()
    return data


def delete(names: Iterable[str]) -> None:
    """Removes the files; one that can't be removed is logged, not raised (a retry finds it)."""
    storage = photo_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("could not delete photo file", extra={"photo_file": name})
