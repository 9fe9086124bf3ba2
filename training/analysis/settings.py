"""A lifter's training settings as plain data: unit and rounding, bar and plates, RIR threshold,
time zone and counting rule (``accounts.UserPreferences``), current program
(``training.TrainingPreferences``) and landmarks (``programs.VolumePreference``).

One query for one lifter, one for many (the coach's table)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import User
from accounts.selectors import user_preferences_for
from programs.models import TrainingProgram
from programs.selectors import volume_settings_for
from programs.volume import FRACTIONAL, Landmarks
from training.domain.units import DEFAULT_BAR, DEFAULT_INCREMENT, KG
from training.domain.volume import DEFAULT_RIR_THRESHOLD
from training.domain.weeks import zone
from training.models import TrainingPreferences


@dataclass(frozen=True)
class TrainingSettings:
    unit: str = KG
    increment: Decimal = DEFAULT_INCREMENT[KG]
    bar: Decimal = DEFAULT_BAR[KG]
    plates: tuple[Decimal, ...] = ()
    rir_threshold: Decimal = DEFAULT_RIR_THRESHOLD
    time_zone: str = ""
    current_program: TrainingProgram | None = None
    counting: str = FRACTIONAL
    landmarks: dict[str, Landmarks] = field(default_factory=dict)
    week_start: int = 0  # the first column of the lifter's calendars (0 Monday … 6 Sunday)

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.time_zone)


def _settings(user: Any, training: TrainingPreferences | None) -> TrainingSettings:
    volume = volume_settings_for(user=user)
    prefs = user_preferences_for(user=user)
    program = training.current_program if training is not None else None
    if program is not None and (program.is_deleted or program.user_id != user.pk):
        program = None
    return TrainingSettings(
        unit=prefs.unit,
        increment=prefs.display_increment,
        bar=prefs.bar_weight,
        plates=tuple(prefs.plates or ()),
        rir_threshold=prefs.rir_threshold,
        time_zone=prefs.time_zone,
        current_program=program,
        counting=volume.counting,
        landmarks=volume.landmarks,
        week_start=prefs.week_start,
    )


def _with_prefs(users: Iterable[Any]) -> list[Any]:
    ids = [u.pk for u in users]
    return list(
        User.objects.filter(pk__in=ids).select_related(
            "preferences",
            "volume_preference",
            "training_preferences",
            "training_preferences__current_program",
        )
    )


def training_settings_for(*, user: Any) -> TrainingSettings:
    """``user``'s settings (defaults for anonymous users or no row): one query."""
    if not getattr(user, "is_authenticated", False):
        return TrainingSettings()
    return training_settings_for_users(users=[user])[str(user.pk)]


def training_settings_for_users(*, users: Iterable[Any]) -> dict[str, TrainingSettings]:
    """Settings of many lifters in one query, keyed by user id (as text)."""
    result: dict[str, TrainingSettings] = {}
    for loaded in _with_prefs(users):
        try:
            prefs = loaded.training_preferences
        except TrainingPreferences.DoesNotExist:
            prefs = None
        result[str(loaded.pk)] = _settings(loaded, prefs)
    return result
