"""The lifter's training preferences (unit, rounding, bar and plates, RIR limit, time zone,
current program) and the counting rule they share with the program pages."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.tiers import is_read_only
from programs.models import TrainingProgram
from programs.selectors import volume_preference_for
from programs.services import volume_preference_update
from training.models import (
    UNIT_DEFAULTS,
    TrainingPreferences,
)
from training.selectors import counting_rule_for
from training.services.checks import (
    ensure_writable,
)

# --- Preferences ------------------------------------------------------------------------------------


@transaction.atomic
def preferences_update(
    *,
    user: Any,
    unit: str,
    display_increment: Decimal | None = None,
    bar_weight: Decimal | None = None,
    plates: Sequence[Decimal] | None = None,
    rir_threshold: Decimal = Decimal("4"),
    time_zone: str = "",
    current_program: TrainingProgram | None = None,
    counting: str | None = None,
) -> TrainingPreferences:
    """Save the lifter's training preferences. Increment, bar and plates left empty take the
    defaults of the unit (0.5 kg / 20 kg bar / kg plates; 1 lb / 45 lb bar / lb plates); so do
    they when the unit changes and they were the other unit's defaults. The counting rule is saved
    on the lifter's volume preferences (one setting, shared with the program pages)."""
    ensure_writable(user)
    prefs = TrainingPreferences.objects.select_for_update().filter(user=user).first()
    if prefs is None:
        prefs = TrainingPreferences(user=user)
    if current_program is not None and (
        current_program.user_id != user.pk or current_program.is_template or current_program.is_deleted
    ):
        raise ValidationError({"current_program": "Choose one of your own programs."})
    defaults = UNIT_DEFAULTS.get(unit)
    if defaults is None:
        raise ValidationError({"unit": "Choose kilograms or pounds."})
    other = UNIT_DEFAULTS[next(u for u in UNIT_DEFAULTS if u != unit)]
    unit_changed = prefs.unit != unit

    def pick(name: str, value: Any) -> Any:
        if value is None or value == [] or (unit_changed and value == other[name]):
            return defaults[name]
        return value

    prefs.unit = unit
    prefs.display_increment = pick("display_increment", display_increment)
    prefs.bar_weight = pick("bar_weight", bar_weight)
    plate_list = pick("plates", list(plates) if plates is not None else None)
    prefs.plates = sorted((Decimal(p) for p in plate_list), reverse=True)
    prefs.rir_threshold = rir_threshold
    prefs.time_zone = time_zone
    prefs.current_program = current_program
    prefs.full_clean(exclude=["user", "current_program"], validate_unique=False, validate_constraints=False)
    prefs.save()
    if counting is not None and counting != counting_rule_for(user=user):
        existing = volume_preference_for(user=user)
        volume_preference_update(
            user=user,
            counting=counting,
            landmark_overrides=existing.landmark_overrides if existing is not None else {},
        )
    return prefs


@transaction.atomic
def preferences_time_zone_default(*, user: Any, time_zone: str) -> None:
    """Remember the browser's time zone when the lifter has not chosen one (weeks run in it)."""
    import zoneinfo

    if not time_zone or time_zone not in zoneinfo.available_timezones() or is_read_only(user):
        return
    prefs = TrainingPreferences.objects.filter(user=user).first()
    if prefs is None:
        TrainingPreferences.objects.create(user=user, time_zone=time_zone)
    elif not prefs.time_zone:
        prefs.time_zone = time_zone
        prefs.save(update_fields=["time_zone", "updated_at"])
