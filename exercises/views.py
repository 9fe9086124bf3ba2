"""Exercise library pages: browse/search (name or description), exercise page, custom exercises."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from accounts.quota import AIQuotaExceeded, ai_quota_status
from accounts.tiers import READ_ONLY_MESSAGE, can_create_custom_exercises, is_read_only
from exercises.domain import Equipment
from exercises.embeddings import EmbeddingUnavailable
from exercises.forms import CustomExerciseForm, ExerciseFilterForm
from exercises.models import Exercise
from exercises.search_terms import PAIN_NOTICE, mentions_pain
from exercises.selectors import (
    exercise_get_owned,
    exercise_get_visible,
    exercise_search,
    exercise_substitutes,
)
from exercises.services import (
    CUSTOM_EXERCISES_UPGRADE_MESSAGE,
    CustomExerciseData,
    CustomExerciseNotAllowed,
    exercise_create_custom,
    exercise_delete_custom,
    exercise_semantic_search_for_user,
    exercise_update_custom,
)
from hypertroq.forms import add_service_errors
from hypertroq.http import HtmxHttpRequest, wants_partial
from hypertroq.ratelimit import asks_ai, ratelimit

PAGE_SIZE = 20
# What a result row shows; loading only these keeps a page of 20 cheap.
LIST_FIELDS = ("id", "name", "equipment", "difficulty", "muscle_contributions", "is_global", "created_by")
SEMANTIC_LIMIT = 40
SEMANTIC_UNAVAILABLE = (
    "Search by description is unavailable right now; name search and the filters still work."
)


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@ratelimit(group="ai_query", key="user", methods=("GET", "POST"), when=asks_ai)
def exercise_list(request: HtmxHttpRequest) -> HttpResponse:
    """The library: filters + name search, or a description search (one AI query).

    Only a POST spends a query (CSRF ties it to this site). A GET with ``ask`` (a link anyone can
    send) shows results already paid for in the reuse window (paging, the back button), otherwise
    the form filled in with a button that POSTs the search.
    """
    params = request.POST if request.method == "POST" else request.GET
    form = ExerciseFilterForm(params)
    filters = form.filters()
    notices: list[str] = list(form.problems())
    if mentions_pain(filters.ask) or mentions_pain(filters.query):
        notices.append(PAIN_NOTICE)
    semantic_results: list[Exercise] | None = None
    semantic_notice = ""
    needs_login = False
    ask_pending = False
    if filters.ask:
        if not request.user.is_authenticated:
            needs_login = True
        else:
            try:
                semantic_results = exercise_semantic_search_for_user(
                    user=request.user,
                    text=filters.ask,
                    limit=SEMANTIC_LIMIT,
                    charge=request.method == "POST",
                    **filters.selector_kwargs(),
                )
            except AIQuotaExceeded as exc:
                semantic_notice = exc.messages[0]
            except EmbeddingUnavailable:
                semantic_notice = SEMANTIC_UNAVAILABLE
            ask_pending = semantic_results is None and not semantic_notice
    items: Any
    if semantic_results is not None:
        items = semantic_results
    else:
        items = exercise_search(user=request.user, query=filters.query, **filters.selector_kwargs()).only(
            *LIST_FIELDS
        )
    page = Paginator(items, PAGE_SIZE).get_page(params.get("page"))
    raw_page = params.get("page") or ""
    if raw_page not in ("", str(page.number)):
        notices.append(f"There is no page “{raw_page[:20]}”; showing page {page.number}.")
    kept = params.copy()
    kept.pop("page", None)
    kept.pop("csrfmiddlewaretoken", None)
    context = {
        "form": form,
        "choices": form.choices_for_template() if not wants_partial(request) else None,
        "filters": filters,
        "page": page,
        "semantic": semantic_results is not None,
        "semantic_notice": semantic_notice,
        "needs_login": needs_login,
        "ask_pending": ask_pending,
        "pending_params": [(k, v) for k, values in kept.lists() for v in values],
        "notices": notices,
        "querystring": kept.urlencode(),
        "quota": ai_quota_status(user=request.user)
        if request.user.is_authenticated and filters.ask
        else None,
        "can_create": can_create_custom_exercises(request.user),
    }
    template = "exercises/exercise_list.html"
    if wants_partial(request):
        template += "#exercise-results"
    response = render(request, template, context)
    if request.method == "POST" and wants_partial(request):
        # The address bar shows the search as a GET: reloading it shows the results already paid
        # for (the reuse window), never spends again.
        push_url(response, f"{reverse('exercises:list')}?{kept.urlencode()}")
    return response


@require_GET
@vary_on_headers("HX-Request")
def exercise_detail(request: HtmxHttpRequest, exercise_id: UUID) -> HttpResponse:
    exercise = exercise_get_visible(user=request.user, exercise_id=exercise_id)
    requested = request.GET.getlist("exclude_equipment")
    excluded = [v for v in requested if v in Equipment.values]
    notices = [f"Ignored unknown equipment “{v[:40]}”." for v in requested if v and v not in Equipment.values]
    substitutes = exercise_substitutes(exercise=exercise, user=request.user, exclude_equipment=excluded)
    context = {
        "exercise": exercise,
        "contributions": exercise.contribution_rows(),
        "substitutes": substitutes,
        "excluded": excluded,
        "equipment_choices": Equipment.choices,
        "notices": notices,
        "is_owner": (
            request.user.is_authenticated
            and not exercise.is_global
            and exercise.created_by_id == request.user.pk
        ),
        "read_only": is_read_only(request.user),
    }
    template = "exercises/exercise_detail.html"
    if wants_partial(request):
        template += "#substitutes"
    return render(request, template, context)


def _data_from_form(form: CustomExerciseForm) -> CustomExerciseData:
    cd = form.cleaned_data
    return CustomExerciseData(
        name=cd["name"],
        equipment=cd["equipment"],
        difficulty=cd["difficulty"],
        description=cd.get("description") or "",
        muscle_contributions=cd["muscle_contributions"],
        image_url=cd.get("image_url") or None,
        video_url=cd.get("video_url") or None,
    )


def _form_response(request: HtmxHttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = "exercises/exercise_form.html"
    if wants_partial(request):
        template += "#exercise-form"
    return render(request, template, context, status=status)


def _blocked_response(
    request: HtmxHttpRequest, blocked: str, exercise: Any, *, status: int, **extra: Any
) -> HttpResponse:
    """The form page saying why the user cannot create or edit custom exercises (nothing changed)."""
    context = {"blocked": blocked, "exercise": exercise, **extra}
    return render(request, "exercises/exercise_form.html", context, status=status)


def _redirect(request: HtmxHttpRequest, url: str) -> HttpResponse:
    """After a change: htmx follows a client-side redirect, a plain form post a normal one."""
    return HttpResponseClientRedirect(url) if wants_partial(request) else redirect(url)


def _blocked_reason(user: User) -> str | None:
    if is_read_only(user):
        return READ_ONLY_MESSAGE
    if not can_create_custom_exercises(user):
        return CUSTOM_EXERCISES_UPGRADE_MESSAGE
    return None


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="exercise_write", key="user")
def exercise_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    blocked = _blocked_reason(request.user)
    if blocked:
        # Free users (or a suspended organization) see why and what would let them; a POST
        # changes nothing.
        return _blocked_response(request, blocked, None, status=403 if request.method == "POST" else 200)
    form = CustomExerciseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = exercise_create_custom(user=request.user, data=_data_from_form(form))
        except CustomExerciseNotAllowed as exc:
            return _blocked_response(request, str(exc), None, status=403)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{exercise.name}” was added to your exercises.")
            return _redirect(request, reverse("exercises:detail", kwargs={"exercise_id": exercise.pk}))
    status = 400 if request.method == "POST" else 200
    return _form_response(request, {"form": form, "exercise": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="exercise_write", key="user")
def exercise_edit(request: AuthenticatedHttpRequest, exercise_id: UUID) -> HttpResponse:
    exercise = exercise_get_owned(user=request.user, exercise_id=exercise_id)
    blocked = _blocked_reason(request.user)
    if blocked:
        return _blocked_response(
            request,
            blocked,
            exercise,
            status=403 if request.method == "POST" else 200,
            read_only=is_read_only(request.user),
        )
    if request.method == "POST":
        form = CustomExerciseForm(request.POST)
    else:
        form = CustomExerciseForm(initial=CustomExerciseForm.initial_for(exercise))
    if request.method == "POST" and form.is_valid():
        try:
            exercise = exercise_update_custom(
                user=request.user, exercise=exercise, data=_data_from_form(form)
            )
        except CustomExerciseNotAllowed as exc:
            return _blocked_response(request, str(exc), exercise, status=403)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{exercise.name}” was saved.")
            return _redirect(request, reverse("exercises:detail", kwargs={"exercise_id": exercise.pk}))
    status = 400 if request.method == "POST" else 200
    return _form_response(request, {"form": form, "exercise": exercise}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="exercise_write", key="user")
def exercise_delete(request: AuthenticatedHttpRequest, exercise_id: UUID) -> HttpResponse:
    exercise = exercise_get_owned(user=request.user, exercise_id=exercise_id)
    context: dict[str, Any] = {
        "exercise": exercise,
        "blocked": READ_ONLY_MESSAGE if is_read_only(request.user) else None,
    }
    if request.method == "POST":
        try:
            exercise_delete_custom(user=request.user, exercise=exercise)
        except PermissionDenied as exc:
            context["blocked"] = str(exc)
            return render(request, "exercises/exercise_delete.html", context, status=403)
        messages.success(
            request, f"“{exercise.name}” was removed from your library. Programs that use it keep it."
        )
        return _redirect(request, reverse("exercises:list"))
    return render(request, "exercises/exercise_delete.html", context)
