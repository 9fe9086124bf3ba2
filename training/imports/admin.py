"""Staff view of history imports (read-only: imports change through the lifter's pages or
``manage.py import_history``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from training.imports.models import HistoryImport


@admin.register(HistoryImport)
class HistoryImportAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "user",
        "source_format",
        "status",
        "workouts_added",
        "sets_added",
        "duplicate_workouts",
        "created_at",
    )
    list_filter = ("status", "source_format")
    search_fields = ("user__email", "file_name")
    list_select_related = ("user",)
    exclude = ("content",)
    ordering = ("-created_at",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
