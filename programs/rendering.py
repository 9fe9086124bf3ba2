"""HTML for the builder's hot loops, built in Python.

The builder page repeats two fragments many times: a row per session exercise (a form with four
inputs and four buttons) and a row per muscle in the volume panel (bar, numbers and the
contributors table). Rendered by the template engine they were most of the page's time (~2,800
variable nodes for 6 × 6 exercises); ``format_html`` does the same work, escaping every value,
in a fraction of it. Templates include them with ``{% exercise_row %}`` / ``{% muscle_row %}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from hypertroq.templatetags.ui import icon_ref
from programs.rules import MAX_NOTES, MAX_REST_SECONDS, MAX_SETS, MIN_SETS, REPS_INPUT_MAX
from programs.volume import MuscleVolume, bar_geometry

# The row menu's icons: references to the page's sprite (``{% icon_sprite %}`` in
# program_detail.html), constant markup built once.
_ROW_ICONS = {
    "more_icon": icon_ref("more"),
    "up_icon": icon_ref("arrow-up"),
    "down_icon": icon_ref("arrow-down"),
    "swap_icon": icon_ref("swap"),
    "trash_icon": icon_ref("trash"),
}
_EDIT_ICON = icon_ref("edit")
ROW_SPRITE = ("more", "arrow-up", "arrow-down", "swap", "trash", "edit")

_FIELDS = (
    # name, id prefix, label, input attributes (constants: part of the format string), extra css
    ("sets", "sets", "Sets", f'type="number" min="{MIN_SETS}" max="{MAX_SETS}" required', ""),
    ("reps", "reps", "Reps", f'type="text" size="6" maxlength="{REPS_INPUT_MAX}"', ""),
    ("rest_seconds", "rest", "Rest (s)", f'type="number" min="0" max="{MAX_REST_SECONDS}"', ""),
    ("notes", "notes", "Notes", f'type="text" maxlength="{MAX_NOTES}"', " field-notes"),
)


def number(value: float | int | None) -> str:
    """6.0 -> "6", 4.5 -> "4.5"."""
    return "" if value is None else f"{float(value):g}"


def _field(
    name: str, prefix: str, label: str, attrs: str, css: str, row_id: str, value: Any, error: str
) -> SafeString:
    # ``attrs`` are the constant input attributes of _FIELDS, part of the format string itself.
    field_id = f"{prefix}-{row_id}"
    if error:
        return format_html(
            '<span class="field{}"><label for="{}">{}</label><input id="{}" name="{}" '
            + attrs
            + ' value="{}" '
            'aria-invalid="true" aria-describedby="{}-error"><span class="errorlist" id="{}-error">{}</span></span>',
            css,
            field_id,
            label,
            field_id,
            name,
            value,
            field_id,
            field_id,
            error,
        )
    return format_html(
        '<span class="field{}"><label for="{}">{}</label><input id="{}" name="{}" '
        + attrs
        + ' value="{}"></span>',
        css,
        field_id,
        label,
        field_id,
        name,
        value,
    )


def prescription(item: Any) -> SafeString:
    """ "3 sets × 8-12 · rest 90 s · notes": a row's prescription in words."""
    return format_html(
        "{} set{}{}{}{}",
        item.sets,
        "s" if item.sets != 1 else "",
        format_html(" × {}", item.reps) if item.reps else "",
        format_html(" · rest {} s", item.rest_seconds) if item.rest_seconds is not None else "",
        format_html(" · {}", item.notes) if item.notes else "",
    )


