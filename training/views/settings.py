"""The plate calculator, and the old address of the training preferences."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from hypertroq.http import wants_partial
from training import selectors
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
@require_GET
def plates(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The plate calculator: per side, the fewest plates for a load with your bar and plates."""
    user = request.user
    prefs = selectors.preferences_for(user=user)
    form = PlatesForm(request.GET or None)
    loading = plates_for(form.cleaned_data["weight"], prefs) if form.is_valid() else None
    template = "training/plates.html#plates-result" if wants_partial(request) else "training/plates.html"
    return render(request, template, {"form": form, "loading": loading, "prefs": prefs})
