"""Training preferences and the plate calculator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hypertroq.forms import add_service_errors
from training import selectors, services
from training.forms import (
    PlatesForm,
    PreferencesForm,
)
from training.page import plates_for
from training.views.common import is_htmx

# --- Preferences and plates -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    prefs = selectors.preferences_for(user=user)
    counting = selectors.counting_rule_for(user=user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.preferences_update(
                    user=user,
                    unit=data["unit"],
                    display_increment=data["display_increment"],
                    bar_weight=data["bar_weight"],
                    plates=data["plates"],
                    rir_threshold=data["rir_threshold"],
                    time_zone=data["time_zone"],
                    current_program=data["current_program"],
                    counting=data["counting"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Training preferences saved.")
                return redirect("training:preferences")
    else:
        form = PreferencesForm(initial=PreferencesForm.initial_for(prefs, counting), user=user)
    return render(
        request,
        "training/preferences.html",
        {"form": form, "prefs": prefs},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def plates(request: HttpRequest) -> HttpResponse:
    """The plate calculator: per side, the fewest plates for a load with your bar and plates."""
    user: Any = request.user
    prefs = selectors.preferences_for(user=user)
    form = PlatesForm(request.GET or None)
    loading = plates_for(form.cleaned_data["weight"], prefs) if form.is_valid() else None
    template = "training/plates.html#plates-result" if is_htmx(request) else "training/plates.html"
    return render(request, template, {"form": form, "loading": loading, "prefs": prefs})
