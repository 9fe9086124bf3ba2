"""``{% notification_bell %}``: the header's bell with the unread count (base.html)."""

from __future__ import annotations

import functools

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_bell(context: template.Context) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return mark_safe("")
    return bell_markup(notification_unread_count(user=user))


@functools.lru_cache(maxsize=256)
def bell_markup(unread_count: int) -> SafeString:
    """The bell for this many unread notifications: its markup is a function of the count alone,
    so it is rendered once per process for each count (bounded: a count seen once falls out)."""
    return mark_safe(render_to_string("notifications/bell.html", {"unread_count": unread_count}))  # noqa: S308
