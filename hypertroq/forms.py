"""Form helpers shared by every app's views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def error_text(exc: ValidationError) -> str:
    """A service's refusal as one line for a message or a form's top error."""
    return " ".join(exc.messages)


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's ValidationError back on the form the view re-renders.

    Errors on a field the form has go next to that field; errors on a model field the form
    doesn't have (e.g. ``order_index`` from ``full_clean``) and errors without a field become
    non-field errors, instead of making ``add_error`` raise.
    """
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
