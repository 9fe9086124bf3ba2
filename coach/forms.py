"""The generator's form. :func:`coach.generator.validate_request` gives every message, so the form
and the service say the same thing (the template renders the inputs itself)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms

from coach.generator.request import GeneratorInputError, validate_request
from exercises.domain import Fitting
from programs.models import StructureType

DEFAULT_EQUIPMENT = ("BARBELL", "DUMBBELL", "CABLE", "MACHINE", "BODYWEIGHT")


class ListField(forms.Field):
    """A list of strings from repeated form keys (checkboxes); values are checked in clean()."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in (value or [])]


class GenerateForm(forms.Form):
    """The generator's input; ``cleaned_data["request"]`` is the validated
    :class:`~coach.generator.GeneratorRequest`."""

    days = forms.CharField(required=False)
    structure_type = forms.CharField(required=False)
    equipment = ListField(required=False)
    fittings = ListField(required=False)
    priority_muscles = ListField(required=False)
    session_set_limit = forms.CharField(required=False)
    seed = forms.CharField(required=False)
    replaces = forms.UUIDField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            request = validate_request(
                days=cleaned.get("days"),
                structure_type=cleaned.get("structure_type"),
                equipment=cleaned.get("equipment"),
                priority_muscles=cleaned.get("priority_muscles"),
                session_set_limit=cleaned.get("session_set_limit"),
                seed=cleaned.get("seed") or 0,
                # Unticked boxes send nothing: what the form sends is exactly what the lifter has.
                fittings=cleaned.get("fittings") or [],
            )
        except GeneratorInputError as exc:
            for field, message in exc.errors.items():
                self.add_error(field if field in self.fields else None, message)
        else:
            cleaned["request"] = request
        return cleaned

    def values(self) -> dict[str, Any]:
        """What the form shows: the submitted values (even invalid ones) or the defaults."""
        if self.is_bound:
            data: Any = self.data  # a QueryDict
            return {
                "days": data.get("days", ""),
                "structure_type": data.get("structure_type", ""),
                "equipment": data.getlist("equipment"),
                "fittings": data.getlist("fittings"),
                "priority_muscles": data.getlist("priority_muscles"),
                "session_set_limit": data.get("session_set_limit", ""),
                "seed": data.get("seed", ""),
                "replaces": data.get("replaces", ""),
            }
        return {**self.initial, "replaces": ""}


def generate_initial() -> dict[str, Any]:
    """The form's defaults: three weekly days, a gym's equipment and fittings, the session size
    left blank (the sensible size for the days chosen), a fresh variation."""
    return {
        "days": 3,
        "structure_type": StructureType.WEEKLY,
        "equipment": list(DEFAULT_EQUIPMENT),
        "fittings": list(Fitting.values),
        "priority_muscles": [],
        "session_set_limit": "",
        "seed": secrets.randbelow(100_000),
    }
