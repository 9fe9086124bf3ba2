"""Account and organization forms. Services enforce the rules; forms check the input."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm

from accounts.models import Plan, Role, User


def clean_person_name(value: str) -> str:
    """A person's name: one line of printable text (no CR/LF, tabs or other control characters:
    a name goes into email subjects and headers, where a line break would end the header)."""
    name = value.strip()
    if not name:
        raise forms.ValidationError("Please enter your name.")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in name):
        raise forms.ValidationError("Your name can only hold letters, spaces and punctuation, on one line.")
    return name


class EmailLoginForm(AuthenticationForm):
    """Django's login form with the username field presented as "Email".

    The field keeps its name ``username`` (what django-axes reads, AXES_USERNAME_FORM_FIELD).
    """

    username = forms.EmailField(
        label="Email",
        max_length=255,
        # No autofocus: the first Tab must reach the skip link, and screen readers start at the top.
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both and try again.",
    }


class SignUpForm(forms.Form):
    email = forms.EmailField(max_length=255, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    full_name = forms.CharField(
        label="Full name", max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; not a common password, not close to your name or email.",
    )

    def __init__(self, *args: Any, fixed_email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_email = fixed_email
        if fixed_email is not None:
            self.fields["email"].initial = fixed_email
            self.fields["email"].widget.attrs["readonly"] = True
            self.fields["email"].help_text = "The invitation was sent to this address."

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if self.fixed_email is not None and email.lower() != self.fixed_email.lower():
            raise forms.ValidationError("Sign up with the address the invitation was sent to.")
        return email

    def clean_full_name(self) -> str:
        return clean_person_name(self.cleaned_data["full_name"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label="Full name", max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        max_length=255,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Changing it sends a confirmation link to the new address.",
    )
    current_password = forms.CharField(
        label="Current password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Needed only to change your email address.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        """A new address needs the current password: with the address, whoever holds a session
        (a stolen cookie, an unlocked phone) could take the account over by a password reset."""
        cleaned = super().clean() or {}
        email = cleaned.get("email")
        if email and email.strip().lower() != self.user.email.lower():
            password = cleaned.get("current_password") or ""
            if not password:
                self.add_error("current_password", "Enter your current password to change your email.")
            elif not self.user.check_password(password):
                self.add_error("current_password", "That is not your current password.")
        return cleaned

    def clean_full_name(self) -> str:
        return clean_person_name(self.cleaned_data["full_name"])


class HypertroqPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password, new twice, validators) without saving: the service saves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django autofocuses the old password; then the first Tab would skip the skip link.
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class HypertroqPasswordResetForm(PasswordResetForm):
    """Django's reset form: it mails only existing, active, not-deleted accounts (default manager)
    and the view answers the same either way."""


class CurrentPasswordForm(forms.Form):
    """The signed-in user's current password, checked: deleting the account, and managing
    two-factor (recovery codes, turning it off), ask for it."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class DeleteAccountForm(CurrentPasswordForm):
    """Deleting the account asks for the current password."""


class InvitationForm(forms.Form):
    email = forms.EmailField(max_length=255, widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class UpgradeRequestForm(forms.Form):
    plan = forms.ChoiceField(choices=Plan.choices)
    note = forms.CharField(
        required=False,
        max_length=500,
        label="Anything staff should know (optional)",
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
