"""Two-factor pages: set up and manage (profile), the code at login, and re-authentication
before staff change data in the admin. The rules are in accounts.services.two_factor and
accounts.middleware.TwoFactorMiddleware."""

from __future__ import annotations

import time
from typing import Any

import django_otp
import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts import sessions
from accounts.forms import CurrentPasswordForm
from accounts.http import AuthenticatedHttpRequest
from accounts.services import two_factor as tf
from hypertroq.compression import never_compress
from hypertroq.ratelimit import ratelimit


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": False}
        ),
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
    )


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@never_compress  # shows the TOTP key and recovery codes: no compressed length to measure
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="account_write", key="user")
def two_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn two-factor on (scan, type the first code, keep the recovery codes) or manage it."""
    user = request.user
    enabled = tf.two_factor_enabled(user)
    codes: list[str] | None = None
    code_form = CodeForm(prefix="setup")
    password_form = CurrentPasswordForm(user=user, prefix="manage")
    action = request.POST.get("action", "")
    if request.method == "POST" and not enabled and action == "confirm":
        code_form = CodeForm(request.POST, prefix="setup")
        if code_form.is_valid():
            device = tf.totp_setup_device(user=user)
            try:
                codes = tf.totp_confirm(user=user, device=device, token=code_form.cleaned_data["code"])
            except ValidationError as error:
                code_form.add_error("code", error)
            else:
                device.refresh_from_db()
                django_otp.login(request, device)
                sessions.mark_verified(request)
                enabled = True
    elif request.method == "POST" and enabled and action in ("regenerate", "disable"):
        password_form = CurrentPasswordForm(request.POST, user=user, prefix="manage")
        if password_form.is_valid():
            if action == "regenerate":
                codes = tf.recovery_codes_regenerate(user=user)
            else:
                tf.two_factor_disable(user=user)
                sessions.mark_two_factor(request, required=False)
                messages.info(request, "Two-factor authentication is off.")
                return redirect("accounts:two_factor")
    context: dict[str, Any] = {
        "enabled": enabled,
        "codes": codes,
        "code_form": code_form,
        "password_form": password_form,
        "staff_needs_it": user.is_staff and not enabled,
    }
    if not enabled:
        device = tf.totp_setup_device(user=user)
        uri = tf.totp_provisioning_uri(device)
        context["qr_data_uri"] = segno.make(uri, error="m").svg_data_uri(scale=4, dark="#000", light="#fff")
        context["secret"] = _b32_secret(device)
    return render(request, "accounts/two_factor.html", context)


def _b32_secret(device: Any) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="login", key="user")
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The second step of logging in, for someone who turned two-factor on."""
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = tf.two_factor_check(user=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error("code", "That code does not match. Try the newest code from your app.")
        else:
            django_otp.login(request, device)
            sessions.mark_verified(request)
            return HttpResponseRedirect(_next_url(request, "/"))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request, "")})


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="login", key="user")
def reauthenticate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm it is still you (password, and a code with two-factor on) before a change in the
    admin, when the last login or confirmation is older than ADMIN_RECENT_LOGIN."""
    user = request.user
    needs_code = tf.two_factor_enabled(user)
    password_form = CurrentPasswordForm(request.POST or None, user=user)
    code_form = CodeForm(request.POST or None) if needs_code else None
    if request.method == "POST" and password_form.is_valid() and (code_form is None or code_form.is_valid()):
        device = None
        if code_form is not None:
            device = tf.two_factor_check(user=user, code=code_form.cleaned_data["code"])
            if device is None:
                code_form.add_error("code", "That code does not match. Try the newest code from your app.")
        if code_form is None or device is not None:
            if device is not None:
                django_otp.login(request, device)
            sessions.mark_verified(request)
            request.session[sessions.REAUTH_AT] = time.time()
            return HttpResponseRedirect(_next_url(request, "/admin/"))
    return render(
        request,
        "accounts/reauthenticate.html",
        {"password_form": password_form, "code_form": code_form, "next": _next_url(request, "")},
    )
