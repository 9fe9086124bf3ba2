"""Template helpers for program pages: the landmark bar and the template-card mini bars."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

from programs.volume import STATUS_LABELS, MuscleVolume, ProgramVolume, bar_geometry

register = template.Library()


@register.simple_tag
def volume_bar(muscle: MuscleVolume, per_label: str = "per week") -> str:
    """The landmark bar: bands MV..MRV and a marker at the weekly sets, as an SVG with a text
    equivalent (role="img", aria-label and <title>). Built in Python: 17 per page, so no
    per-bar template render."""
    bar = bar_geometry(muscle, per_label)
    bands = format_html_join(
        "",
        '<rect class="{}" x="{}" y="3" width="{}" height="8"><title>{}</title></rect>',
        ((b.css, b.x, b.width, b.label) for b in bar.bands),
    )
    return format_html(
        '<svg class="landmark-bar" viewBox="0 0 100 14" preserveAspectRatio="none" role="img" '
        'aria-label="{}" focusable="false"><title>{}</title>{}'
        '<rect class="bar-marker marker-{}" x="{}" y="0" width="1.2" height="14" transform="translate(-0.6 0)">'
        "</rect></svg>",
        bar.description,
        bar.description,
        bands,
        muscle.status,
        bar.marker_x,
    )


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
        f"{m.label} {m.counted_sets:g} sets ({STATUS_LABELS[m.status].lower()})" for m in volume.muscles
    )
    return {"bars": bars, "label": label}


@register.filter
def sets(value: float) -> str:
    """6.0 -> "6", 4.5 -> "4.5"."""
    return f"{float(value):g}"


@register.filter
def weekday(value: int | None) -> str:
    from programs.models import Weekday

    return "" if value is None else Weekday(value).label


@register.filter
def session_top_muscles(session: Any, limit: int = 4) -> list[tuple[str, float]]:
    """The muscles a session trains most (fractional sets), biggest first."""
    from exercises.domain import Muscle

    ranked = sorted(
        ((Muscle(k).label, v.fractional) for k, v in session.muscles.items() if v.fractional > 0),
        key=lambda item: -item[1],
    )
    return ranked[:limit]


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ mapping|get_item:key }}``: dict lookup with a variable key (None when absent)."""
    if not mapping:
        return None
    return mapping.get(str(key))
