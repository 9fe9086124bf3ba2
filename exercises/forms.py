"""Forms of the exercise library: the browse/search filters and the custom-exercise editor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator

from exercises.domain import (
    CONTRIBUTION_LABELS,
    CONTRIBUTION_LEVELS,
    DESCRIPTION_MAX_LENGTH,
    MUSCLE_CATEGORY,
    NAME_MAX_LENGTH,
    NAME_MIN_LENGTH,
    Difficulty,
    Equipment,
    Muscle,
    MuscleCategory,
    clean_exercise_name,
    validate_muscle_contributions,
)
from exercises.selectors import (
    MAX_QUERY_LENGTH,
    MUSCLE_MODE_ANY,
    MUSCLE_MODE_PRIME,
    SCOPE_ALL,
    SCOPE_GLOBAL,
    SCOPE_MINE,
)

MUSCLE_MODE_CHOICES = [(MUSCLE_MODE_PRIME, "Prime mover"), (MUSCLE_MODE_ANY, "Any contribution")]
DIFFICULTY_FILTER_CHOICES = [("", "Any difficulty"), *Difficulty.choices]
SCOPE_CHOICES = [(SCOPE_ALL, "All"), (SCOPE_GLOBAL, "Library"), (SCOPE_MINE, "My exercises")]


@dataclass
class LibraryFilters:
    """The valid part of a filter form's input, ready for the selectors."""

    query: str = ""
    ask: str = ""
    muscles: list[str] = field(default_factory=list)
    muscle_mode: str = MUSCLE_MODE_PRIME
    equipment: list[str] = field(default_factory=list)
    difficulty: str | None = None
    scope: str = SCOPE_ALL

    def selector_kwargs(self) -> dict[str, Any]:
        return {
            "muscles": self.muscles,
            "muscle_mode": self.muscle_mode,
            "equipment": self.equipment,
            "difficulty": self.difficulty,
            "scope": self.scope,
        }


class ExerciseFilterForm(forms.Form):
    """GET form of the library page (and the program builder's picker).

    Lenient by design: :meth:`filters` keeps every valid value, drops unknown ones and lists what
    it dropped in :meth:`problems`, so a bad bookmark never breaks the page.
    """

    q = forms.CharField(
        label="Name",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "placeholder": "e.g. bench press"}
        ),
    )
    ask = forms.CharField(
        label="Describe what you want",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "placeholder": "e.g. knee-friendly quad exercise, no barbell",
            }
        ),
    )
    muscle = forms.MultipleChoiceField(
        label="Muscles", required=False, choices=Muscle.choices, widget=forms.CheckboxSelectMultiple
    )
    muscle_mode = forms.ChoiceField(
        label="Muscle role",
        required=False,
        choices=MUSCLE_MODE_CHOICES,
        widget=forms.RadioSelect,
        initial=MUSCLE_MODE_PRIME,
    )
    equipment = forms.MultipleChoiceField(
        label="Equipment", required=False, choices=Equipment.choices, widget=forms.CheckboxSelectMultiple
    )
    difficulty = forms.ChoiceField(label="Difficulty", required=False, choices=DIFFICULTY_FILTER_CHOICES)
    scope = forms.ChoiceField(
        label="Show",
        required=False,
        choices=SCOPE_CHOICES,
        widget=forms.RadioSelect,
        initial=SCOPE_ALL,
    )

    _MULTI = {"muscle": Muscle.values, "equipment": Equipment.values}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hasattr(self.data, "getlist") and any(
            not v.strip() for name in self._MULTI for v in self.data.getlist(name)
        ):
            # A select's "any" option sends ""; that is no filter, not an unknown value.
            data: Any = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict here
            for name in self._MULTI:
                data.setlist(name, [v for v in data.getlist(name) if v.strip()])
            self.data = data
        self._problems: list[str] = []
        self._filters: LibraryFilters | None = None

    def filters(self) -> LibraryFilters:
        if self._filters is not None:
            return self._filters
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        problems: list[str] = []
        values: dict[str, Any] = {}
        for name in ("q", "ask"):
            if name in cleaned:
                values[name] = " ".join(cleaned[name].split())
            else:
                raw = " ".join(str(self.data.get(name, "")).split())
                if "\x00" in raw:  # the database can't take a NUL byte: drop it, say so
                    raw = " ".join(raw.replace("\x00", " ").split())
                    problems.append(f"{self.fields[name].label}: ignored a character a search can't contain.")
                values[name] = raw[:MAX_QUERY_LENGTH]
                if len(raw) > MAX_QUERY_LENGTH:
                    problems.append(
                        f"{self.fields[name].label}: searches are limited to {MAX_QUERY_LENGTH} characters, "
                        "so yours was shortened."
                    )
        for name, allowed in self._MULTI.items():
            if name in cleaned:
                values[name] = list(cleaned[name])
            else:
                raw_list = self.data.getlist(name) if hasattr(self.data, "getlist") else []
                values[name] = [v for v in dict.fromkeys(raw_list) if v in allowed]
                unknown = [v for v in raw_list if v not in allowed]
                problems.append(
                    f"{self.fields[name].label}: ignored unknown value{'s' if len(unknown) > 1 else ''} "
                    + ", ".join(f"“{v[:40]}”" for v in unknown)
                    + "."
                )
        for name, default in (("muscle_mode", MUSCLE_MODE_PRIME), ("difficulty", ""), ("scope", SCOPE_ALL)):
            if name in cleaned:
                values[name] = cleaned[name] or default
            else:
                values[name] = default
                problems.append(f"{self.fields[name].label}: ignored an unknown value.")
        self._problems = problems
        self._filters = LibraryFilters(
            query=values["q"],
            ask=values["ask"],
            muscles=values["muscle"],
            muscle_mode=values["muscle_mode"],
            equipment=values["equipment"],
            difficulty=values["difficulty"] or None,
            scope=values["scope"],
        )
        return self._filters

    def problems(self) -> list[str]:
        self.filters()
        return self._problems

    def choices_for_template(self) -> dict[str, Any]:
        """Every option with its checked/selected state, so the template writes the inputs itself
        (rendering ~40 widgets through Django's widget templates costs more than the queries)."""
        f = self.filters()

        def options(choices: Any, selected: Any) -> list[dict[str, Any]]:
            chosen = set(selected) if isinstance(selected, list | tuple | set) else {selected}
            return [{"value": v, "label": label, "checked": v in chosen} for v, label in choices]

        labels = dict(Muscle.choices)
        return {
            "muscle_groups": [
                (
                    category.label,
                    options(
                        [(m, labels[m]) for m in Muscle.values if MUSCLE_CATEGORY[m] == category], f.muscles
                    ),
                )
                for category in MuscleCategory
            ],
            "muscle_modes": options(MUSCLE_MODE_CHOICES, f.muscle_mode),
            "equipment": options(Equipment.choices, f.equipment),
            "difficulties": options(DIFFICULTY_FILTER_CHOICES, f.difficulty or ""),
            "scopes": options(SCOPE_CHOICES, f.scope),
        }


