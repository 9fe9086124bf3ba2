"""The bell, the list, mark read, preferences and the one-click unsubscribe."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hypertroq.http import HtmxHttpRequest
from notifications import selectors, services
from notifications.models import NotificationKind
from notifications.templatetags.notifications_tags import bell_markup


@login_required
@require_GET
def bell(request: HtmxHttpRequest) -> HttpResponse:
    """The header's bell alone (htmx refreshes it every minute)."""
    return HttpResponse(bell_markup(_unread(request)))


def _unread(request: HtmxHttpRequest) -> int:
    return selectors.notification_unread_count(user=request.user)


@login_required
@require_GET
def notification_list(request: HtmxHttpRequest) -> HttpResponse:
    return _render_list(request)


def _render_list(request: HtmxHttpRequest) -> HttpResponse:
    """The list page, or its items alone for htmx."""
    items = list(selectors.notification_list(user=request.user))
    context = {"notifications": items, "unread_count": sum(1 for n in items if n.is_unread)}
    template = "notifications/notification_list.html"
    if request.htmx:
        template += "#notification-items"
    return render(request, template, context)


@login_required
@require_POST
def mark_read(request: HtmxHttpRequest, notification_id: UUID) -> HttpResponse:
    """Mark one read, then go where it leads (``?go=1``) or back to the list."""
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    if notification is None:
        raise Http404("No such notification.")
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    target = notification.url if request.POST.get("go") and notification.url else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    if request.htmx:
        return _render_list(request)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HtmxHttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, "All notifications marked as read.")
    return redirect("notifications:list")


@login_required
@require_GET
def preferences(request: HtmxHttpRequest) -> HttpResponse:
    """The notification settings are a section of the one preferences page now."""
    return redirect(reverse("preferences:page") + "#notifications")


@csrf_exempt  # the signed token is the authority; mail clients POST here (RFC 8058 one-click)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not unsubscribe anyone); POST unsubscribes."""
    try:
        user_id, kind = services.unsubscribe_read(token)
    except ValidationError:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    user = selectors.unsubscribe_user(user_id=user_id)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.unsubscribe(user=user, kind=kind)
        done = True
    return render(
        request,
        "notifications/unsubscribe.html",
        {
            "kind_label": NotificationKind(kind).label,
            "done": done,
            "action": reverse("notifications:unsubscribe", kwargs={"token": token}),
        },
    )
