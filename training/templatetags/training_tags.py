"""Training pieces other apps' templates show: the dashboard's "Today" card.

The dashboard lives in ``accounts``, which must not import ``training``; its template loads this
library instead (``{% load training_tags %}{% today_card %}``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from training.selectors import today_plan

register = template.Library()


@register.inclusion_tag("training/today_card.html", takes_context=True)
def today_card(context: dict[str, Any]) -> dict[str, Any]:
    """Today's session of the program the lifter follows (weekday of a WEEKLY program, next in a
    CYCLIC rotation), a workout in progress to resume, or a way to start."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"plan": None}
    return {"plan": today_plan(user=user, now=timezone.now()), "csrf_token": context.get("csrf_token")}
