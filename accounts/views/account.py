"""The signed-in user's own pages: the dashboard, profile, sessions, password, account deletion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services, tiers
from accounts.forms import (
    DeleteAccountForm,
    HypertroqPasswordChangeForm,
    ProfileForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import is_coach_or_owner
from accounts.quota import ai_quota_status
from hypertroq.forms import add_service_errors
from hypertroq.ratelimit import ratelimit


@login_required
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "quota": ai_quota_status(user=user),
        "tier": tiers.effective_tier(user),
        "organization": user.organization,
        "can_see_members": is_coach_or_owner(user),
        "solo": tiers.is_solo(user),
        "max_programs": tiers.max_active_programs(user),
        "custom_exercises": tiers.can_create_custom_exercises(user),
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="account_write", key="user")
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    initial = {"full_name": user.full_name, "email": user.email}
    form = ProfileForm(request.POST or None, initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(
                user=user, full_name=form.cleaned_data["full_name"], email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            user.refresh_from_db()
            add_service_errors(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
@require_POST
@ratelimit(group="account_write", key="user")
def logout_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """End every session of this account, on every device, this one included."""
    services.user_sessions_revoke(user=request.user)
    logout(request)
    messages.info(request, "You are logged out on every device. Log in again to continue.")
    return redirect("accounts:login")


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="account_write", key="user")
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = HypertroqPasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_password_change(user=user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, "Your password is changed.")
        return redirect("accounts:dashboard")
    return render(request, "accounts/password_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="account_write", key="user")
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete_request(user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            purge_on = services.account_purge_date(user)
            logout(request)
            messages.info(
                request,
                "Your account is scheduled for deletion"
                + (f" on {purge_on:%d %B %Y}" if purge_on else "")
                + ". Log in before then to keep it.",
            )
            return redirect("home")
    return render(
        request,
        "accounts/account_delete.html",
        {"form": form, "grace_days": services.ACCOUNT_DELETION_GRACE.days},
    )
