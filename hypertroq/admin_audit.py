"""Read-only admin for the audit log: staff browse and filter; nobody adds, edits or deletes.

Registered from ``HypertroqConfig.ready()`` so it does not depend on ``hypertroq/admin.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hypertroq.models import AuditAction, AuditLog


class ActionFilter(admin.SimpleListFilter):
    title = "action"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in AuditAction.choices]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "action_label",
        "actor",
        "target_content_type",
        "target_repr",
        "organization",
        "ip",
    )
    list_filter = (ActionFilter, ("created_at", admin.DateFieldListFilter), "target_content_type")
    search_fields = ("target_id", "target_repr", "actor__email", "organization__name", "ip")
    list_select_related = ("actor", "organization", "target_content_type")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = (
        "id",
        "created_at",
        "action",
        "actor",
        "target_content_type",
        "target_id",
        "target_repr",
        "organization",
        "data",
        "ip",
        "user_agent",
    )
    show_full_result_count = False

    @admin.display(description="action", ordering="action")
    def action_label(self, obj: AuditLog) -> str:
        return obj.action_label

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_staff)
