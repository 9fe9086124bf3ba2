"""The coach services directly: a sound program is told so, and review and generation are quick."""

from __future__ import annotations

import time

import pytest

from coach.services import program_generate, program_review_run
from coach.tests.helpers import build_program

pytestmark = pytest.mark.django_db


def test_a_sound_program_is_told_so_with_its_figures(user, library):
    # A generated program meets every goal; its review has nothing to fix.
    program = program_generate(
        user=user,
        days=4,
        structure_type="WEEKLY",
        equipment=["BARBELL", "DUMBBELL", "CABLE", "MACHINE"],
        seed=3,
    ).program

    findings = program_review_run(user=user, program=program).findings

    assert [f.code for f in findings] == ["all_clear"]
    assert "All 11 major muscles between MEV and MRV" in findings[0].explanation


def test_review_and_generation_each_answer_within_a_second(user, library):
    program = build_program(user, library)
    started = time.perf_counter()
    program_review_run(user=user, program=program)
    review_seconds = time.perf_counter() - started

    started = time.perf_counter()
    program_generate(
        user=user, days=6, structure_type="WEEKLY", equipment=["BARBELL", "DUMBBELL", "CABLE"], seed=1
    )
    generate_seconds = time.perf_counter() - started

    assert review_seconds < 1.0
    assert generate_seconds < 1.0