def exercise_row(
    item: Any,
    *,
    editable: bool,
    csrf_token: str,
    state: Mapping[str, Any] | None = None,
    editing: bool = False,
    standalone: bool = False,
) -> SafeString:
    """One session exercise of the builder (``item``: views.common.BuilderItem).

    The builder shows every row as its prescription, a link to the row's own page
    (``programs:session_exercise_edit``); builder.js fetches that row's form in place instead
    (htmx), and the answer to a save is the row shown again. A row being edited (``editing``, or a
    save that failed: ``state`` holds its errors) is the form: Sets, Reps, Rest, Notes, Save, and
    the More menu (move, swap, remove). ``standalone``: the row's page without JavaScript, whose
    form posts plainly (the views redirect to the builder)."""
    rid = item.session_exercise_id
    if not editable:
        return format_html(
            '<li class="se-row" id="se-{}"><p class="se-name"><strong>{}</strong></p>'
            '<p class="prescription">{}</p></li>',
            rid,
            item.exercise,
            prescription(item),
        )
    errors = (state or {}).get("errors") or {}
    if not (editing or errors):
        # 36 of these make most of a 6 × 6 builder: one URL, no form, no token (issue 18).
        return format_html(
            '<li class="se-row" id="se-{}"><a class="se-open" href="{}"><span class="se-name"><strong>{}</strong>'
            '</span><span class="prescription">{}</span><span class="se-edit">{}<span class="visually-hidden">'
            "Edit {}</span></span></a></li>",
            rid,
            item.urls["edit"],
            item.exercise,
            prescription(item),
            _EDIT_ICON,
            item.exercise,
        )
    values = (state or {}).get("values") if state else None
    current = {
        "sets": item.sets,
        "reps": item.reps or "",
        "rest_seconds": "" if item.rest_seconds is None else item.rest_seconds,
        "notes": item.notes or "",
    }
    fields = format_html_join(
        "",
        "{}",
        (
            (
                _field(
                    name,
                    prefix,
                    label,
                    attrs,
                    css,
                    rid,
                    (values or current).get(name, ""),
                    errors.get(name, ""),
                ),
            )
            for name, prefix, label, attrs, css in _FIELDS
        ),
    )
    general = (
        format_html('<p class="errorlist" role="alert">{}</p>', errors["general"])
        if errors.get("general")
        else ""
    )
    urls = item.urls
    if standalone:
        htmx, close = "", ""
    else:
        htmx = format_html(' hx-post="{}" hx-target="closest li" hx-swap="outerHTML"', urls["update"])
        # Close: the row shown again, unsaved typing dropped (without JavaScript: back to the builder).
        close = format_html(
            '<a class="button secondary small se-close" href="{}#se-{}" hx-get="{}?show=1" '
            'hx-target="closest li" hx-swap="outerHTML">Close<span class="visually-hidden"> {}</span></a>',
            urls["builder"],
            rid,
            urls["edit"],
            item.exercise,
        )
    return format_html(
        '<li class="se-row is-editing" id="se-{rid}"><p class="se-name"><strong>{name}</strong></p>'
        '<form class="se-form" method="post" action="{update}"{htmx}>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">{general}{fields}'
        '<span class="se-actions no-print">'
        '<button type="submit" class="secondary small" id="save-{rid}">Save<span class="visually-hidden"> {name}</span></button>'
        # One form per row (one CSRF token): Save is the default (Enter) button; the others, in the
        # row's More menu (a <details>: no JavaScript needed), post the same form to another URL
        # with ``formaction``, which htmx follows too (the answer retargets itself to the session's
        # list with HX-Retarget, so the buttons need no hx-* attributes of their own).
        '<details class="more se-more"><summary class="button secondary small icon-button" title="More actions">'
        '{more_icon}<span class="visually-hidden">More actions for {name}</span></summary><ul class="more-menu">'
        '<li class="move-up"><button type="submit" formaction="{move}" name="direction" value="up">'
        '{up_icon}Move up<span class="visually-hidden">: move {name} up</span></button></li>'
        '<li class="move-down"><button type="submit" formaction="{move}" name="direction" value="down">'
        '{down_icon}Move down<span class="visually-hidden">: move {name} down</span></button></li>'
        '<li><a href="{subs}" hx-get="{subs}" hx-target="next .swap-area">{swap_icon}Swap'
        '<span class="visually-hidden"> {name}</span> for a similar exercise</a></li>'
        '<li><button type="submit" formaction="{remove}" class="danger">{trash_icon}Remove'
        '<span class="visually-hidden"> {name}</span></button></li>'
        "</ul></details>{close}</span></form>"
        '<div class="swap-area"></div></li>',
        rid=rid,
        name=item.exercise,
        update=urls["update"],
        htmx=htmx,
        close=close,
        move=urls["move"],
        remove=urls["remove"],
        subs=urls["substitutes"],
        csrf=csrf_token,
        general=general,
        fields=fields,
        **_ROW_ICONS,
    )


