from django.contrib import admin
from django.http import HttpRequest

from portability.models import DataExport


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    """Read-only: who asked for their data, when, and whether it was built (never the file)."""

    list_display = ("user", "status", "created_at", "ready_at", "expires_at", "size_bytes")
    list_filter = ("status",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    raw_id_fields = ("user",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
