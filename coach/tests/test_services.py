"""The coach services directly: a sound program is told so, and review and generation are quick."""

from __future__ import annotations

import pytest

from coach.services import program_generate, program_review_run

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
