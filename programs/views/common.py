"""Shared pieces of the program views: the builder's context, toasts, htmx helpers."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django_htmx.http import reswap

from accounts.models import User
from accounts.tiers import is_read_only
from exercises.domain import Equipment, Muscle
from hypertroq.http import HtmxHttpRequest, wants_partial
from programs.fragments import fragment_key
from programs.models import SessionExercise, StructureType, TrainingProgram, Weekday
from programs.selectors import program_volume_with_sessions
from programs.volume import ProgramRows, ProgramVolume, SessionItem


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# A placeholder id reversed once per page and URL name; each row's URL is then a string
# replacement instead of a reverse() per link (the builder has ~8 links per row: reversing them
# one by one was most of the page's time).
_PLACEHOLDER = uuid.UUID(int=0)
SESSION_URLS = ("session_update", "session_move", "session_delete", "session_picker", "session_exercise_add")
ITEM_URLS = (
    "session_exercise_edit",
    "session_exercise_update",
    "session_exercise_move",
    "session_exercise_remove",
    "session_exercise_substitutes",
    "session_exercise_swap",
)


def url_patterns(program_id: Any) -> dict[str, str]:
    """URL name -> URL with the placeholder id, for this program (one reverse per name)."""
    patterns = {
        name: reverse(f"programs:{name}", kwargs={"program_id": program_id, "session_id": _PLACEHOLDER})
        for name in SESSION_URLS
    }
    patterns.update(
        {
            name: reverse(
                f"programs:{name}", kwargs={"program_id": program_id, "session_exercise_id": _PLACEHOLDER}
            )
            for name in ITEM_URLS
        }
    )
    patterns["builder"] = reverse("programs:detail", kwargs={"program_id": program_id})
    return patterns


def fill_urls(patterns: dict[str, str], names: tuple[str, ...], object_id: str) -> dict[str, str]:
    placeholder = str(_PLACEHOLDER)
    return {
        name.removeprefix("session_exercise_").removeprefix("session_"): patterns[name].replace(
            placeholder, object_id
        )
        for name in names
    }


@dataclass(frozen=True)
class BuilderItem(SessionItem):
    """A session exercise row with its URLs (its own page ``edit``, update, move, remove,
    substitutes, swap, and the ``builder`` it is part of)."""

    urls: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class BuilderSession:
    """A session as the builder shows it (built from the aggregate query's rows, no extra query)."""

    id: str
    name: str
    day_of_week: int | None
    order_index: int
    items: list[BuilderItem] = field(default_factory=list)
    total_sets: int = 0
    form: Any = None  # a bound SessionForm with errors, when a rename failed
    urls: dict[str, str] = field(default_factory=dict)

    @property
    def day_label(self) -> str:
        return "" if self.day_of_week is None else Weekday(self.day_of_week).label


def builder_item(item: SessionItem, patterns: dict[str, str]) -> BuilderItem:
    urls = fill_urls(patterns, ITEM_URLS, item.session_exercise_id)
    urls["builder"] = patterns["builder"]
    return BuilderItem(**asdict(item), urls=urls)


def builder_sessions(program: TrainingProgram, rows: ProgramRows) -> list[BuilderSession]:
    patterns = url_patterns(program.pk)
    sessions = [
        BuilderSession(
            id=s.session_id,
            name=s.name,
            day_of_week=s.day_of_week,
            order_index=s.order_index,
            items=[builder_item(i, patterns) for i in rows.items.get(s.session_id, [])],
            total_sets=s.total_sets,
            urls=fill_urls(patterns, SESSION_URLS, s.session_id),
        )
        for s in rows.sessions
    ]
    if program.structure_type == StructureType.WEEKLY:
        sessions.sort(key=lambda s: (s.day_of_week is None, s.day_of_week or 0, s.order_index))
    return sessions


def item_from_model(se: SessionExercise) -> BuilderItem:
    item = SessionItem(
        session_exercise_id=str(se.pk),
        session_id=str(se.session_id),
        exercise_id=str(se.exercise_id),
        exercise=se.exercise.name,
        equipment=se.exercise.equipment,
        order_index=se.order_index,
        sets=se.sets,
        reps=se.reps,
        rest_seconds=se.rest_seconds,
        notes=se.notes,
    )
    return builder_item(item, url_patterns(se.session.program_id))


def _muscle_options() -> str:
    return format_html_join("", '<option value="{}">{}</option>', Muscle.choices)


def _equipment_options() -> str:
    return format_html_join("", '<option value="{}">{}</option>', Equipment.choices)


def builder_context(
    request: HtmxHttpRequest,
    program: TrainingProgram,
    *,
    member_view: bool = False,
    member: User | None = None,
) -> dict[str, Any]:
    """Everything the builder page shows, from ONE aggregate query (plus what came with program)."""
    volume, rows = program_volume_with_sessions(program=program, user=request.user)
    owner = program.user if "user" in program._state.fields_cache else request.user
    editable = not member_view and not is_read_only(owner)
    used_days = {s.day_of_week for s in rows.sessions if s.day_of_week is not None}
    # Cached fragments' keys: everything the region shows (see programs/fragments.py).
    viewer = getattr(request.user, "pk", None)
    shown = (
        program.pk,
        program.structure_type,
        program.frequency,
        viewer,
        program.user_id,
        editable,
        member_view,
    )
    return {
        # Keys made only when a template reaches the region (the template calls them): an edit's
        # answer (a row, a list) does not pay for them.
        "sessions_key": lambda: fragment_key("builder-sessions", shown, rows),
        "volume_key": lambda: fragment_key("builder-volume", shown, volume),
        "program": program,
        "volume": volume,
        # Built only when a region is rendered (a cache miss, or a view that needs them).
        "sessions": SimpleLazyObject(lambda: builder_sessions(program, rows)),
        "editable": editable,
        "member_view": member_view,
        "member": member,
        "weekly": program.structure_type == StructureType.WEEKLY,
        "free_days": lambda: [(value, label) for value, label in Weekday.choices if value not in used_days],
        "weekdays": Weekday.choices,
        "preferences_url": reverse("preferences:page") + "#volume" if not member_view else "",
        # The volume panel's contributor tables load on demand (programs:volume_muscle).
        "volume_program": program.pk,
        # The same <option>s in every session's picker: built once per page, and only when the
        # template asks (it calls them), so not at all when the sessions come from the cache.
        "muscle_options": _muscle_options,
        "equipment_options": _equipment_options,
    }


def toast_html(
    request: HtmxHttpRequest, message: str, *, level: str = "success", undo: dict[str, Any] | None = None
) -> str:
    return render_to_string(
        "programs/partials/toast.html",
        {"message": message, "level": level, "undo": undo, "oob": True},
        request=request,
    )


def toast_only(request: HtmxHttpRequest, message: str, *, level: str = "error") -> HttpResponse:
    """An htmx answer that changes nothing on the page but the toast (HX-Reswap: none, so the
    request's target keeps its content; the out-of-band toast is still swapped in)."""
    return reswap(HttpResponse(toast_html(request, message, level=level)), "none")


def volume_html(request: HtmxHttpRequest, volume: ProgramVolume, program_id: uuid.UUID | None = None) -> str:
    """The volume panel, out of band; with ``program_id`` its muscles' contributor tables load on
    demand (``programs:volume_muscle``), as on the builder page."""
    return render_to_string(
        "programs/partials/volume_panel.html",
        {
            "volume": volume,
            "oob": True,
            "preferences_url": reverse("preferences:page") + "#volume",
            "volume_program": program_id,
        },
        request=request,
    )


def fragment(
    request: HtmxHttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    extra: str = "",
    status: int = 200,
) -> HttpResponse:
    """Render a partial (``template`` may be ``"page.html#partial"``) plus out-of-band extras."""
    body = render_to_string(template, context, request=request) if template else ""
    return HttpResponse(body + extra, status=status)


def builder_url(program: TrainingProgram, anchor: str = "") -> str:
    url = reverse("programs:detail", kwargs={"program_id": program.pk})
    return f"{url}#{anchor}" if anchor else url


def bad_request(request: HtmxHttpRequest, program: TrainingProgram, message: str) -> HttpResponse:
    """An action that cannot be done: htmx gets a toast (200 so htmx swaps it), pages a redirect."""
    if wants_partial(request):
        return toast_only(request, message, level="error")
    messages.error(request, message)
    return redirect(builder_url(program))


def render_builder(
    request: HtmxHttpRequest, program: TrainingProgram, *, status: int = 200, **extra: Any
) -> HttpResponse:
    context = builder_context(request, program)
    context.update(extra)
    if extra:  # a form with errors, or a row's typed values: not the cached region
        context["sessions_key"] = ""
    session_forms = extra.get("session_forms") or {}
    if session_forms:
        for session in context["sessions"]:
            session.form = session_forms.get(session.id)
    return render(request, "programs/program_detail.html", context, status=status)


def undo_message(request: HtmxHttpRequest, text: str, undo: dict[str, Any]) -> str:
    """A flash message with an Undo button (a real form, so it works without JavaScript)."""
    html = render_to_string(
        "programs/partials/undo_form.html", {"message": text, "undo": undo}, request=request
    )
    return mark_safe(html)  # noqa: S308  (our own template output, autoescaped)
