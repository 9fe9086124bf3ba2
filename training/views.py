"""The workout flow: start, the workout page, logging sets, changing exercises, finishing;
preferences and the plate calculator. Thin views: form -> service -> redirect or render."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exercises.selectors import exercise_substitutes, normalise_query
from hypertroq.forms import add_service_errors
from training import selectors, services
from training.forms import (
    RIR_CHOICES,
    PlatesForm,
    PreferencesForm,
    SetEditForm,
    SetForm,
    StartForm,
    WorkoutNotesForm,
)
from training.models import SetType
from training.page import entry_views, plates_for, rest_after_last_set, set_row, workout_summary


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _workout_url(workout: Any, anchor: str = "") -> str:
    url = reverse("training:workout", kwargs={"workout_id": workout.pk})
    return f"{url}#{anchor}" if anchor else url


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Start ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def workout_start(request: HttpRequest) -> HttpResponse:
    """GET: choose a session of your programs (or an empty workout). POST ``session`` (a session id
    of one of your programs, or empty) -> redirect to the new workout's page."""
    user: Any = request.user
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            session_id = form.cleaned_data["session"]
            session = selectors.session_get_to_start(user=user, session_id=session_id) if session_id else None
            try:
                workout = services.workout_start(user=user, session=session)
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
                return redirect("training:start")
            services.preferences_time_zone_default(user=user, time_zone=form.cleaned_data.get("tz") or "")
            return redirect(_workout_url(workout))
        return render(request, "training/workout_start.html", _start_context(user, form), status=400)
    return render(request, "training/workout_start.html", _start_context(user, StartForm()))


def _start_context(user: Any, form: StartForm) -> dict[str, Any]:
    return {
        "form": form,
        "programs": selectors.programs_to_start(user=user),
        "open_workout": selectors.workout_open_for(user=user),
        "today": selectors.today_plan(user=user, now=timezone.now()),
    }


# --- The workout page -------------------------------------------------------------------------------


