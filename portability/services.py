"""Asking for a "Download my data" archive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from hypertroq.jobs import defer_on_commit
from portability.models import DataExport, ExportStatus
from portability.tasks import build_data_export

# A pending export older than this was given up by its job (retries spent): ask again freely.
STALE_AFTER = dt.timedelta(hours=2)


@transaction.atomic
def data_export_request(*, user: Any) -> DataExport:
    """A new archive for ``user``, built by a job after commit; while one is being prepared,
    asking again returns that one (one pending per lifter, a database constraint)."""
    pending = DataExport.objects.select_for_update().filter(user=user, status=ExportStatus.PENDING).first()
    if pending is not None:
        if pending.created_at > timezone.now() - STALE_AFTER:
            return pending
        pending.status = ExportStatus.FAILED
        pending.error = "The archive could not be built in time."
        pending.save(update_fields=["status", "error", "updated_at"])
    export = DataExport(user=user)
    export.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            export.save(force_insert=True)
    except IntegrityError:  # another request made one meanwhile
        return DataExport.objects.get(user=user, status=ExportStatus.PENDING)
    defer_on_commit(build_data_export, export_id=str(export.pk))
    return export
