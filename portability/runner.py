"""The work the data-export jobs do (``portability.tasks`` calls these): build one archive, delete
the expired ones. Both are idempotent: a second run of the same job changes nothing more."""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import NotificationKind
from notifications.services import notification_create
from portability.archive import build_archive
from portability.models import DataExport, ExportStatus

logger = logging.getLogger(__name__)


def export_path(export: DataExport) -> Path:
    """Where the archive lives: private storage, named by the row's random id."""
    return Path(settings.DATA_EXPORT_ROOT) / f"{export.pk}.zip"


def _private_folder() -> Path:
    root = Path(settings.DATA_EXPORT_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def data_export_build(*, export_id: Any) -> str:
    """Build the archive of a pending export, mark it ready until it expires and tell the lifter
    (in the app and by email). Anything but a pending export is left alone."""
    export = DataExport.objects.select_related("user", "user__organization").filter(pk=export_id).first()
    if export is None or export.status != ExportStatus.PENDING:
        return "nothing to do"
    _private_folder()
    final = export_path(export)
    partial = final.with_suffix(".part")
    counts = build_archive(user=export.user, path=partial)
    os.chmod(partial, 0o600)
    with transaction.atomic():
        locked = DataExport.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.PENDING:  # another run finished first
            partial.unlink(missing_ok=True)
            return "already built"
        partial.replace(final)
        now = timezone.now()
        locked.status = ExportStatus.READY
        locked.ready_at = now
        locked.expires_at = now + dt.timedelta(days=settings.DATA_EXPORT_DAYS)
        locked.size_bytes = final.stat().st_size
        locked.full_clean(exclude=["user"])
        locked.save(update_fields=["status", "ready_at", "expires_at", "size_bytes", "updated_at"])
        notification_create(
            user=export.user,
            kind=NotificationKind.DATA_EXPORT_READY,
            title="Your data download is ready",
            body=(
                f"{counts['workouts']} workouts, {counts['programs']} programs, {counts['measurements']} "
                f"measurements and {counts['photos']} photos in one ZIP file. The link works until "
                f"{locked.expires_at:%d %B %Y} (UTC); after that the file is deleted."
            ),
            url=reverse("portability:download", kwargs={"export_id": locked.pk}),
            dedupe_key=f"data-export:{locked.pk}",
        )
    logger.info("data export %s built: %s", export.pk, counts)
    return "built"


ORPHAN_AGE = dt.timedelta(hours=1)


def _delete_orphans(now: dt.datetime) -> int:
    """Files with no ready export behind them (the account was purged and its rows went with it,
    or a build died half-way) once they are an hour old: nobody can download them any more."""
    root = Path(settings.DATA_EXPORT_ROOT)
    if not root.is_dir():
        return 0
    files = [p for p in root.iterdir() if p.suffix in (".zip", ".part")]
    stems = {p.stem for p in files}
    ready = {
        str(pk)
        for pk in DataExport.objects.filter(
            pk__in=[s for s in stems if _is_uuid(s)], status=ExportStatus.READY
        ).values_list("pk", flat=True)
    }
    removed = 0
    for path in files:
        old = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC) < now - ORPHAN_AGE
        if old and (path.suffix == ".part" or path.stem not in ready):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def data_exports_delete_expired(*, now: dt.datetime) -> int:
    """Delete the files of archives past their expiry and mark them expired, and files no export
    owns any more; returns how many archives expired."""
    _delete_orphans(now)
    done = 0
    for export in DataExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now).order_by(
        "expires_at"
    ):
        with transaction.atomic():
            locked = (
                DataExport.objects.select_for_update().filter(pk=export.pk, status=ExportStatus.READY).first()
            )
            if locked is None:
                continue
            export_path(locked).unlink(missing_ok=True)
            locked.status = ExportStatus.EXPIRED
            locked.save(update_fields=["status", "updated_at"])
            done += 1
    return done
