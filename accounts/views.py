"""Account and organization pages: thin views over accounts.services and accounts.selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import billing, login_slowdown, selectors, services, tiers
from accounts.forms import (
    DeleteAccountForm,
    EmailLoginForm,
    HypertroqPasswordChangeForm,
    HypertroqPasswordResetForm,
    InvitationForm,
    ProfileForm,
    RoleForm,
    SignUpForm,
    UpgradeRequestForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.models import FREE_USER_AI_QUERIES, OrganizationTier, Role
from accounts.permissions import can_coach, is_coach_or_owner, is_owner
from accounts.quota import ai_quota_status
from hypertroq.audit import AuditAction, audit_log
from hypertroq.forms import add_service_errors
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import ratelimit


def _forbidden(request: HtmxHttpRequest, message: str) -> HttpResponse:
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)


# --- sign-up, verification, login -------------------------------------------------------------------


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


# --- the signed-in user's pages ---------------------------------------------------------------------


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


# --- organization -------------------------------------------------------------------------------------


def _members_context(request: AuthenticatedHttpRequest, invite_form: Form | None = None) -> dict[str, Any]:
    user = request.user
    members = list(selectors.organization_members(viewer=user))
    for row in members:
        # What each member's own dashboard says: the effective plan and the quota they can spend.
        member: Any = row
        member.shown_tier = "Pro" if tiers.has_pro_features(member) else "Free"
        member.quota = ai_quota_status(user=member)
    limit = tiers.member_limit(user.organization)
    invitations = list(selectors.organization_invitations(viewer=user)[:50])
    # The same count invitation_create checks: members plus open invitations, against the plan.
    taken = len(members) + sum(1 for invitation in invitations if invitation.status == "pending")
    return {
        "organization": user.organization,
        "members": members,
        # Whose programs the viewer may open (owners: everyone else; coaches: members).
        "coachable": {m.pk for m in members if can_coach(user, m)},
        "member_limit": limit,
        "is_owner": is_owner(user),
        "can_invite": limit is None or taken < limit,
        "invitations": invitations,
        "invite_form": invite_form or InvitationForm(),
        "role_choices": Role.choices,
    }


@login_required
@require_GET
def members(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_coach_or_owner(request.user):
        return _forbidden(request, "Only the organization's owners and coaches can see its members.")
    return render(request, "accounts/organization_members.html", _members_context(request))


@login_required
@require_POST
@ratelimit(group="member_invite", key="user")
def invitation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not is_owner(user):
        return _forbidden(request, "Only the organization's owners can invite people.")
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=user, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if getattr(invitation, "resent", False):
                messages.success(
                    request, f"{invitation.email} already had a pending invitation: we sent it again."
                )
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
            if not wants_partial(request):
                return redirect("accounts:members")
            form = InvitationForm()
    context = _members_context(request, invite_form=form)
    if wants_partial(request):
        return render(request, "accounts/organization_members.html#invitations", context)
    return render(request, "accounts/organization_members.html", context)


@login_required
@require_POST
@ratelimit(group="account_write", key="user")
def invitation_revoke(request: AuthenticatedHttpRequest, invitation_id: Any) -> HttpResponse:
    invitation = selectors.invitation_get_for_owner(viewer=request.user, invitation_id=invitation_id)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The invitation for {invitation.email} is withdrawn.")
    return redirect("accounts:members")


@login_required
@require_POST
@ratelimit(group="account_write", key="user")
def member_remove(request: AuthenticatedHttpRequest, member_id: Any) -> HttpResponse:
    member = selectors.member_get_for_owner(viewer=request.user, member_id=member_id)
    try:
        services.member_remove(actor=request.user, member=member)  # type: ignore[arg-type]
    except PermissionDenied as denied:
        return _forbidden(request, str(denied))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{member.full_name} is no longer a member. They keep their programs.")
    return redirect("accounts:members")


@login_required
@require_POST
@ratelimit(group="account_write", key="user")
def member_role(request: AuthenticatedHttpRequest, member_id: Any) -> HttpResponse:
    member = selectors.member_get_for_owner(viewer=request.user, member_id=member_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, coach or member.")
        return redirect("accounts:members")
    try:
        services.member_role_change(actor=request.user, member=member, role=form.cleaned_data["role"])  # type: ignore[arg-type]
    except PermissionDenied as denied:
        return _forbidden(request, str(denied))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, f"{member.full_name} is now {Role(form.cleaned_data['role']).label.lower()}."
        )
    return redirect("accounts:members")


@require_http_methods(["GET", "POST"])
@ratelimit(group="signup", key="ip")
def invitation_accept(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The link in an invitation email: log in and accept, or sign up into the organization."""
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as error:
        return render(request, "accounts/invitation_invalid.html", {"message": error.messages[0]}, status=400)
    user = request.user
    signup_form = None
    error_message = None
    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as error:
                error_message = error.messages[0]
            else:
                messages.success(request, f"Welcome to {invitation.organization.name}!")
                return redirect("accounts:dashboard")
    else:
        signup_form = SignUpForm(request.POST or None, fixed_email=invitation.email)
        if request.method == "POST" and signup_form.is_valid():
            try:
                new_user = services.user_sign_up(
                    email=invitation.email,
                    full_name=signup_form.cleaned_data["full_name"],
                    password=signup_form.cleaned_data["password"],
                    invitation=invitation,
                )
            except ValidationError as error:
                add_service_errors(signup_form, error)
            else:
                if new_user is None:
                    messages.info(request, "You already have an account: log in to accept the invitation.")
                    return redirect(f"{reverse('accounts:login')}?next={request.path}")
                # The invitation link reached this address (the account is verified): log the new
                # member in rather than sending them to the login form.
                login(request, new_user, backend="accounts.backends.EmailBackend")
                messages.success(request, f"Welcome to {invitation.organization.name}!")
                return redirect("accounts:dashboard")
    return render(
        request,
        "accounts/invitation_accept.html",
        {
            "invitation": invitation,
            "signup_form": signup_form,
            "error_message": error_message,
            "email_matches": user.is_authenticated and user.email.lower() == invitation.email.lower(),
        },
        status=400 if error_message else 200,
    )


