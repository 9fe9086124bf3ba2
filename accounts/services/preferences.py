"""The one writer of a lifter's preferences row (``user_preferences``).

Every change to the lifter-wide settings goes through ``user_preferences_update``, whichever page
or job asks for it: the row's ``updated_at`` is then a version a cache may key on.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.preferences import UserPreferences
from accounts.tiers import READ_ONLY_MESSAGE, is_read_only

EDITABLE = frozenset(
    {
        "unit",
        "display_increment",
        "bar_weight",
        "plates",
        "rir_threshold",
        "time_zone",
        "week_start",
        "default_rest_seconds",
        "counting",
    }
)


@transaction.atomic
def user_preferences_update(*, user: User, **changes: Any) -> UserPreferences:
    """Set the given fields of the lifter's preferences (the row is created on the first change)
    and return the row. Unknown fields are a programming error (``TypeError``); values the model
    refuses raise ``ValidationError``; a read-only account changes nothing."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise TypeError(f"Not a preference: {', '.join(sorted(unknown))}")
    if is_read_only(user):
        raise ValidationError(READ_ONLY_MESSAGE, code="read_only")
    prefs = UserPreferences.objects.select_for_update().filter(user=user).first()
    created = prefs is None
    if prefs is None:
        prefs = UserPreferences(user=user)
    for name, value in changes.items():
        setattr(prefs, name, value)
    if "plates" in changes:
        prefs.plates = sorted(prefs.plates, reverse=True)
    prefs.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    if created:
        prefs.save(force_insert=True)
    else:
        prefs.save(update_fields=[*changes, "updated_at"])
    # Whoever holds the user object reads the new values without another query.
    user._state.fields_cache["preferences"] = prefs
    return prefs
