"""Admin pieces shared by every app: soft-deleted rows visible to staff, restore and soft-delete.

``SoftDeleteAdminMixin`` goes first in a ModelAdmin's bases. The admin then lists deleted rows too
(``all_objects``), offers an "is deleted" filter, and two actions, "Soft-delete selected" and
"Restore selected", that call the owning app's services (``soft_delete_one``/``restore_one``).
Autocomplete lookups from other admin pages never offer deleted rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from hypertroq.audit import AuditAction, audit_log, audit_tracking
from hypertroq.forms import error_text

DELETED_FIELDS = ("is_deleted", "deleted_at")
TIMESTAMP_FIELDS = ("created_at", "updated_at")


class IsDeletedFilter(admin.SimpleListFilter):
    title = "is deleted"
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(is_deleted=True)
        if self.value() == "no":
            return queryset.filter(is_deleted=False)
        return queryset


class SoftDeleteAdminMixin:
    """For ModelAdmins of ``SoftDeleteModel`` subclasses. Subclasses implement the two hooks."""

    model: type[Model]
    actions: Any = ("soft_delete_selected", "restore_selected")

    def soft_delete_one(self, obj: Any) -> None:
        raise NotImplementedError

    def restore_one(self, obj: Any) -> None:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = self.model.all_objects.get_queryset()  # type: ignore[attr-defined]
        ordering = self.get_ordering(request)  # type: ignore[attr-defined]
        if ordering:
            queryset = queryset.order_by(*ordering)
        return queryset

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        queryset, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        if _is_autocomplete(request):
            queryset = queryset.filter(is_deleted=False)
        return queryset, may_have_duplicates

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return fields + tuple(f for f in (*DELETED_FIELDS, *TIMESTAMP_FIELDS) if f not in fields)

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet[Any],
        hook: Callable[[Any], None],
        done: str,
        action: str = "",
    ) -> None:
        count = 0
        for obj in queryset:
            try:
                # The change and its audit entry commit together; services that audit themselves
                # (accounts) are not recorded twice.
                with transaction.atomic(), audit_tracking() as audited:
                    hook(obj)
                    if action and (obj._meta.label, str(obj.pk)) not in audited:
                        audit_log(action=action, actor=request.user, target=obj, data={"via": "admin"})
            except ValidationError as error:
                self.message_user(  # type: ignore[attr-defined]
                    request, f"“{obj}” was not {done}: {error_text(error)}", messages.ERROR
                )
            else:
                count += 1
        if count:
            noun = self.model._meta.verbose_name if count == 1 else self.model._meta.verbose_name_plural
            self.message_user(request, f"{count} {noun} {done}.", messages.SUCCESS)  # type: ignore[attr-defined]

    @admin.action(description="Soft-delete selected %(verbose_name_plural)s", permissions=["change"])
    def soft_delete_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._apply(
            request,
            queryset.filter(is_deleted=False),
            self.soft_delete_one,
            "soft-deleted",
            action=AuditAction.OBJECT_DELETED,
        )

    @admin.action(description="Restore selected %(verbose_name_plural)s", permissions=["change"])
    def restore_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._apply(
            request,
            queryset.filter(is_deleted=True),
            self.restore_one,
            "restored",
            action=AuditAction.OBJECT_RESTORED,
        )


def _is_autocomplete(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name == "autocomplete")
