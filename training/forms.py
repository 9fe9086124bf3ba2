"""Forms of the workout flow. Weights are entered in the lifter's unit and converted to kg here."""

from __future__ import annotations

import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.preferences import CountingRule, UserPreferences, WeightUnit
from programs.models import TrainingProgram
from training.domain.units import KG_PER_LB, round_to, tidy, to_kg
from training.models import (
    MAX_BODY_WEIGHT_KG,
    MAX_NOTE,
    MAX_REPS,
    MAX_WEIGHT_KG,
    MAX_WORKOUT_NOTES,
    RIR_VALUES,
    SetType,
    Side,
)

RIR_CHOICES = [
    ("", "—"),
    *((f"{v:.1f}".removesuffix(".0"), f"{v:.1f}".removesuffix(".0")) for v in RIR_VALUES),
]


def max_in_unit(limit_kg: Decimal, unit: str) -> Decimal:
    return limit_kg if unit == WeightUnit.KG else (limit_kg / KG_PER_LB).quantize(Decimal("0.1"))


class WeightInUnit:
    """Mixin: converts the ``weight`` field from the lifter's unit to kg (rounded to their increment)."""

    prefs: UserPreferences

    def weight_kg(self, value: Decimal) -> Decimal:
        rounded = round_to(value, Decimal(self.prefs.display_increment))
        weight_kg = to_kg(rounded, self.prefs.unit)
        if weight_kg > MAX_WEIGHT_KG:
            raise ValidationError(f"At most {max_in_unit(MAX_WEIGHT_KG, self.prefs.unit)} {self.prefs.unit}.")
        return weight_kg


class SetForm(WeightInUnit, forms.Form):
    """One set: the POST of ``/training/<workout id>/sets/`` (names fixed by issue 14)."""

    exercise = forms.UUIDField(widget=forms.HiddenInput)
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    weight = forms.DecimalField(min_value=Decimal("0"), max_digits=7, decimal_places=3)
    reps = forms.IntegerField(min_value=0, max_value=MAX_REPS)
    rir = forms.TypedChoiceField(
        choices=RIR_CHOICES, required=False, coerce=Decimal, empty_value=None, label="RIR (reps in reserve)"
    )
    set_type = forms.ChoiceField(choices=SetType.choices, initial=SetType.WORKING, label="Type")
    side = forms.ChoiceField(choices=[("", "Both"), *Side.choices], required=False)
    note = forms.CharField(required=False, max_length=MAX_NOTE)
    logged_at = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, prefs: UserPreferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefs = prefs

    def clean_weight(self) -> Decimal:
        return self.weight_kg(self.cleaned_data["weight"])


