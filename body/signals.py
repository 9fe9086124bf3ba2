"""Files follow their rows: when a ``ProgressPhoto`` row is deleted, however it happens (the
lifter deletes it, ``accounts`` purges the account past its grace period and the database rows go
with the user, staff delete it in the admin), its files are removed from storage once the
transaction commits; a rolled-back delete leaves them. ``accounts`` knows nothing of photos: the
purge's ``user.delete()`` collects the photo rows and Django sends this signal for each.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from body.integrations import photo_storage
from body.models import ProgressPhoto


@receiver(post_delete, sender=ProgressPhoto, dispatch_uid="body_photo_files_follow_rows")
def _remove_files(sender: Any, instance: ProgressPhoto, **kwargs: Any) -> None:
    names = [name for name in (instance.image, instance.thumbnail) if name]
    transaction.on_commit(lambda: photo_storage.delete(names))
