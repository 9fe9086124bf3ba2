"""Preference and reminder forms."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from django import forms

from notifications.models import Channel, NotificationKind

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
        if "/" in name or name == "UTC"
    ]


def field_name(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    """One checkbox per kind and channel; an unticked box is a "no"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind, label in NotificationKind.choices:
            for channel, channel_label in Channel.choices:
                self.fields[field_name(kind, channel)] = forms.BooleanField(
                    required=False, label=f"{label}: {channel_label}"
                )

    def choices(self) -> dict[tuple[str, str], bool]:
        return {
            (kind, channel): bool(self.cleaned_data.get(field_name(kind, channel)))
            for kind in NotificationKind.values
            for channel in Channel.values
        }


class ReminderForm(forms.Form):
    time_zone = forms.ChoiceField(label="Your time zone", choices=time_zone_choices)
    remind_at = forms.TimeField(
        label="Remind me at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="On these days",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked to be reminded on your current program's training days. "
        "A rotation (cyclic program) has no fixed weekdays: tick the days you train.",
    )