def volume_bar(muscle: MuscleVolume, per_label: str = "per week") -> SafeString:
    """The landmark bar: bands MV..MRV and a marker at the weekly sets, as an SVG whose text
    equivalent is its aria-label (role="img"). Each band is a line drawn 8 units thick (its colour
    and thickness come from programs.css), so it carries only its class and where it runs; the
    summary beside the bar says the status in words, the label the numbers."""
    bar = bar_geometry(muscle, per_label)
    bands = format_html_join(
        "", '<path class="{}" d="M{} 7h{}"/>', ((b.css, number(b.x), number(b.width)) for b in bar.bands)
    )
    return format_html(
        '<svg class="landmark-bar" viewBox="0 0 100 14" preserveAspectRatio="none" role="img" aria-label="{}">'
        '{}<rect class="bar-marker marker-{}" x="{}" width="1.2" height="14"/></svg>',
        bar.description,
        bands,
        muscle.status,
        number(round(bar.marker_x - 0.6, 2)),
    )


def contributors_table(m: MuscleVolume) -> SafeString:
    """Which exercises in which sessions give a muscle how many sets (or a line saying none do)."""
    if not m.contributors:
        return format_html('<p class="muted">{}</p>', "No exercise trains this muscle yet.")
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{} × {}</td><td>{}</td></tr>",
        (
            (c.session_name, c.exercise, c.sets, number(c.contribution), number(c.fractional))
            for c in m.contributors
        ),
    )
    return format_html(
        '<div class="table-scroll"><table class="contributors"><caption class="visually-hidden">Where {} sets come from</caption>'
        '<thead><tr><th scope="col">Session</th><th scope="col">Exercise</th><th scope="col">Sets × share</th>'
        '<th scope="col">Fractional sets</th></tr></thead><tbody>{}</tbody></table></div>',
        m.label.lower(),
        rows,
    )


def muscle_numbers(m: MuscleVolume, per_label: str) -> SafeString:
    """An opened muscle's figures: fractional and direct sets, how often it is trained, and its
    landmarks, with a link to how volume is counted."""
    lm = m.landmarks
    return format_html(
        "<p>{fractional} fractional · {direct} direct sets {per} · trained {frequency}× a week</p>"
        '<p class="muted">Keeps muscle (MV) {mv} · minimum to grow (MEV) {mev} · best range (MAV) '
        "{mav_low}–{mav_high} · most you recover from (MRV) {mrv} sets. "
        '<a href="{guide}">How volume is counted</a></p>',
        fractional=number(m.fractional_sets),
        direct=number(m.direct_sets),
        per=per_label,
        frequency=number(m.frequency),
        mv=number(lm.mv),
        mev=number(lm.mev),
        mav_low=number(lm.mav_low),
        mav_high=number(lm.mav_high),
        mrv=number(lm.mrv),
        guide=reverse("programs:volume_guide"),
    )


def muscle_detail(m: MuscleVolume, per_label: str) -> SafeString:
    """What an opened muscle shows: its figures and where its sets come from."""
    return format_html("{}{}", muscle_numbers(m, per_label), contributors_table(m))


def muscle_row(m: MuscleVolume, per_label: str, detail_url: str = "") -> SafeString:
    """One muscle of the volume panel: name, sets, status in words and colour, and the bar; opened,
    its figures and which exercises in which sessions give how much (``muscle_detail``). With
    ``detail_url`` (the builder, whose panel would otherwise carry 17 of them, and is sent again
    after every edit) the opened part is fetched by htmx when the muscle is first opened, and
    without JavaScript it is a link to the muscle's page (``programs:volume_muscle``), which shows
    the same. Without it (template pages) it is in the row."""
    if detail_url:
        detail = format_html(
            '<div class="muscle-detail" hx-get="{url}" hx-trigger="toggle once from:closest details">'
            '<a href="{url}">Figures and where these {label} sets come from</a></div>',
            url=detail_url,
            label=m.label.lower(),
        )
    else:
        detail = format_html('<div class="muscle-detail">{}</div>', muscle_detail(m, per_label))
    counted = number(m.counted_sets)
    return format_html(
        '<li class="muscle" id="muscle-{key}" data-muscle="{muscle}" data-sets="{counted}" data-status="{status}">'
        "<details><summary>"
        '<span class="muscle-name">{label}</span>'
        '<span class="muscle-sets"><strong class="counted">{counted}</strong> <span class="muted">sets</span></span>'
        '<span class="status status-{status}">{status_label}</span>{bar}'
        "</summary>{detail}</details></li>",
        key=m.muscle.lower(),
        muscle=m.muscle,
        counted=counted,
        status=m.shown_status,
        label=m.label,
        status_label=m.shown_status_label,
        bar=volume_bar(m, per_label),
        detail=detail,
    )
