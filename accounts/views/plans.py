"""Plans and upgrade requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts import billing, selectors, services, tiers
from accounts.forms import (
    UpgradeRequestForm,
)
from accounts.http import AuthenticatedHttpRequest
from accounts.models import FREE_USER_AI_QUERIES, OrganizationTier
from accounts.permissions import is_owner
from accounts.views.common import forbidden
from hypertroq.forms import add_service_errors
from hypertroq.http import HtmxHttpRequest
from hypertroq.ratelimit import ratelimit


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
            return forbidden(request, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Thanks: your request reached HypertroQ staff. Your plan changes as soon as they approve it.",
            )
            return redirect("accounts:plans")
    return render(request, "accounts/plans.html", _plans_context(request, form), status=400)
