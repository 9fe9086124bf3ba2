"""The lifter's training settings: the lifter-wide ones (unit, rounding, bar and plates, RIR limit,
time zone, counting rule) go to the preferences row through ``accounts.services
.user_preferences_update``; the program followed stays on ``training_preferences``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.preferences import UNIT_DEFAULTS, UserPreferences
from accounts.selectors import user_preferences_for
from accounts.services import user_preferences_update
from accounts.tiers import is_read_only
from notifications.services import reminder_time_zone_set
from programs.models import TrainingProgram
from training.models import TrainingPreferences
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
    week_start: int | None = None,
    default_rest_seconds: int | None = None,
) -> UserPreferences:
    """Save the lifter's training preferences. Increment, bar and plates left empty take the
    defaults of the unit (0.5 kg / 20 kg bar / kg plates; 1 lb / 45 lb bar / lb plates); so do
    they when the unit changes and they were the other unit's defaults. Everything but the program
    followed is saved on the lifter's preferences row (one setting each, shared with the program
    pages)."""
    ensure_writable(user)
    check_program(user=user, program=current_program)
    defaults = UNIT_DEFAULTS.get(unit)
    if defaults is None:
        raise ValidationError({"unit": "Choose kilograms or pounds."})
    current = user_preferences_for(user=user)
    other = UNIT_DEFAULTS[next(u for u in UNIT_DEFAULTS if u != unit)]
    unit_changed = current.unit != unit

    def pick(name: str, value: Any) -> Any:
        if value is None or value == [] or (unit_changed and value == other[name]):
            return defaults[name]
        return value

    changes: dict[str, Any] = {
        "unit": unit,
        "display_increment": pick("display_increment", display_increment),
        "bar_weight": pick("bar_weight", bar_weight),
        "plates": [Decimal(p) for p in pick("plates", list(plates) if plates is not None else None)],
        "rir_threshold": rir_threshold,
        "time_zone": time_zone,
    }
    optional = {"counting": counting, "week_start": week_start, "default_rest_seconds": default_rest_seconds}
    changes.update({name: value for name, value in optional.items() if value is not None})
    prefs = user_preferences_update(user=user, **changes)
    training_preferences_update(user=user, current_program=current_program)
    if time_zone:
        reminder_time_zone_set(user=user, time_zone=time_zone)  # one time zone for the lifter
    return prefs


def check_program(*, user: Any, program: TrainingProgram | None) -> None:
    if program is not None and (program.user_id != user.pk or program.is_template or program.is_deleted):
        raise ValidationError({"current_program": "Choose one of your own programs."})


@transaction.atomic
def training_preferences_update(*, user: Any, current_program: TrainingProgram | None) -> TrainingPreferences:
    """Set the program the lifter follows (one of their own, not a template, not in the trash)."""
    ensure_writable(user)
    check_program(user=user, program=current_program)
    prefs = TrainingPreferences.objects.select_for_update().filter(user=user).first()
    if prefs is None:
        prefs = TrainingPreferences(user=user)
    prefs.current_program = current_program
    prefs.save()
    return prefs


@transaction.atomic
def preferences_time_zone_default(*, user: Any, time_zone: str) -> None:
    """Remember the browser's time zone when the lifter has not chosen one (weeks run in it)."""
    import zoneinfo

    if not time_zone or time_zone not in zoneinfo.available_timezones() or is_read_only(user):
        return
    if not user_preferences_for(user=user).time_zone:
        user_preferences_update(user=user, time_zone=time_zone)
        reminder_time_zone_set(user=user, time_zone=time_zone)
