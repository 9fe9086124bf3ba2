"""The sections of the preferences page; each is one form posted on its own (``section``)."""

from __future__ import annotations

from typing import Any

from django import forms

from accounts.preferences import MAX_DEFAULT_REST_SECONDS, UserPreferences, Weekday
from training.forms import PreferencesForm as TrainingPreferencesForm


class TrainingSectionForm(TrainingPreferencesForm):
    """Units, rounding, bar and plates, the hard-set limit, time zone, week start, default rest and
    the program followed. The counting rule is in the volume section (one field per setting)."""

    week_start = forms.TypedChoiceField(
        choices=Weekday.choices,
        coerce=int,
        label="Week starts on",
        help_text="The first column of your workout calendar. Weekly volume and the digest count Monday to Sunday (ISO weeks).",
    )
    default_rest_seconds = forms.IntegerField(
        min_value=0,
        max_value=MAX_DEFAULT_REST_SECONDS,
        label="Default rest (seconds)",
        help_text="The rest timer after a set of an exercise your program gives no rest for (0 to 900 seconds; default 120).",
    )

    field_order = [
        "unit",
        "display_increment",
        "bar_weight",
        "plates",
        "rir_threshold",
        "default_rest_seconds",
        "time_zone",
        "week_start",
        "current_program",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["counting"]
        self.fields[
            "time_zone"
        ].help_text = "Weeks and dates run in this zone, e.g. Europe/Berlin. Empty: your browser's, else UTC."

    @classmethod
    def initial_from(cls, prefs: UserPreferences, current_program_id: Any) -> dict[str, Any]:
        initial = cls.initial_for(prefs, str(prefs.counting), current_program_id)
        initial.update({"week_start": prefs.week_start, "default_rest_seconds": prefs.default_rest_seconds})
        return initial
