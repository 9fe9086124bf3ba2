"""``{% notification_bell %}``: the header's bell with the unread count (base.html)."""

from __future__ import annotations

from typing import Any

from django import template

from notifications.selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"hidden": True}
    return {"unread_count": notification_unread_count(user=user)}
