"""Coaches (and owners) see their organization members' programs read-only, with the volume, and
give a member a copy of one of their own programs."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthenticatedHttpRequest
from accounts.permissions import can_coach, is_coach_or_owner
from accounts.selectors import organization_members
from hypertroq.ratelimit import ratelimit
from programs import services
from programs.forms import GiveForm
from programs.selectors import (
    coach_member_get,
    program_get_for_member,
    program_get_for_owner,
    program_list_for_member,
)
from programs.views.common import builder_context


@require_GET
@login_required
def member_programs(request: AuthenticatedHttpRequest, member_id: UUID) -> HttpResponse:
    member = coach_member_get(viewer=request.user, member_id=member_id)
    return render(
        request,
        "programs/member_programs.html",
        {"member": member, "programs": program_list_for_member(viewer=request.user, member=member)},
    )


@require_GET
@login_required
def member_program(request: AuthenticatedHttpRequest, member_id: UUID, program_id: UUID) -> HttpResponse:
    member = coach_member_get(viewer=request.user, member_id=member_id)
    program = program_get_for_member(viewer=request.user, member=member, program_id=program_id)
    context = builder_context(request, program, member_view=True, member=member)
    return render(request, "programs/program_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@ratelimit(group="program_clone", key="user")
def program_give(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """ "Give a copy to a member": the coach's own program, deep-copied with assigned_by=coach."""
    if not is_coach_or_owner(request.user):
        raise Http404("Only coaches and owners give programs.")
    program = program_get_for_owner(user=request.user, program_id=program_id)
    members = [
        m
        for m in organization_members(viewer=request.user)
        if m.pk != request.user.pk and can_coach(request.user, m)
    ]
    form = GiveForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        member = form.members.get(form.cleaned_data["member"])
        try:
            copy = services.program_give_to_member(coach=request.user, program=program, member=member)
        except ValidationError as exc:
            form.add_error(
                "member" if hasattr(exc, "error_dict") else None,
                exc if not hasattr(exc, "error_dict") else exc.message_dict.get("member", exc.messages),
            )
        else:
            name = member.full_name or member.email if member else ""
            messages.success(request, f"{name} now has “{copy.name}” in their programs, marked as from you.")
            return redirect("programs:detail", program_id=program.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "programs/program_give.html",
        {"program": program, "form": form, "members": members},
        status=status,
    )
