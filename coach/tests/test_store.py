"""The session-kept review and generation: each program sees only its own (no database)."""

from __future__ import annotations

import uuid
from types import SimpleNamespace
from typing import Any

from coach.generator import GeneratedPlan, UnmetGoal, validate_request
from coach.plan import ADD, Change, Fix, ProgramSnapshot, snapshot_volume
from coach.review import Finding
from coach.store import last_generation, store_generation, store_review, stored_review
from programs.models import TrainingProgram


def request() -> Any:
    return SimpleNamespace(session={})


def program() -> TrainingProgram:
    return TrainingProgram(pk=uuid.uuid4(), name="Split")


EMPTY = ProgramSnapshot("WEEKLY", 3, ())
FIX = Fix(
    description="Train calves directly.",
    changes=(Change(kind=ADD, text="Add Calf Raise.", session_id="s", exercise_id="e", sets=3),),
)


def test_a_kept_review_belongs_to_its_program_and_keeps_the_fix_as_plain_data():
    req, mine, other = request(), program(), program()
    finding = Finding("below_mev", "high", "Calves below MEV", "Calves get 0.0 weekly sets.", "RP", fix=FIX)

    store_review(req, mine, [finding])

    kept = stored_review(req, mine)
    assert kept is not None and stored_review(req, other) is None
    (data,) = kept["findings"]
    assert (data["code"], data["severity_label"], data["applied"]) == ("below_mev", "Important", False)
    assert Fix.from_dict(data["fix"]) == FIX


def test_without_a_session_there_is_nothing_kept():
    assert stored_review(SimpleNamespace(), program()) is None
    assert last_generation(SimpleNamespace(), program()) is None


def test_the_last_generation_is_offered_only_on_the_program_it_built():
    req, built, other = request(), program(), program()
    gen = validate_request(days="3", structure_type="WEEKLY", equipment=["BARBELL"], seed="4")
    plan = GeneratedPlan(
        name="3-day full body",
        description="",
        structure_type="WEEKLY",
        frequency=3,
        snapshot=EMPTY,
        volume=snapshot_volume(EMPTY),
        unmet=(UnmetGoal("below_mev", "Calves: 0 weekly sets.", "CALVES"),),
    )

    store_generation(req, built, gen, plan)

    assert last_generation(req, other) is None
    kept = last_generation(req, built)
    assert kept is not None
    assert (kept["days"], kept["seed"], kept["next_seed"], kept["unmet"]) == (
        3,
        4,
        5,
        ["Calves: 0 weekly sets."],
    )
