"""Reads of a lifter's data exports, scoped to the lifter."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from portability.models import DataExport


def data_exports_for(*, user: Any, limit: int = 10) -> QuerySet[DataExport]:
    """The lifter's latest exports, newest first."""
    return DataExport.objects.filter(user=user).order_by("-created_at")[:limit]


def data_export_get_for_owner(*, user: Any, export_id: uuid.UUID | str) -> DataExport:
    """One of the lifter's own exports; anyone else's (or none) is a 404."""
    export = DataExport.objects.filter(user=user, pk=export_id).first()
    if export is None:
        raise Http404("No such download.")
    return export
