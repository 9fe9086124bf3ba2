"""The one preferences page: every setting of the lifter, in sections, each saved on its own.

Units and training (``accounts.UserPreferences`` through ``training.services.preferences_update``,
which writes the row with ``accounts.services.user_preferences_update``, and the program followed),
volume (counting rule and landmark overrides) and notifications (choices and reminders). The old
pages of each app redirect here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import user_preferences_for
from accounts.tiers import is_read_only
from hypertroq.forms import add_service_errors
from hypertroq.ratelimit import ratelimit
from notifications import selectors as notification_selectors
from notifications import services as notification_services
from notifications.forms import PreferencesForm as NotificationsForm
from notifications.forms import ReminderForm, field_name
from preferences.forms import TrainingSectionForm
from programs import services as program_services
from programs.forms import PreferencesForm as VolumeForm
from programs.selectors import volume_preference_for
from training import services as training_services
from training.selectors import current_program_id_for

SECTIONS = ("training", "volume", "notifications")
SAVED = {
    "training": "Units and training saved.",
    "volume": "Volume preferences saved: the volume panels follow them now.",
    "notifications": "Notification settings saved.",
}


@dataclass
class Forms:
    training: TrainingSectionForm
    volume: VolumeForm
    notifications: NotificationsForm
    reminder: ReminderForm
    notification_rows: list[Any]
    time_zone: str  # the lifter's, which reminders follow


def _forms(user: Any, section: str | None, data: Any) -> Forms:
    prefs = user_preferences_for(user=user)
    volume = volume_preference_for(user=user)
    rows = notification_selectors.preference_rows(user=user)
    reminder = notification_selectors.reminder_settings_for(user=user)
    notification_initial: dict[str, Any] = {}
    for row in rows:
        notification_initial[field_name(row.kind, "in_app")] = row.in_app
        notification_initial[field_name(row.kind, "email")] = row.email
    reminder_form = ReminderForm(
        data if section == "notifications" else None,
        initial={"remind_at": reminder.remind_at, "weekdays": list(reminder.weekdays)},
        prefix="reminder",
    )
    # One time zone for the lifter: reminders come in the one of the units-and-training section.
    del reminder_form.fields["time_zone"]
    return Forms(
        training=TrainingSectionForm(
            data if section == "training" else None,
            initial=TrainingSectionForm.initial_from(prefs, current_program_id_for(user=user)),
            user=user,
        ),
        volume=VolumeForm(
            data if section == "volume" else None,
            initial={"counting": prefs.counting},
            overrides=volume.landmark_overrides if volume is not None else {},
        ),
        notifications=NotificationsForm(
            data if section == "notifications" else None, initial=notification_initial
        ),
        reminder=reminder_form,
        notification_rows=rows,
        time_zone=prefs.time_zone or ("" if reminder._state.adding else reminder.time_zone) or "UTC",
    )


def _save_training(user: Any, forms: Forms) -> bool:
    form = forms.training
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        training_services.preferences_update(
            user=user,
            unit=data["unit"],
            display_increment=data["display_increment"],
            bar_weight=data["bar_weight"],
            plates=data["plates"],
            rir_threshold=data["rir_threshold"],
            time_zone=data["time_zone"],
            current_program=data["current_program"],
            week_start=data["week_start"],
            default_rest_seconds=data["default_rest_seconds"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def _save_volume(user: Any, forms: Forms) -> bool:
    form = forms.volume
    if not form.is_valid():
        return False
    try:
        program_services.volume_preference_update(
            user=user,
            counting=form.cleaned_data["counting"],
            landmark_overrides=form.cleaned_data["landmark_overrides"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def _save_notifications(user: Any, forms: Forms) -> bool:
    if not (forms.notifications.is_valid() and forms.reminder.is_valid()):
        return False
    reminder = forms.reminder.cleaned_data
    try:
        with transaction.atomic():
            notification_services.preferences_update(user=user, choices=forms.notifications.choices())
            notification_services.reminder_settings_update(
                user=user,
                time_zone=forms.time_zone,
                remind_at=reminder["remind_at"],
                weekdays=reminder["weekdays"],
            )
    except ValidationError as exc:
        forms.reminder.add_error(None, exc)
        return False
    return True


SAVE = {"training": _save_training, "volume": _save_volume, "notifications": _save_notifications}


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="account_write", key="user")
def page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    section = request.POST.get("section") if request.method == "POST" else None
    if section is not None and section not in SECTIONS:
        section = None
    forms = _forms(user, section, request.POST)
    if section is not None and SAVE[section](user, forms):
        messages.success(request, SAVED[section])
        return redirect(reverse("preferences:page") + f"#{section}")
    table = [
        {
            "label": row.label,
            "in_app": forms.notifications[field_name(row.kind, "in_app")],
            "email": forms.notifications[field_name(row.kind, "email")],
        }
        for row in forms.notification_rows
    ]
    return render(
        request,
        "preferences/page.html",
        {
            "forms": forms,
            "volume_rows": forms.volume.bound_rows(),
            "notification_table": table,
            "read_only": is_read_only(user),
            "section": section,
        },
        status=400 if request.method == "POST" else 200,
    )
