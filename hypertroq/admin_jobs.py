"""Admin for the mail outbox (read-only, with "send again") and the job queue.

The job queue is procrastinate's admin (Procrastinate → Procrastinate jobs: filter by status, the
last event of each job, actions "Retry Job", "Cancel Job", "Abort Job"), re-registered with the
status and summary before the arguments (at 1280 px the long arguments pushed them out of sight)
and without the inline styles the site's Content-Security-Policy blocks (the summary template is
overridden in ``templates/procrastinate/admin/``). Registered from ``HypertroqConfig.ready()``.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import ProcrastinateJob

from hypertroq.jobs import defer_now
from hypertroq.models import OutboundEmail, OutboundEmailStatus
from hypertroq.tasks import email_lock, send_email


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    # Status, attempts and the mail server's last error first: at 1280 px later columns scroll away.
    list_display = ("created_at", "subject", "status", "attempts", "last_error", "to_address", "sent_at")
    list_filter = ("status", ("created_at", admin.DateFieldListFilter))
    search_fields = ("to_address", "subject", "idempotency_key")
    readonly_fields = (
        "created_at",
        "idempotency_key",
        "to_address",
        "subject",
        "headers",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    )
    exclude = ("body",)  # may hold a one-time link until sent (then it is cleared)
    actions = ("send_again",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # staff look (view permission); the job sends

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Send the selected unsent emails again", permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        queued = 0
        for email in queryset.filter(status=OutboundEmailStatus.QUEUED):
            if defer_now(send_email, queueing_lock=email_lock(email.pk), email_id=str(email.pk)) is not None:
                queued += 1
        self.message_user(request, f"{queued} email(s) queued to be sent again.", messages.SUCCESS)


admin.site.unregister(ProcrastinateJob)


@admin.register(ProcrastinateJob)
class JobAdmin(ProcrastinateJobAdmin):
    list_display = ["pk", "short_task_name", "pretty_status", "summary", "pretty_args"]

    @admin.display(description="Args")
    def pretty_args(self, instance: ProcrastinateJob) -> str:
        text = json.dumps(instance.args, indent=2 if len(str(instance.args)) > 30 else None)
        if len(text) > 2000:
            text = text[:2000] + "..."
        return format_html("<pre>{}</pre>", text)
