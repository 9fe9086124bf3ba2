"""Sign-up, e-mail verification, login and logout, and password reset (Django's views, our
templates)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import login_slowdown, services
from accounts.forms import (
    EmailLoginForm,
    HypertroqPasswordResetForm,
    SignUpForm,
)
from accounts.http import AuthenticatedHttpRequest
from hypertroq.audit import AuditAction, audit_log
from hypertroq.forms import add_service_errors
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import ratelimit


@require_http_methods(["GET", "POST"])
@ratelimit(group="signup", key="ip")
def signup(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Same answer whether or not the address was already registered (no enumeration).
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@require_GET
def signup_done(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_done.html")


@require_GET
def verify_email(request: HtmxHttpRequest, token: str) -> HttpResponse:
    try:
        user = services.email_verify(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_failed.html", {"message": error.messages[0]}, status=400)
    messages.success(request, f"Thanks, {user.email} is confirmed.")
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    return redirect(f"{reverse('accounts:login')}?next={reverse('accounts:dashboard')}")


@login_required
@require_POST
@ratelimit(group="email_send", key="user")
def resend_verification(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.email_verified:
        messages.info(request, "Your email is already confirmed.")
    else:
        services.email_verification_send(user=user)
        messages.success(request, f"We sent a new confirmation link to {user.email}.")
    if wants_partial(request):
        # Swapped into the page as HTML: the address (a user's own text) is escaped.
        if user.email_verified:
            return HttpResponse(format_html("{} is already confirmed.", user.email))
        return HttpResponse(format_html("A new confirmation link is on its way to {}.", user.email))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)  # a URL, never a view name for redirect() to reverse
    return redirect("accounts:dashboard")


@method_decorator(ratelimit(group="login", key="ip"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = EmailLoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Per-account slowdown (accounts.login_slowdown): checked before the password, for every
        # address, known or not. django-axes' per (account, address) lock still applies.
        wait = login_slowdown.wait_seconds(str(request.POST.get("username", "")))
        if wait:
            # An unbound form: binding would run authenticate(), i.e. check the password.
            form = self.form_class(request, initial={"username": str(request.POST.get("username", ""))[:255]})
            form.cleaned_data = {}
            form.add_error(
                None,
                f"Too many failed log-in attempts for this account. Wait {wait} "
                f"second{'s' if wait != 1 else ''} and try again.",
            )
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        login_slowdown.reset(form.get_user().email)
        response = super().form_valid(form)
        if getattr(self.request, "account_restored", False):
            messages.success(self.request, "Welcome back! Your account is no longer scheduled for deletion.")
        return response


class LogoutView(auth_views.LogoutView):
    pass


# --- password reset (Django's views, our templates) ----------------------------------------------------


@method_decorator(ratelimit(group="password_reset", key="ip"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = HypertroqPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Our service, not Django's form.save(): links from SITE_URL (never the Host header),
        # the email sent after commit, and the same work for known and unknown addresses.
        services.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit_log(action=AuditAction.PASSWORD_RESET, actor=form.user, target=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
