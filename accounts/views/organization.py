"""The organization's members page: invitations, roles, removal, and accepting an invitation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors, services, tiers
from accounts.forms import (
    InvitationForm,
    RoleForm,
    SignUpForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Role
from accounts.permissions import can_coach, is_coach_or_owner, is_owner
from accounts.quota import ai_quota_status
from accounts.views.common import forbidden
from hypertroq.forms import add_service_errors
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import ratelimit


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
        return forbidden(request, "Only the organization's owners and coaches can see its members.")
    return render(request, "accounts/organization_members.html", _members_context(request))


@login_required
@require_POST
@ratelimit(group="member_invite", key="user")
def invitation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not is_owner(user):
        return forbidden(request, "Only the organization's owners can invite people.")
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
        services.invitation_revoke(actor=request.user, invitation=invitation)
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
        services.member_remove(actor=request.user, member=member)
    except PermissionDenied as denied:
        return forbidden(request, str(denied))
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
        services.member_role_change(actor=request.user, member=member, role=form.cleaned_data["role"])
    except PermissionDenied as denied:
        return forbidden(request, str(denied))
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
