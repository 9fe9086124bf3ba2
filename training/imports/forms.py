"""Forms of the import pages: the upload, and the review of exercise names (one row per name)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from training.imports.reading import MAX_IMPORT_BYTES
from training.imports.services import CREATE, MAP, SKIP, Decision

UNIT_CHOICES = [("", "As the file says, else my unit"), ("kg", "Kilograms (kg)"), ("lb", "Pounds (lb)")]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Export file (CSV, JSON or ZIP)",
        help_text=f"From Strong, Hevy, FitNotes or HypertroQ; at most {MAX_IMPORT_BYTES // 1024 // 1024} MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.json,.txt,.zip,text/csv,application/json,application/zip"}
        ),
    )
    unit = forms.ChoiceField(
        label="Weights in the file are in",
        choices=UNIT_CHOICES,
        required=False,
        help_text="Only Strong files without a unit column need this; we ask again before importing.",
    )


@dataclass
class Review:
    decisions: dict[str, Decision]
    typed: dict[str, str]  # name in file -> exercise name the lifter typed ("pick another")
    unit: str | None
    errors: dict[str, str]


def read_review(data: Any, names: list[dict[str, Any]], *, unit_asked: bool) -> Review:
    """The lifter's choice per name from the POSTed review table. Each row ``i`` posts
    ``choice-i``: ``map:<exercise id>``, ``skip``, ``create`` or ``other``, and ``other-i``: an
    exercise name typed (or picked from the list), which wins over a ``map``/``other`` choice."""
    decisions: dict[str, Decision] = {}
    typed: dict[str, str] = {}
    errors: dict[str, str] = {}
    for index, entry in enumerate(names):
        name = entry["name"]
        choice = str(data.get(f"choice-{index}", ""))[:100]
        text = " ".join(str(data.get(f"other-{index}", "")).split())[:255]
        if text and choice not in (SKIP, CREATE):  # a typed name wins over the list's pick
            typed[name] = text
        elif choice.startswith("map:"):
            decisions[name] = Decision(MAP, choice[4:])
        elif choice == SKIP:
            decisions[name] = Decision(SKIP)
        elif choice == CREATE:
            decisions[name] = Decision(CREATE, entry.get("exercise_id") or "")
        elif choice == "other":
            errors[name] = "Type the exercise to use, or choose another option."
        else:
            errors[name] = "Choose what to do with this exercise."
    unit = str(data.get("unit", "")) or None
    if unit_asked and unit not in ("kg", "lb"):
        errors["__unit__"] = "Say whether the weights are in kg or lb."
    return Review(decisions, typed, unit if unit in ("kg", "lb") else None, errors)
