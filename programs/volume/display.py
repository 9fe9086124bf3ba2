"""What the volume pages show: volume.json's shape and the landmark bar's geometry."""

from __future__ import annotations

from dataclasses import dataclass

from exercises.domain import Muscle
from programs.volume.core import (
    FRACTIONAL,
    MuscleVolume,
    ProgramVolume,
)

# --- JSON (volume.json) -------------------------------------------------------------------------


def _number(value: float) -> float | int:
    """Whole numbers as ints (frequency 2, MEV 6), others rounded to 2 places."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def program_volume_json(*, program_id: str, volume: ProgramVolume) -> dict[str, object]:
    """The ``volume.json`` document (issue 5), following the user's counting rule and landmarks."""
    counted = (lambda s: s.fractional) if volume.counting == FRACTIONAL else (lambda s: s.direct)
    return {
        "program": str(program_id),
        "structure_type": volume.structure_type,
        "counting": volume.counting,
        "per": "week",
        "per_label": volume.per_label,
        "muscles": [
            {
                "muscle": m.muscle,
                "fractional_sets": round(float(m.fractional_sets), 2),
                "direct_sets": round(float(m.direct_sets), 2),
                "frequency": _number(m.frequency),
                "status": m.status,
                "landmarks": {
                    "mv": _number(m.landmarks.mv),
                    "mev": _number(m.landmarks.mev),
                    "mav": [_number(m.landmarks.mav_low), _number(m.landmarks.mav_high)],
                    "mrv": _number(m.landmarks.mrv),
                },
                "contributors": [
                    {
                        "session": c.session_id,
                        "exercise": c.exercise,
                        "sets": c.sets,
                        "contribution": float(c.contribution),
                    }
                    for c in m.contributors
                ],
            }
            for m in volume.muscles
        ],
        "sessions": [
            {
                "id": s.session_id,
                "name": s.name,
                "day_of_week": s.day_of_week,
                "total_sets": s.total_sets,
                "muscles": {
                    muscle: round(float(counted(s.muscles[muscle])), 2)
                    for muscle in Muscle.values
                    if muscle in s.muscles and counted(s.muscles[muscle]) > 0
                },
            }
            for s in volume.sessions
        ],
        "warnings": [
            {"code": w.code, "message": w.message, "session": w.session, "muscle": w.muscle}
            for w in volume.warnings
        ],
    }


# --- The landmark bar (server-rendered SVG) --------------------------------------------------------


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    css: str
    label: str


@dataclass(frozen=True)
class BarGeometry:
    """Positions in a 0..100 wide SVG viewBox for one muscle's landmark bar."""

    bands: tuple[Band, ...]
    marker_x: float
    fill_width: float
    scale_max: float
    description: str


def bar_geometry(muscle: MuscleVolume, per_label: str = "per week") -> BarGeometry:
    """Bands MV, MEV, MAV range and MRV, plus a marker where the muscle's weekly sets stand."""
    lm = muscle.landmarks
    value = float(muscle.counted_sets)
    top = max(float(lm.mrv) * 1.2, value * 1.05, 1.0)

    def x(sets: float) -> float:
        return round(min(sets, top) / top * 100, 2)

    edges = [
        (0.0, float(lm.mv), "band-below-mv", "below MV"),
        (float(lm.mv), float(lm.mev), "band-maintenance", "MV to MEV"),
        (float(lm.mev), float(lm.mav_low), "band-productive", "MEV to MAV"),
        (float(lm.mav_low), float(lm.mav_high), "band-optimal", "MAV"),
        (float(lm.mav_high), float(lm.mrv), "band-high", "MAV to MRV"),
        (float(lm.mrv), top, "band-above", "above MRV"),
    ]
    bands = tuple(
        Band(x=x(start), width=round(x(end) - x(start), 2), css=css, label=label)
        for start, end, css, label in edges
        if end > start
    )
    counting_word = "fractional" if muscle.counting == FRACTIONAL else "direct"
    description = (
        f"{muscle.label}: {value:g} {counting_word} sets {per_label}, {muscle.shown_status_label.lower()} "
        f"(MV {lm.mv:g}, MEV {lm.mev:g}, MAV {lm.mav_low:g}–{lm.mav_high:g}, MRV {lm.mrv:g})."
    )
    return BarGeometry(
        bands=bands, marker_x=x(value), fill_width=x(value), scale_max=top, description=description
    )