@login_required
@require_GET
def workout_detail(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """The workout: planned exercises with their sets, one form per exercise to log the next set,
    the rest timer; once finished, the summary on top."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    return render(request, "training/workout_detail.html", _workout_context(request, workout))


def _workout_context(request: HttpRequest, workout: Any, **extra: Any) -> dict[str, Any]:
    user = workout.user
    prefs = selectors.preferences_for(user=user)
    tz = selectors.time_zone_for(prefs)
    now = timezone.now()
    entries = selectors.workout_entries(workout=workout)
    sets = selectors.workout_sets(workout=workout)
    context: dict[str, Any] = {
        "workout": workout,
        "prefs": prefs,
        "tz": tz,
        "now": now,
        "notes_form": WorkoutNotesForm(
            initial={
                "notes": workout.notes,
                "body_weight": _display(workout.body_weight_kg, prefs) if workout.body_weight_kg else None,
            },
            prefs=prefs,
        ),
        "deleted_set": _uuid_or_none(request.GET.get("deleted", "")),
        "rir_choices": RIR_CHOICES,
        "weight_step": _step(prefs),
        "set_types": SetType.choices,
        **extra,
    }
    if workout.finished_at is not None:
        context["summary"] = workout_summary(
            workout=workout,
            entries=entries,
            sets=sets,
            record_sets=selectors.exercise_record_sets(
                user=user, exercise_ids={s.exercise_id for s in sets}, until=workout.started_at
            ),
            prefs=prefs,
            counting=selectors.counting_rule_for(user=user),
        )
        history: dict[str, Any] = {}
    else:
        history = selectors.exercise_history(
            user=user,
            exercise_ids=[e.exercise_id for e in entries],
            before=workout.started_at,
            exclude_workout=workout.pk,
        )
    views = entry_views(
        entries=entries,
        sets=sets,
        history=history,
        prefs=prefs,
        now=now,
        tz=tz,
        accept=request.GET.get("accept", ""),
    )
    context["entries"] = views
    rest = rest_after_last_set(views) if workout.finished_at is None else None
    context["rest"] = rest
    context["rest_running"] = rest is not None and rest.running(now)
    context["rest_seconds_left"] = int((rest.until - now).total_seconds()) if rest is not None else 0
    context["new_client_id"] = uuid.uuid4
    context["set_count"] = len(sets)
    return context


def _step(prefs: Any) -> str:
    """The weight inputs' ``step``: the lifter's increment, ``0.5`` rather than ``0.50``."""
    return f"{Decimal(prefs.display_increment).normalize():f}"


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _display(weight_kg: Decimal, prefs: Any) -> Decimal:
    from training.domain.units import display_load

    return display_load(weight_kg, prefs.unit, Decimal(prefs.display_increment))


# --- Sets -------------------------------------------------------------------------------------------


@login_required
@require_POST
def set_create(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """Log one set: ``exercise``, ``weight`` (lifter's unit), ``reps``, ``rir`` (optional),
    ``set_type``, ``client_id``. Resending the same ``client_id`` changes nothing (2xx again).

    htmx/fetch (``HX-Request``): 201 with the new set's row (200 for a resend); 422 with the
    errors. Plain form: redirect back to the exercise on the workout page."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    prefs = selectors.preferences_for(user=workout.user)
    form = SetForm(request.POST, prefs=prefs)
    if form.is_valid():
        data = form.cleaned_data
        try:
            logged = services.set_log(
                user=workout.user,
                workout=workout,
                exercise_id=data["exercise"],
                weight_kg=data["weight"],
                reps=data["reps"],
                rir=data["rir"],
                set_type=data["set_type"],
                client_id=data["client_id"],
                side=data["side"] or None,
                note=data["note"],
                logged_at=data["logged_at"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            row = set_row(logged.set_log, logged.set_log.order_index + 1, prefs, logged.records)
            if _is_htmx(request):
                return render(
                    request,
                    "training/workout_detail.html#set-logged",
                    {"row": row, "workout": workout, "created": logged.created, "prefs": prefs},
                    status=201 if logged.created else 200,
                )
            if logged.records:
                messages.success(request, f"New personal record: {', '.join(row.record_labels)}.")
            return HttpResponseRedirect(_workout_url(workout, f"entry-{logged.set_log.workout_exercise_id}"))
    if _is_htmx(request):
        return render(request, "training/workout_detail.html#set-errors", {"form": form}, status=422)
    for name, errors in form.errors.items():
        label = "" if name == "__all__" else f"{form.fields[name].label or name}: "
        messages.error(request, label + " ".join(str(e) for e in errors))
    return HttpResponseRedirect(_workout_url(workout))


@login_required
@require_http_methods(["GET", "POST"])
def set_edit(request: HttpRequest, workout_id: uuid.UUID, set_id: uuid.UUID) -> HttpResponse:
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    set_log = selectors.set_get_for_workout(workout=workout, set_id=set_id)
    set_log.workout_log = workout
    prefs = selectors.preferences_for(user=workout.user)
    if request.method == "POST":
        form = SetEditForm(request.POST, prefs=prefs, auto_id="edit-%s")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_update(
                    user=workout.user,
                    set_log=set_log,
                    weight_kg=data["weight"],
                    reps=data["reps"],
                    rir=data["rir"],
                    set_type=data["set_type"],
                    side=data["side"] or None,
                    note=data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Set saved.")
                return redirect(_workout_url(workout, f"entry-{set_log.workout_exercise_id}"))
    else:
        form = SetEditForm(
            initial={
                "weight": _display(set_log.weight_kg, prefs),
                "reps": set_log.reps,
                "rir": f"{set_log.rir:.1f}".removesuffix(".0") if set_log.rir is not None else "",
                "set_type": set_log.set_type,
                "side": set_log.side or "",
                "note": set_log.note,
            },
            prefs=prefs,
            auto_id="edit-%s",
        )
    return render(
        request,
        "training/set_edit.html",
        {"form": form, "workout": workout, "set_log": set_log, "prefs": prefs, "weight_step": _step(prefs)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def set_delete(request: HttpRequest, workout_id: uuid.UUID, set_id: uuid.UUID) -> HttpResponse:
    """Delete a set; the page then offers Undo."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    set_log = selectors.set_get_for_workout(workout=workout, set_id=set_id)
    set_log.workout_log = workout
    try:
        services.set_delete(user=workout.user, set_log=set_log)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_workout_url(workout))
    return redirect(f"{_workout_url(workout)}?deleted={set_log.pk}#undo")


@login_required
@require_POST
def set_restore(request: HttpRequest, workout_id: uuid.UUID, set_id: uuid.UUID) -> HttpResponse:
    """Undo a set's deletion."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    set_log = selectors.set_get_for_workout(workout=workout, set_id=set_id, deleted=True)
    set_log.workout_log = workout
    try:
        services.set_restore(user=workout.user, set_log=set_log)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, "Set restored.")
    return redirect(_workout_url(workout, f"entry-{set_log.workout_exercise_id}"))


# --- Exercises of the workout -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exercise_add(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """GET: search the library (``q``). POST ``exercise``: add it to this workout (not the program)."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    if request.method == "POST":
        exercise = selectors.exercise_addable(user=user, exercise_id=request.POST.get("exercise", ""))
        try:
            entry = services.workout_exercise_add(user=workout.user, workout=workout, exercise=exercise)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return redirect(_workout_url(workout))
        return redirect(_workout_url(workout, f"entry-{entry.pk}"))
    query = normalise_query(request.GET.get("q", "").replace("\x00", ""))
    return render(
        request,
        "training/exercise_add.html",
        {
            "workout": workout,
            "query": query,
            "choices": selectors.exercise_choices_for(user=user, query=query),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exercise_swap(request: HttpRequest, workout_id: uuid.UUID, entry_id: uuid.UUID) -> HttpResponse:
    """GET: substitutes from the library (same prime movers). POST ``exercise``: do it instead,
    in this workout only."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    entry = selectors.workout_entry_get(workout=workout, entry_id=entry_id)
    entry.workout_log = workout
    if request.method == "POST":
        exercise = selectors.exercise_addable(user=user, exercise_id=request.POST.get("exercise", ""))
        try:
            services.workout_exercise_swap(user=workout.user, entry=entry, exercise=exercise)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect(_workout_url(workout, f"entry-{entry.pk}"))
    return render(
        request,
        "training/exercise_swap.html",
        {
            "workout": workout,
            "entry": entry,
            "substitutes": exercise_substitutes(exercise=entry.exercise, user=user, limit=8),
        },
    )


@login_required
@require_POST
def exercise_skip(request: HttpRequest, workout_id: uuid.UUID, entry_id: uuid.UUID) -> HttpResponse:
    """Skip a planned exercise today (``skipped=0`` to take it back)."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    entry = selectors.workout_entry_get(workout=workout, entry_id=entry_id)
    entry.workout_log = workout
    try:
        services.workout_exercise_skip(
            user=workout.user, entry=entry, skipped=request.POST.get("skipped", "1") != "0"
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(_workout_url(workout, f"entry-{entry.pk}"))


# --- The workout as a whole -------------------------------------------------------------------------


@login_required
@require_POST
def workout_notes(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    prefs = selectors.preferences_for(user=workout.user)
    form = WorkoutNotesForm(request.POST, prefs=prefs)
    if form.is_valid():
        try:
            services.workout_update(
                user=workout.user,
                workout=workout,
                notes=form.cleaned_data["notes"],
                body_weight_kg=form.cleaned_data["body_weight"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Notes saved.")
            return redirect(_workout_url(workout, "notes"))
    return render(
        request,
        "training/workout_detail.html",
        _workout_context(request, workout, notes_form=form),
        status=400,
    )


@login_required
@require_POST
def workout_finish(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    """Finish the workout -> its page shows the summary."""
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    try:
        services.workout_finish(user=workout.user, workout=workout)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(_workout_url(workout))


@login_required
@require_POST
def workout_resume(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    try:
        services.workout_resume(user=workout.user, workout=workout)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(_workout_url(workout))


@login_required
@require_POST
def workout_discard(request: HttpRequest, workout_id: uuid.UUID) -> HttpResponse:
    user: Any = request.user
    workout = selectors.workout_get_for_owner(user=user, workout_id=workout_id)
    try:
        services.workout_discard(user=workout.user, workout=workout)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_workout_url(workout))
    messages.success(request, "Workout deleted.")
    return redirect("training:start")


# --- Preferences and plates -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    prefs = selectors.preferences_for(user=user)
    counting = selectors.counting_rule_for(user=user)
    if request.method == "POST":
        form = PreferencesForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.preferences_update(
                    user=user,
                    unit=data["unit"],
                    display_increment=data["display_increment"],
                    bar_weight=data["bar_weight"],
                    plates=data["plates"],
                    rir_threshold=data["rir_threshold"],
                    time_zone=data["time_zone"],
                    current_program=data["current_program"],
                    counting=data["counting"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Training preferences saved.")
                return redirect("training:preferences")
    else:
        form = PreferencesForm(initial=PreferencesForm.initial_for(prefs, counting), user=user)
    return render(
        request,
        "training/preferences.html",
        {"form": form, "prefs": prefs},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def plates(request: HttpRequest) -> HttpResponse:
    """The plate calculator: per side, the fewest plates for a load with your bar and plates."""
    user: Any = request.user
    prefs = selectors.preferences_for(user=user)
    form = PlatesForm(request.GET or None)
    loading = plates_for(form.cleaned_data["weight"], prefs) if form.is_valid() else None
    template = "training/plates.html#plates-result" if _is_htmx(request) else "training/plates.html"
    return render(request, template, {"form": form, "loading": loading, "prefs": prefs})