# --- plans and upgrades -----------------------------------------------------------------------------


def _plans_context(request: HtmxHttpRequest, form: Form | None = None) -> dict[str, Any]:
    user: Any = request.user
    context: dict[str, Any] = {
        "free_program_limit": tiers.FREE_PROGRAM_LIMIT,
        "free_ai_queries": FREE_USER_AI_QUERIES,
        "pro_members": tiers.ORGANIZATION_MEMBER_LIMITS[OrganizationTier.PRO],
        "payments": billing.provider_configured(),
        "form": form or UpgradeRequestForm(),
    }
    if user.is_authenticated:
        context.update(
            {
                "tier": tiers.effective_tier(user),
                "organization": user.organization,
                "is_owner": is_owner(user),
                "solo": tiers.is_solo(user),
                "pending": {r.plan: r for r in selectors.upgrade_requests_pending(user=user)},
            }
        )
    return context


@require_GET
def plans(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "accounts/plans.html", _plans_context(request))


@login_required
@require_POST
@ratelimit(group="account_write", key="user")
def upgrade_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = UpgradeRequestForm(request.POST)
    if form.is_valid():
        plan = form.cleaned_data["plan"]
        checkout = billing.checkout_url(user=user, plan=plan)
        if checkout:
            return HttpResponseRedirect(checkout)
        try:
            services.upgrade_request_create(user=user, plan=plan, note=form.cleaned_data["note"])
        except PermissionDenied as error:
            return _forbidden(request, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Thanks: your request reached HypertroQ staff. Your plan changes as soon as they approve it.",
            )
            return redirect("accounts:plans")
    return render(request, "accounts/plans.html", _plans_context(request, form), status=400)
