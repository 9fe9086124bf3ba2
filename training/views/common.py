"""Helpers the training views share."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.urls import reverse

from accounts.preferences import UserPreferences
from training.domain.units import display_load
from training.models import WorkoutLog


def workout_url(workout: WorkoutLog, anchor: str = "") -> str:
    url = reverse("training:workout", kwargs={"workout_id": workout.pk})
    return f"{url}#{anchor}" if anchor else url


def weight_step(prefs: UserPreferences) -> str:
    """The weight inputs' ``step``: the lifter's increment, ``0.5`` rather than ``0.50``."""
    return f"{Decimal(prefs.display_increment).normalize():f}"


def uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def display_weight(weight_kg: Decimal, prefs: UserPreferences) -> Decimal:
    return display_load(weight_kg, prefs.unit, Decimal(prefs.display_increment))
