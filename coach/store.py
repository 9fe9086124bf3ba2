"""The user's last review of a program and the settings of their last generation, kept in the
session: the review's findings and fixes as plain data, so Apply refers to a finding by number and
the fix itself never travels through the browser; the builder shows the kept review again on reload
without another AI query. Views write here, and the template tags read here (they import no views).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from coach.generator import GeneratedPlan, GeneratorRequest
from coach.review import Finding
from exercises.domain import Fitting
from programs.models import TrainingProgram

REVIEW_SESSION_KEY = "coach_review:{}"
GENERATION_SESSION_KEY = "coach_generation"


def _finding_data(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity,
        "severity_label": finding.severity_label,
        "title": finding.title,
        "explanation": finding.explanation,
        "evidence": finding.evidence,
        "fix": finding.fix.as_dict() if finding.fix else None,
        "applied": False,
    }


def stored_review(request: HttpRequest, program: TrainingProgram) -> dict[str, Any] | None:
    """The last review of ``program`` in this session, or None."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    data = session.get(REVIEW_SESSION_KEY.format(program.pk))
    return data if isinstance(data, dict) else None


def store_review(request: HttpRequest, program: TrainingProgram, findings: list[Finding]) -> dict[str, Any]:
    """Keep ``findings`` as the last review of ``program`` (replacing the previous one)."""
    data = {
        "program": str(program.pk),
        "reviewed_at": timezone.now().strftime("%d %b %Y, %H:%M UTC"),
        "findings": [_finding_data(f) for f in findings],
    }
    request.session[REVIEW_SESSION_KEY.format(program.pk)] = data
    return data


def last_generation(request: HttpRequest, program: TrainingProgram) -> dict[str, Any] | None:
    """The generator settings that produced ``program``, when this session generated it."""
    session = getattr(request, "session", None)
    data = session.get(GENERATION_SESSION_KEY) if session is not None else None
    if isinstance(data, dict) and data.get("program") == str(program.pk):
        # Stored before fittings were asked: the generator then used everything a gym has.
        return {"fittings": list(Fitting.values), **data}
    return None


def store_generation(
    request: HttpRequest, program: TrainingProgram, gen: GeneratorRequest, plan: GeneratedPlan
) -> None:
    """Remember how ``program`` was generated (the builder offers "another variation" from it)."""
    request.session[GENERATION_SESSION_KEY] = {
        "program": str(program.pk),
        "days": gen.days,
        "structure_type": gen.structure_type,
        "equipment": sorted(gen.equipment),
        "priority_muscles": list(gen.priority_muscles),
        "session_set_limit": gen.session_set_limit,
        "fittings": sorted(gen.fittings),
        "seed": gen.seed,
        "next_seed": gen.seed + 1,
        "unmet": [u.message for u in plan.unmet],
    }
