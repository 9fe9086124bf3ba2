"""The plate calculator, following a program from the dashboard, and the old address of the
training preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from hypertroq.forms import error_text
from hypertroq.http import valid_uuid, wants_partial
from programs.selectors import program_get_for_owner
from training import selectors, services
from training.forms import (
    PlatesForm,
)
from training.page import plates_for

# --- Preferences and plates -------------------------------------------------------------------------


@login_required
@require_GET
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The training preferences are a section of the one preferences page now."""
    return redirect(reverse("preferences:page") + "#training")


@login_required
@require_POST
def program_follow(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Follow one of your programs, from the dashboard's Train card: its session of the day shows
    there from then on (the preferences page sets the same)."""
    program_id = request.POST.get("program", "")
    if not valid_uuid(program_id):
        messages.error(request, "Choose one of your programs to follow.")
        return redirect("accounts:dashboard")
    program = program_get_for_owner(user=request.user, program_id=program_id)  # 404: not theirs
    try:
        services.training_preferences_update(user=request.user, current_program=program)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"You follow “{program.name}” now: its session of the day is below.")
    return redirect("accounts:dashboard")


@login_required
@require_GET
def plates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plate calculator: per side, the fewest plates for a load with your bar and plates."""
    user = request.user
    prefs = selectors.preferences_for(user=user)
    form = PlatesForm(request.GET or None)
    loading = plates_for(form.cleaned_data["weight"], prefs) if form.is_valid() else None
    template = "training/plates.html#plates-result" if wants_partial(request) else "training/plates.html"
    return render(request, template, {"form": form, "loading": loading, "prefs": prefs})
