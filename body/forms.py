"""Forms of the body pages: quick entry of a day's measurements, own categories, photo upload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from body.domain import CM, INCH, LENGTH_UNITS, MASS_UNITS
from body.models import MAX_CATEGORY_NAME, MAX_NOTE, Dimension, Pose
from body.selectors import Series
from body.services import Entry
from training.domain.units import KG, LB


class LooseDecimalField(forms.DecimalField):
    """A decimal typed on a phone: ``82,4`` (a comma keypad) reads as 82.4."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        result: Decimal | None = super().to_python(value)
        return result


def _number_input(series: Series) -> forms.TextInput:
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "class": "big-input", "enterkeyhint": "next"}
    )


class QuickEntryForm(forms.Form):
    """The day, then one optional box per series; blank boxes change nothing."""

    measured_on = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date", "class": "big-input"})
    )
    mass_unit = forms.ChoiceField(
        label="Weights in", choices=[(KG, "kg"), (LB, "lb")], widget=forms.RadioSelect, required=False
    )
    length_unit = forms.ChoiceField(
        label="Girths in", choices=[(CM, "cm"), (INCH, "in")], widget=forms.RadioSelect, required=False
    )

    def __init__(self, *args: Any, series: list[Series], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.series = series
        for s in series:
            self.fields[s.key] = LooseDecimalField(
                label=s.label,
                required=False,
                max_digits=9,
                decimal_places=3,
                widget=_number_input(s),
                error_messages={"invalid": f"{s.label}: enter a number, like 82.4."},
            )

    def series_fields(self) -> list[tuple[Series, forms.BoundField]]:
        return [(s, self[s.key]) for s in self.series]

    def entries(self) -> list[Entry]:
        data = self.cleaned_data
        mass = data.get("mass_unit") or KG
        length = data.get("length_unit") or CM
        out = []
        for s in self.series:
            value = data.get(s.key)
            if value is None:
                continue
            by_dimension: dict[str, str] = {Dimension.MASS: mass, Dimension.LENGTH: length}
            unit = by_dimension.get(s.dimension, "")
            if s.dimension == Dimension.PERCENT:
                unit = "%"
            out.append(Entry(series=s, value=value, unit=unit))
        return out

    def clean_mass_unit(self) -> str:
        value = self.cleaned_data.get("mass_unit") or KG
        if value not in MASS_UNITS:
            raise forms.ValidationError("Pick kg or lb.")
        return str(value)

    def clean_length_unit(self) -> str:
        value = self.cleaned_data.get("length_unit") or CM
        if value not in LENGTH_UNITS:
            raise forms.ValidationError("Pick cm or in.")
        return str(value)


def today_initial(today: dt.date, units: Any) -> dict[str, Any]:
    return {"measured_on": today, "mass_unit": units.mass, "length_unit": units.length}


class CategoryForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=MAX_CATEGORY_NAME, help_text="For example: Resting pulse, Wrist."
    )
    dimension = forms.ChoiceField(
        label="What kind of number", choices=Dimension.choices, initial=Dimension.LENGTH
    )
    unit_label = forms.CharField(
        label="Its unit (plain numbers only)",
        max_length=12,
        required=False,
        help_text="For example: bpm, mm.",
    )


class PhotoUploadForm(forms.Form):
    image = forms.FileField(
        label="Photo",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "class": "big-input"}
        ),
        help_text="JPEG, PNG, WebP or HEIC, up to 20 MB. Location and camera details are removed.",
    )
    taken_on = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date", "class": "big-input"})
    )
    pose = forms.ChoiceField(label="Pose", choices=Pose.choices, initial=Pose.FRONT)
    note = forms.CharField(label="Note", max_length=MAX_NOTE, required=False)


class SharingForm(forms.Form):
    photos_with_coach = forms.BooleanField(label="My coach may see my progress photos", required=False)
