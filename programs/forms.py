"""Forms for programs, sessions, session exercises, preferences, import and coaching."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.preferences import CountingRule
from exercises.domain import Muscle
from programs.models import LANDMARK_KEYS, MAX_LANDMARK_SETS, StructureType, Weekday
from programs.rules import (
    DESCRIPTION_MAX,
    MAX_FREQUENCY,
    MAX_NOTES,
    MAX_REST_SECONDS,
    MAX_SETS,
    MIN_FREQUENCY,
    MIN_SETS,
    NAME_MAX,
    NAME_MIN,
    REPS_INPUT_MAX,
    REST_MESSAGE,
    SETS_MAX_MESSAGE,
    clean_reps,
)
from programs.volume import DEFAULT_LANDMARKS

WEEKDAY_CHOICES = [("", "Choose a day"), *[(str(v), label) for v, label in Weekday.choices]]


class ProgramCreateForm(forms.Form):
    name = forms.CharField(min_length=NAME_MIN, max_length=NAME_MAX)
    description = forms.CharField(
        required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    structure_type = forms.ChoiceField(
        choices=StructureType.choices,
        initial=StructureType.WEEKLY,
        widget=forms.RadioSelect,
        label="Structure",
        help_text="Weekly: each session on a weekday. Cyclic: sessions rotate, whatever the weekday.",
    )
    frequency = forms.IntegerField(
        required=False,
        min_value=MIN_FREQUENCY,
        max_value=MAX_FREQUENCY,
        label="Training days per week",
        help_text="Cyclic programs only; a weekly program counts the weekdays of its sessions.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("structure_type") == StructureType.CYCLIC and not data.get("frequency"):
            self.add_error(
                "frequency",
                f"How many days a week do you train this rotation ({MIN_FREQUENCY} to {MAX_FREQUENCY})?",
            )
        return data


class ProgramUpdateForm(forms.Form):
    name = forms.CharField(min_length=NAME_MIN, max_length=NAME_MAX)
    description = forms.CharField(
        required=False, max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    frequency = forms.IntegerField(
        required=False, min_value=MIN_FREQUENCY, max_value=MAX_FREQUENCY, label="Training days per week"
    )


class SessionForm(forms.Form):
    name = forms.CharField(min_length=NAME_MIN, max_length=NAME_MAX, label="Session name")
    day_of_week = forms.TypedChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        label="Day",
        error_messages={"invalid_choice": "Day of week must be Monday to Sunday."},
    )

    def __init__(self, *args: Any, weekly: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.weekly = weekly
        if not weekly:
            del self.fields["day_of_week"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.weekly and "day_of_week" in data and data.get("day_of_week") is None:
            self.add_error("day_of_week", "Choose the weekday of this session.")
        return data


class PrescriptionForm(forms.Form):
    sets = forms.IntegerField(
        min_value=MIN_SETS,
        max_value=MAX_SETS,
        error_messages={
            "min_value": f"At least {MIN_SETS} set.",
            "max_value": SETS_MAX_MESSAGE,
            "required": "How many sets?",
        },
        widget=forms.NumberInput(attrs={"size": 3}),
    )
    reps = forms.CharField(
        required=False,
        max_length=REPS_INPUT_MAX,
        help_text="8, 8-12 or AMRAP",
        widget=forms.TextInput(attrs={"size": 6}),
    )
    rest_seconds = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_REST_SECONDS,
        label="Rest (s)",
        error_messages={"min_value": "Rest can't be negative.", "max_value": REST_MESSAGE},
        widget=forms.NumberInput(attrs={"size": 4}),
    )
    notes = forms.CharField(required=False, max_length=MAX_NOTES, widget=forms.TextInput())

    def clean_reps(self) -> str | None:
        return clean_reps(self.cleaned_data.get("reps"))


class SessionExerciseAddForm(PrescriptionForm):
    exercise = forms.UUIDField(
        error_messages={"required": "Choose an exercise.", "invalid": "Choose an exercise."}
    )
    position = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class SwapForm(forms.Form):
    exercise = forms.UUIDField(
        error_messages={"required": "Choose an exercise.", "invalid": "Choose an exercise."}
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class PreferencesForm(forms.Form):
    """Counting rule plus, per muscle, five optional landmark fields (blank = the default)."""

    counting = forms.ChoiceField(
        choices=CountingRule.choices, widget=forms.RadioSelect, label="Count volume as"
    )

    def __init__(self, *args: Any, overrides: dict[str, dict[str, int]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        overrides = overrides or {}
        self.rows: list[dict[str, Any]] = []
        for muscle in Muscle:
            default = DEFAULT_LANDMARKS[muscle.value]
            row_fields = []
            for key in LANDMARK_KEYS:
                name = f"{muscle.value}__{key}"
                label = {
                    "mv": "MV",
                    "mev": "MEV",
                    "mav_low": "MAV low",
                    "mav_high": "MAV high",
                    "mrv": "MRV",
                }[key]
                self.fields[name] = forms.IntegerField(
                    required=False,
                    min_value=0,
                    max_value=MAX_LANDMARK_SETS,
                    label=f"{muscle.label} {label}",
                    initial=overrides.get(muscle.value, {}).get(key),
                    widget=forms.NumberInput(attrs={"placeholder": f"{getattr(default, key):g}", "size": 3}),
                )
                row_fields.append(name)
            self.rows.append({"muscle": muscle, "fields": row_fields})

    def bound_rows(self) -> list[dict[str, Any]]:
        return [{"muscle": r["muscle"], "fields": [self[name] for name in r["fields"]]} for r in self.rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        overrides: dict[str, dict[str, int]] = {}
        for row in self.rows:
            muscle = row["muscle"]
            values = {name.split("__")[1]: data.get(name) for name in row["fields"]}
            if all(v is None for v in values.values()):
                continue
            default = DEFAULT_LANDMARKS[muscle.value]
            marks = {k: (int(v) if v is not None else int(getattr(default, k))) for k, v in values.items()}
            ordered = [marks[k] for k in LANDMARK_KEYS]
            if ordered != sorted(ordered):
                self.add_error(
                    row["fields"][0],
                    ValidationError(
                        f"{muscle.label}: landmarks must satisfy MV ≤ MEV ≤ MAV low ≤ MAV high ≤ MRV."
                    ),
                )
                continue
            if marks != {k: int(getattr(default, k)) for k in LANDMARK_KEYS}:
                overrides[muscle.value] = marks
        data["landmark_overrides"] = overrides
        return data


class ImportForm(forms.Form):
    file = forms.FileField(required=False, label="Program file (.json)")
    text = forms.CharField(
        required=False, label="…or paste the JSON", widget=forms.Textarea(attrs={"rows": 8})
    )


class GiveForm(forms.Form):
    member = forms.ChoiceField(label="Member")

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        field = self.fields["member"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101  (narrowing for mypy)
        field.choices = [("", "Choose a member")] + [
            (str(m.pk), f"{m.full_name or m.email} ({m.get_role_display()})") for m in members
        ]
