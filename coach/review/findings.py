"""What the review returns: :class:`Finding` (a titled explanation with its numbers, one line of
evidence and maybe a :class:`~coach.plan.Fix`), its severities, the evidence lines, and the few text
helpers every rule writes its explanations with."""

from __future__ import annotations

from dataclasses import dataclass

from coach.plan import Fix
from exercises.domain import muscle_label

HIGH, MEDIUM, LOW, INFO = "high", "medium", "low", "info"
SEVERITY_ORDER = {HIGH: 0, MEDIUM: 1, LOW: 2, INFO: 3}
SEVERITY_LABELS = {HIGH: "Important", MEDIUM: "Worth fixing", LOW: "Detail", INFO: "All good"}
EVIDENCE = {
    "below_mev": (
        "RP landmarks: below MEV a muscle barely grows; about 4 weekly sets is the minimum dose and "
        "10+ beat fewer (Schoenfeld 2017)."
    ),
    "above_mrv": (
        "RP landmarks: past MRV recovery fails; 12–20 weekly sets is the usual recommendation "
        "(Baz-Valle 2022) and returns diminish past ~20 (Pelland 2024)."
    ),
    "session_muscle_over_10": (
        "Returns diminish with more sets (Pelland 2024); DOMAIN.md caps one muscle at about 10 "
        "fractional sets per session, so the rest is better spent in another session."
    ),
    "once_a_week": (
        "Weekly volume drives growth (Schoenfeld 2017; Pelland 2024), and past ~10 sets in one "
        "session returns drop: two sessions carry 10+ weekly sets better than one."
    ),
    "session_size": (
        "Past about 30 sets in one session quality drops (DOMAIN.md); 12–20 weekly sets per muscle "
        "(Baz-Valle 2022) fit in shorter sessions."
    ),
    "balance": (
        "Fractional sets (Pelland 2024) make sides comparable; the band is HypertroQ's rule of "
        "thumb for even development, not a study's cut-off."
    ),
    "duplicate_exercise": (
        "Volume counts per set (Pelland 2024): one entry with the sets combined gives the same "
        "volume and reads clearer."
    ),
    "short_rest": (
        "Rest of 2–3 min on compound lifts beats 1 min (Schoenfeld 2016); past ~90 s the "
        "differences are small (Singer 2024)."
    ),
    "reps_out_of_range": "Rep ranges of 5–30 near failure grow muscle about equally (Schoenfeld 2017, 2021).",
    "all_clear": (
        "RP landmarks (MEV–MRV); 10+ weekly sets beat fewer (Schoenfeld 2017); 12–20 is the usual "
        "recommendation (Baz-Valle 2022)."
    ),
    "no_sessions": "Weekly volume is what counts (Schoenfeld 2017; Pelland 2024): a week needs sessions.",
}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    title: str
    explanation: str
    evidence: str
    fix: Fix | None = None
    muscle: str | None = None
    session_id: str | None = None

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.severity]


def sets_text(value: float) -> str:
    """Weekly sets with one decimal, two when needed: 12.0, 7.5, 7.25."""
    text = f"{value:.2f}"
    return text[:-1] if text.endswith("0") else text


def muscle_lower(muscle: str) -> str:
    return muscle_label(muscle).lower()