class SetEditForm(WeightInUnit, forms.Form):
    weight = forms.DecimalField(min_value=Decimal("0"), max_digits=7, decimal_places=3)
    reps = forms.IntegerField(min_value=0, max_value=MAX_REPS)
    rir = forms.TypedChoiceField(
        choices=RIR_CHOICES, required=False, coerce=Decimal, empty_value=None, label="RIR (reps in reserve)"
    )
    set_type = forms.ChoiceField(choices=SetType.choices, label="Type")
    side = forms.ChoiceField(choices=[("", "Both"), *Side.choices], required=False)
    note = forms.CharField(required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, prefs: UserPreferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefs = prefs

    def clean_weight(self) -> Decimal:
        return self.weight_kg(self.cleaned_data["weight"])


class WorkoutNotesForm(forms.Form):
    notes = forms.CharField(
        required=False,
        max_length=MAX_WORKOUT_NOTES,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Workout notes",
    )
    body_weight = forms.DecimalField(
        required=False, min_value=Decimal("0.1"), max_digits=7, decimal_places=2, label="Body weight"
    )

    def __init__(self, *args: Any, prefs: UserPreferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.prefs = prefs
        self.fields["body_weight"].label = f"Body weight ({prefs.unit}, optional)"

    def clean_body_weight(self) -> Decimal | None:
        value = self.cleaned_data.get("body_weight")
        if value is None:
            return None
        weight_kg = to_kg(value, self.prefs.unit)
        if weight_kg > MAX_BODY_WEIGHT_KG:
            raise ValidationError(
                f"At most {max_in_unit(MAX_BODY_WEIGHT_KG, self.prefs.unit)} {self.prefs.unit}."
            )
        return weight_kg


class StartForm(forms.Form):
    session = forms.UUIDField(required=False)
    tz = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class PlatesForm(forms.Form):
    weight = forms.DecimalField(min_value=Decimal("0"), max_digits=7, decimal_places=2, label="Target load")


def _plates_text(plates: list[Decimal]) -> str:
    return ", ".join(f"{Decimal(p).normalize():f}" for p in plates)


class PreferencesForm(forms.Form):
    unit = forms.ChoiceField(choices=WeightUnit.choices, widget=forms.RadioSelect, label="Weight unit")
    display_increment = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_value=Decimal("10"),
        max_digits=4,
        decimal_places=2,
        required=False,
        label="Round weights to",
        help_text="Weights are shown and entered in steps of this size (default 0.5 kg or 1 lb).",
    )
    bar_weight = forms.DecimalField(
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        required=False,
        label="Barbell weight",
        help_text="For the plate calculator (default 20 kg or 45 lb).",
    )
    plates = forms.CharField(
        required=False,
        max_length=200,
        label="Plates you have",
        help_text="Plate sizes per side, separated by commas, e.g. 25, 20, 15, 10, 5, 2.5, 1.25.",
    )
    rir_threshold = forms.TypedChoiceField(
        choices=RIR_CHOICES[1:],
        coerce=Decimal,
        label="Hard-set RIR limit",
        help_text=(
            "RIR is reps in reserve: how many more reps you could have done. A working, drop or "
            "failure set counts towards a muscle's weekly volume when its RIR is at most this "
            "(default 4), or when you did not log RIR."
        ),
    )
    counting = forms.ChoiceField(
        choices=CountingRule.choices,
        widget=forms.RadioSelect,
        label="How sets count for a muscle",
        help_text=(
            "Fractional: a set counts for every muscle it trains by that muscle's share (a bench "
            "press set is 1 chest set and 0.5 triceps sets). Direct: only for the muscles it trains "
            "as prime mover. Also used on your program pages."
        ),
    )
    time_zone = forms.CharField(
        required=False,
        max_length=64,
        label="Time zone",
        help_text="Weeks run Monday to Sunday in this zone, e.g. Europe/Berlin. Empty: your browser's, else UTC.",
    )
    current_program = forms.ModelChoiceField(
        queryset=TrainingProgram.objects.none(),
        required=False,
        empty_label="None",
        label="Program you follow",
        help_text="Its sessions appear as “Today” on your dashboard, and its weekly sets are the plan your training is compared with.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["current_program"].queryset = TrainingProgram.objects.filter(  # type: ignore[attr-defined]
            user=user, is_template=False
        ).order_by("name")

    @staticmethod
    def initial_for(prefs: UserPreferences, counting: str, current_program_id: Any = None) -> dict[str, Any]:
        return {
            "unit": prefs.unit,
            # 20, not 2E+1 (Decimal.normalize alone writes round numbers in scientific notation)
            "display_increment": tidy(Decimal(prefs.display_increment)),
            "bar_weight": tidy(Decimal(prefs.bar_weight)),
            "plates": _plates_text(list(prefs.plates)),
            "rir_threshold": f"{Decimal(prefs.rir_threshold):.1f}".removesuffix(".0"),
            "counting": counting,
            "time_zone": prefs.time_zone,
            "current_program": current_program_id,
        }

    def clean_plates(self) -> list[Decimal] | None:
        text = self.cleaned_data.get("plates", "").strip()
        if not text:
            return None
        try:
            plates = [Decimal(part.strip()) for part in text.replace(";", ",").split(",") if part.strip()]
        except ArithmeticError as exc:
            raise ValidationError("Write plate sizes as numbers separated by commas.") from exc
        if not plates or len(plates) > 15 or any(p <= 0 or p > 100 or not p.is_finite() for p in plates):
            raise ValidationError("Give 1 to 15 plate sizes, each above 0 and at most 100.")
        return sorted(set(plates), reverse=True)

    def clean_time_zone(self) -> str:
        value = self.cleaned_data.get("time_zone", "").strip()
        if value and value not in zoneinfo.available_timezones():
            raise ValidationError("Not a known time zone; use a name like Europe/Berlin or America/New_York.")
        return value
