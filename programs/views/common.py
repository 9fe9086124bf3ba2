"""Shared pieces of the program views: the builder's context, toasts, htmx helpers."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from functools import cache, cached_property
from typing import Any

from django.contrib import messages
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
from programs import rules
from programs.fragments import FragmentSet, fragment_keys, markup_stamp
from programs.models import SessionExercise, StructureType, TrainingProgram, Weekday
from programs.selectors import (
    VolumeSettings,
    program_rows_with_version,
    program_volume_settings,
    volume_from_rows,
)
from programs.volume import ProgramRows, ProgramVolume, SessionItem

# A placeholder id reversed once per page and URL name; each row's URL is then a string
# replacement instead of a reverse() per link (the builder has ~8 links per row: reversing them
# one by one was most of the page's time).
_PLACEHOLDER = uuid.UUID(int=0)
SESSION_URLS = (
    "session_update",
    "session_move",
    "session_delete",
    "session_picker",
    "session_exercise_add",
    "session_actions",
)
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
    weekly = program.structure_type == StructureType.WEEKLY
    sessions.sort(
        key=lambda s: rules.session_sort_key(
            weekly=weekly, day_of_week=s.day_of_week, order_index=s.order_index, id=s.id
        )
    )
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


# Fixed lists (the domain's choices, untranslated: no LocaleMiddleware): built once per process.
@cache
def _muscle_options() -> str:
    return format_html_join("", '<option value="{}">{}</option>', Muscle.choices)


@cache
def _equipment_options() -> str:
    return format_html_join("", '<option value="{}">{}</option>', Equipment.choices)


class BuilderData:
    """What the builder shows from the aggregate query, read only when a template or a view first
    needs it, and once: a page whose cached fragments are all found reads neither the rows nor
    builds the volume (programs/fragments.py)."""

    def __init__(self, request: HtmxHttpRequest, program: TrainingProgram) -> None:
        self.program = program
        self.viewer = request.user
        # A request that wrote holds a program loaded before its write: its keys take the version
        # read with the rows (see ``version``).
        self.wrote = request.method not in ("GET", "HEAD")

    @cached_property
    def settings(self) -> VolumeSettings:
        """The viewer's counting rule and landmarks (no query for the owner: they came with the
        program; one for a coach)."""
        return program_volume_settings(program=self.program, user=self.viewer)

    @cached_property
    def read(self) -> tuple[ProgramRows, int]:
        return program_rows_with_version(program=self.program)

    @property
    def rows(self) -> ProgramRows:
        return self.read[0]

    @property
    def version(self) -> int:
        """The content version the fragments' keys use: the one read with the rows in the same
        statement when the rows are read (or must be: a request that wrote), else the program's as
        loaded with it. Rows read after the program are never older than its version, so what a
        miss stores under the loaded version's key is never stale."""
        if self.wrote or "read" in self.__dict__:
            return self.read[1]
        return self.program.content_version

    @cached_property
    def volume(self) -> ProgramVolume:
        return volume_from_rows(program=self.program, program_rows=self.rows, settings=self.settings)


# The builder's cached regions, as the template names their slots (``<name>_key``).
BUILDER_FRAGMENTS = ("summary", "sessions", "volume")


def builder_context(
    request: HtmxHttpRequest,
    program: TrainingProgram,
    *,
    member_view: bool = False,
    member: User | None = None,
) -> dict[str, Any]:
    """Everything the builder page shows. The rows, volume and sessions are lazy (``BuilderData``):
    ONE aggregate query the first time anything needs them, none when the page's cached fragments
    (``summary_key``, ``sessions_key``, ``volume_key``) are all found."""
    data = BuilderData(request, program)
    owner = program.user if "user" in program._state.fields_cache else request.user
    editable = not member_view and not is_read_only(owner)
    viewer = getattr(request.user, "pk", None)
    context: dict[str, Any] = {}

    def keys() -> dict[str, str]:
        # Made when the template reaches the first cached region (a view that renders none never
        # makes them), for the regions still wanted then: a view that sets ``sessions_key`` to ""
        # (a form with errors) renders that region afresh and does not look it up.
        wanted = [name for name in BUILDER_FRAGMENTS if context.get(f"{name}_key") is slots[name]]
        shown = (
            markup_stamp(),
            program.pk,
            data.version,
            program.structure_type,
            program.frequency,
            program.user_id,
            viewer,
            editable,
            member_view,
            data.settings,
        )
        return fragment_keys("builder", wanted, *shown)

    fragments = FragmentSet(keys)
    slots = {name: fragments.slot(name) for name in BUILDER_FRAGMENTS}

    def free_days() -> list[tuple[int, str]]:
        used = {s.day_of_week for s in data.rows.sessions if s.day_of_week is not None}
        return [(value, label) for value, label in Weekday.choices if value not in used]

    context.update(
        {
            **{f"{name}_key": slot for name, slot in slots.items()},
            "program": program,
            "volume": SimpleLazyObject(lambda: data.volume),
            # Built only when a region is rendered (a cache miss, or a view that needs them).
            "sessions": SimpleLazyObject(lambda: builder_sessions(program, data.rows)),
            "editable": editable,
            "member_view": member_view,
            "member": member,
            "weekly": program.structure_type == StructureType.WEEKLY,
            "free_days": free_days,
            "weekdays": Weekday.choices,
            "preferences_url": reverse("preferences:page") + "#volume" if not member_view else "",
            # The volume panel's contributor tables load on demand (programs:volume_muscle).
            "volume_program": program.pk,
            # The same <option>s for every session's picker, once per page (outside the cached
            # regions): built once per process, when the template first asks (it calls them).
            "muscle_options": _muscle_options,
            "equipment_options": _equipment_options,
        }
    )
    return context


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
