"""Coach pages: "Review my program" (+ Apply) on the builder and the program generator.

Every program id resolves through the builder's owner-scoped selector (another user's id -> 404).
The last review of a program is kept in the user's session (findings and their fixes as plain
data), so Apply refers to a finding by number and the fix itself never travels through the
browser; the builder shows the kept review again on reload without another AI query.

htmx requests get fragments (errors with status 200, as the builder does, because htmx does not
swap 4xx answers here); plain form posts get full pages with 4xx on errors.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.http import AuthenticatedHttpRequest
from accounts.quota import AIQuotaExceeded, ai_quota_status
from coach import services
from coach.forms import GenerateForm, generate_initial
from coach.generator.request import (
    DEFAULT_SESSION_SETS_BY_DAYS,
    MAX_DAYS,
    MAX_SESSION_SETS,
    MIN_DAYS,
    MIN_SESSION_SETS,
)
from coach.plan import Fix
from coach.services import StaleFix, program_review_run, review_fix_apply
from coach.store import store_generation, store_review, stored_review
from exercises.domain import Equipment, Fitting, Muscle
from hypertroq.forms import add_service_errors, error_text
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import ratelimit
from programs.models import StructureType, TrainingProgram
from programs.selectors import program_get_for_owner
from programs.views.common import builder_context, toast_html, volume_html
from programs.volume import SESSION_MUSCLE_WARNING_SETS

BUILDER_PAGE = "programs/program_detail.html"


# ---------------------------------------------------------------- the kept review


def _review_context(
    request: AuthenticatedHttpRequest,
    program: TrainingProgram,
    *,
    error: str = "",
    notice: str = "",
    editable: bool = True,
) -> dict[str, Any]:
    return {
        "program": program,
        "review": stored_review(request, program),
        "review_error": error,
        "review_notice": notice,
        "quota": str(ai_quota_status(user=request.user)),
        "editable": editable,
    }


def _review_fragment(request: HtmxHttpRequest, context: dict[str, Any], *, oob: bool = False) -> str:
    # refresh_quota: the builder's quota line (#coach-quota) is swapped out of band with the
    # fragment, so it shows what the review just spent.
    return render_to_string(
        "coach/review_results.html", {**context, "oob": oob, "refresh_quota": True}, request=request
    )


# ---------------------------------------------------------------- review


@require_http_methods(["GET", "POST"])
@login_required
@ratelimit(group="ai_query", key="user")
def program_review(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """GET: the kept review (no AI query). POST: run a new review (one AI query)."""
    program = program_get_for_owner(user=request.user, program_id=program_id)
    error, status = "", 200
    if request.method == "POST":
        try:
            result = program_review_run(user=request.user, program=program)
        except AIQuotaExceeded as exc:
            error, status = error_text(exc), 403
        except ValidationError as exc:
            error, status = error_text(exc), 400
        else:
            store_review(request, program, result.findings)
    context = _review_context(request, program, error=error)
    if wants_partial(request):
        return HttpResponse(_review_fragment(request, context))
    return render(request, "coach/review.html", context, status=status)


@require_POST
@login_required
@ratelimit(group="program_write", key="user")
def review_apply(request: AuthenticatedHttpRequest, program_id: UUID) -> HttpResponse:
    """Apply one finding's fix from the kept review (no AI query)."""
    program = program_get_for_owner(user=request.user, program_id=program_id)
    review = stored_review(request, program)
    error, status = "", 200
    finding: dict[str, Any] | None = None
    try:
        index = int(request.POST.get("finding", ""))
    except ValueError:
        index = -1
    if review is None:
        error, status = "There is no review to apply; run the review first.", 400
    elif not 0 <= index < len(review["findings"]) or not review["findings"][index].get("fix"):
        error, status = "That suggestion is not in your latest review; run the review again.", 400
    else:
        finding = review["findings"][index]
        if finding.get("applied"):
            error, status = "You already applied this suggestion.", 409
    if not error and finding is not None:
        try:
            review_fix_apply(user=request.user, program=program, fix=Fix.from_dict(finding["fix"]))
        except StaleFix as exc:
            error, status = error_text(exc), 409
        except ValidationError as exc:
            error, status = error_text(exc), 400
        else:
            finding["applied"] = True
            request.session.modified = True
    notice = f"Applied: {finding['fix']['description']}" if finding is not None and not error else ""
    if wants_partial(request):
        context = builder_context(request, program)
        review_html = _review_fragment(
            request,
            _review_context(request, program, error=error, notice=notice, editable=context["editable"]),
        )
        if error:
            return HttpResponse(review_html)
        # The review panel (target), plus out-of-band: the sessions, the volume panel, a toast.
        sessions_html = str(render_to_string(f"{BUILDER_PAGE}#sessions-region", context, request=request))
        sessions_html = sessions_html.replace(
            '<div id="sessions-region">', '<div id="sessions-region" hx-swap-oob="true">', 1
        )
        return HttpResponse(
            review_html
            + sessions_html
            + volume_html(request, context["volume"], context["program"].pk)
            + toast_html(request, notice)
        )
    if error:
        return render(
            request,
            "coach/review.html",
            _review_context(request, program, error=error),
            status=status,
        )
    messages.success(request, notice)
    return redirect(reverse("programs:detail", kwargs={"program_id": program.pk}) + "#coach-review")


