"""Template helpers for program pages: the landmark bar and the template-card mini bars."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.template.base import FilterExpression
from django.urls import reverse
from django.utils.html import format_html_join

from accounts.models import Viewer
from accounts.tiers import signed_in
from exercises.domain import muscle_label
from exercises.models import Exercise
from hypertroq.http import CSRF_PLACEHOLDER, with_csrf
from programs import rendering, rules
from programs.fragments import FragmentSlot, cached_html
from programs.models import TrainingProgram, Weekday
from programs.selectors import program_count_using_exercise, program_list_for_user
from programs.volume import MuscleVolume, ProgramVolume

register = template.Library()


@register.simple_tag
def volume_bar(muscle: MuscleVolume, per_label: str = "per week") -> str:
    """The landmark bar as an SVG with its text equivalent (see programs.rendering)."""
    return rendering.volume_bar(muscle, per_label)


@register.simple_tag
def muscle_row(muscle: MuscleVolume, per_label: str = "per week", program_id: object = None) -> str:
    """With ``program_id`` (the builder), the opened part (figures, contributors) loads on demand."""
    url = (
        reverse("programs:volume_muscle", kwargs={"program_id": program_id, "muscle": muscle.muscle.lower()})
        if program_id
        else ""
    )
    return rendering.muscle_row(muscle, per_label, url)


@register.simple_tag
def prescription_limits() -> dict[str, int]:
    """``{% prescription_limits as limits %}``: the input bounds of ``programs.rules``."""
    return {
        "min_sets": rules.MIN_SETS,
        "max_sets": rules.MAX_SETS,
        "max_rest_seconds": rules.MAX_REST_SECONDS,
        "reps_input_max": rules.REPS_INPUT_MAX,
        "max_notes": rules.MAX_NOTES,
    }


@register.simple_tag(takes_context=True)
def exercise_row(context: Any, item: Any) -> str:
    """A session exercise row, shown (a link to its form) or, with ``editing_row`` naming it, its
    form; errors come from ``row_state`` when a save failed (the form again)."""
    row_id = str(item.session_exercise_id)
    state = (context.get("row_state") or {}).get(row_id)
    return rendering.exercise_row(
        item,
        editable=bool(context.get("editable")),
        csrf_token=str(context.get("csrf_token", "")),
        state=state,
        editing=context.get("editing_row") == row_id,
        standalone=bool(context.get("standalone_row")),
    )


@register.simple_tag
def recent_programs(user: Viewer | None, limit: int = 3) -> list[TrainingProgram]:
    """The user's most recently edited programs (for the dashboard; one query)."""
    if not signed_in(user):
        return []
    return list(program_list_for_user(user=user)[:limit])


@register.inclusion_tag("programs/partials/mini_bars.html")
def mini_bars(volume: ProgramVolume | None) -> dict[str, Any]:
    """17 small vertical bars (one per muscle), height = share of the muscle's MRV."""
    if volume is None:
        return {"bars": [], "label": ""}
    bars = []
    for index, m in enumerate(volume.muscles):
        top = max(float(m.landmarks.mrv), 1.0)
        height = round(min(float(m.counted_sets) / top, 1.0) * 28, 1)
        bars.append(
            {
                "x": index * 6,
                "y": 30 - height,
                "height": height,
                "status": m.status,
                "label": m.label,
                "sets": m.counted_sets,
            }
        )
    label = "Weekly volume: " + "; ".join(
        f"{m.label} {m.counted_sets:g} sets ({m.shown_status_label.lower()})" for m in volume.muscles
    )
    return {"bars": bars, "label": label}


@register.filter
def sets(value: float) -> str:
    """6.0 -> "6", 4.5 -> "4.5"."""
    return f"{float(value):g}"


@register.filter
def weekday(value: int | None) -> str:
    return "" if value is None else Weekday(value).label


@register.filter
def session_top_muscles(session: Any, limit: int = 4) -> list[tuple[str, float]]:
    """The muscles a session trains most (fractional sets), biggest first."""
    ranked = sorted(
        ((muscle_label(k), v.fractional) for k, v in session.muscles.items() if v.fractional > 0),
        key=lambda item: -item[1],
    )
    return ranked[:limit]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ mapping|get_item:key }}``: dict lookup with a variable key (None when absent)."""
    if not mapping:
        return None
    return mapping.get(str(key))


@register.simple_tag
def weekday_options(selected: int | None) -> str:
    """<option>s Monday..Sunday with ``selected`` marked."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in Weekday.choices),
    )


@register.simple_tag
def programs_using_exercise(exercise: Exercise, user: Viewer | None) -> int:
    """How many of ``user``'s programs use ``exercise``: the exercise pages (``exercises`` does not
    import ``programs``) load this tag, ``{% programs_using_exercise exercise user as use_count %}``."""
    return program_count_using_exercise(user=user, exercise=exercise)


_BETWEEN_TAGS = re.compile(r">\s+<")


def squeeze(html: str) -> str:
    """The template's indentation between tags down to one newline (about 6 KB of a 6 × 6
    builder's sessions). Whitespace stays whitespace, so nothing renders differently; a raw ``<``
    or ``>`` is always a tag's (text and attribute values are escaped), and the fragments this
    is for hold no <pre> or <textarea>."""
    return _BETWEEN_TAGS.sub(">\n<", html)


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: FilterExpression) -> None:
        self.nodelist = nodelist
        self.key = key

    def render(self, context: template.Context) -> str:
        key = self.key.resolve(context)
        if not key:
            return squeeze(self.nodelist.render(context))

        def render() -> str:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                return squeeze(self.nodelist.render(context))

        html = key.html(render) if isinstance(key, FragmentSlot) else cached_html(str(key), render)
        return with_csrf(context["request"], html)


@register.tag
def cachedfragment(parser: template.base.Parser, token: template.base.Token) -> CachedFragmentNode:
    """``{% cachedfragment key %}...{% endcachedfragment %}``: the body from the cache under
    ``key`` (a ``programs.fragments.FragmentSlot`` of the page's fragments, looked up together, or
    a key string from ``programs.fragments.fragment_key``), rendered and stored on a miss; an empty
    key renders it as usual (a form with errors, say). The body's forms get the request's CSRF
    token (see programs/fragments.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cachedfragment takes one argument: the key")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(nodelist, parser.compile_filter(bits[1]))
