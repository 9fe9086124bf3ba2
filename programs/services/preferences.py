"""The user's volume preferences (counting rule, landmark overrides)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from programs.models import CountingRule, VolumePreference
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
    preference.counting = counting
    preference.landmark_overrides = landmark_overrides
    preference.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    preference.save()
    return preference