CONTRIBUTION_CHOICES = [("", "None")] + [
    (str(level), f"{level:g} ({CONTRIBUTION_LABELS[level]})") for level in CONTRIBUTION_LEVELS
]


def contribution_field_name(muscle: str) -> str:
    return f"contrib_{muscle}"


class CustomExerciseForm(forms.Form):
    """A user's own exercise; one contribution choice per muscle, grouped by muscle category."""

    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        validators=[MinLengthValidator(NAME_MIN_LENGTH)],
        help_text=f"{NAME_MIN_LENGTH} to {NAME_MAX_LENGTH} characters.",
    )
    equipment = forms.ChoiceField(label="Equipment", choices=Equipment.choices)
    difficulty = forms.ChoiceField(
        label="Difficulty", choices=Difficulty.choices, initial=Difficulty.INTERMEDIATE
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
        help_text="How to do it, what to feel. Used by description search too.",
    )
    image_url = forms.URLField(label="Image URL", required=False, max_length=500, assume_scheme="https")
    video_url = forms.URLField(label="Video URL", required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for muscle in Muscle:
            self.fields[contribution_field_name(muscle.value)] = forms.TypedChoiceField(
                label=muscle.label,
                choices=CONTRIBUTION_CHOICES,
                required=False,
                coerce=float,
                empty_value=None,
            )

    @classmethod
    def initial_for(cls, exercise: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": exercise.name,
            "equipment": exercise.equipment,
            "difficulty": exercise.difficulty,
            "description": exercise.description or "",
            "image_url": exercise.image_url or "",
            "video_url": exercise.video_url or "",
        }
        for muscle, level in (exercise.muscle_contributions or {}).items():
            initial[contribution_field_name(muscle)] = str(float(level))
        return initial

    def contribution_groups(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                category.label,
                [self[contribution_field_name(m)] for m in Muscle.values if MUSCLE_CATEGORY[m] == category],
            )
            for category in MuscleCategory
        ]

    def clean_name(self) -> str:
        return clean_exercise_name(self.cleaned_data["name"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        contributions = {
            m: cleaned[contribution_field_name(m)]
            for m in Muscle.values
            if cleaned.get(contribution_field_name(m)) is not None
        }
        if any(contribution_field_name(m) in self.errors for m in Muscle.values):
            return cleaned
        try:
            validate_muscle_contributions(contributions)
        except ValidationError as exc:
            for message in exc.messages:
                self.add_error(None, message)
        cleaned["muscle_contributions"] = contributions
        return cleaned
