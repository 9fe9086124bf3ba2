"""The user's volume preferences: the counting rule (on the lifter's preferences row) and the
landmark overrides (keyed by muscle, on ``volume_preferences``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.preferences import CountingRule
from accounts.services import user_preferences_update
from programs.models import VolumePreference
from programs.services.checks import ensure_writable


@transaction.atomic
def volume_preference_update(
    *, user: User, counting: str, landmark_overrides: dict[str, dict[str, int]]
) -> VolumePreference:
    """Save the user's counting rule and landmark overrides (validated: MV ≤ MEV ≤ MAV ≤ MRV)."""
    ensure_writable(user)
    if counting not in CountingRule.values:
        raise ValidationError({"counting": "Choose fractional or direct counting."})
    preference = VolumePreference.objects.select_for_update().filter(user=user).first()
    if preference is None:
        preference = VolumePreference(user=user)
    preference.landmark_overrides = landmark_overrides
    preference.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    preference.save()
    user_preferences_update(user=user, counting=counting)
    user._state.fields_cache["volume_preference"] = preference
    return preference