# ---------------------------------------------------------------- generator


def _generate_page(
    request: AuthenticatedHttpRequest, form: GenerateForm, *, status: int = 200
) -> HttpResponse:
    quota = ai_quota_status(user=request.user)
    context = {
        "form": form,
        "quota": str(quota),
        "quota_spent": quota.remaining == 0,
        "quota_spent_message": quota.spent_message,
        "limits": {
            "min_days": MIN_DAYS,
            "max_days": MAX_DAYS,
            "min_sets": MIN_SESSION_SETS,
            "max_sets": MAX_SESSION_SETS,
            "muscle_sets_per_session": f"{SESSION_MUSCLE_WARNING_SETS:g}",
        },
        "equipment_choices": Equipment.choices,
        "fitting_choices": Fitting.choices,
        "default_session_sets": DEFAULT_SESSION_SETS_BY_DAYS,
        "muscle_choices": Muscle.choices,
        "structure_choices": StructureType.choices,
        "values": form.values(),
    }
    if wants_partial(request):
        return render(request, "coach/generate.html#generate-form", context)
    return render(request, "coach/generate.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@ratelimit(group="ai_query", key="user")
def program_generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the form. POST: generate (one AI query), save, open it in the builder."""
    if request.method == "GET":
        return _generate_page(request, GenerateForm(initial=generate_initial()))
    form = GenerateForm(request.POST)
    if not form.is_valid():
        return _generate_page(request, form, status=400)
    replaces = None
    if form.cleaned_data.get("replaces"):
        replaces = program_get_for_owner(user=request.user, program_id=form.cleaned_data["replaces"])
    gen = form.cleaned_data["request"]
    try:
        result = services.program_generate(
            user=request.user,
            days=gen.days,
            structure_type=gen.structure_type,
            equipment=sorted(gen.equipment),
            priority_muscles=list(gen.priority_muscles),
            session_set_limit=gen.session_set_limit,
            seed=gen.seed,
            fittings=sorted(gen.fittings),
            replaces=replaces,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _generate_page(request, form, status=403 if isinstance(exc, AIQuotaExceeded) else 400)
    program, plan = result.program, result.plan
    store_generation(request, program, gen, plan)
    replaced = f" Your previous version “{replaces.name}” is in the trash." if replaces is not None else ""
    if plan.unmet:
        messages.warning(
            request,
            f"Built “{program.name}”, but {len(plan.unmet)} goal"
            f"{'s' if len(plan.unmet) != 1 else ''} could not be met with these settings; see the coach "
            f"panel.{replaced}",
        )
    else:
        messages.success(
            request,
            f"Built “{program.name}”: all 11 major muscles at or above MEV, "
            f"nothing above MRV. It is a normal program: edit anything.{replaced}",
        )
    url = reverse("programs:detail", kwargs={"program_id": program.pk})
    if wants_partial(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)
