"""The review's balance rules: push vs pull, chest vs back, quadriceps vs hamstrings, front vs rear delts.

Pure tests: plain snapshots and synthetic exercises, no database.
"""

from __future__ import annotations

from coach.plan import (
    ADD,
)
from coach.tests.snapshots import (
    BENCH,
    CALF,
    CURL,
    DB_PRESS,
    FLY,
    GOOD,
    LATERAL,
    LEG_CURL,
    LEG_EXT,
    NORDIC,
    OHP,
    PULLDOWN,
    PUSHDOWN,
    RDL,
    ROW,
    SEATED_LEG_CURL,
    SQUAT,
    after_fix,
    codes,
    program,
    replace_session,
    review,
)


def test_push_far_ahead_of_pull_states_the_ratio_and_adds_pulling():
    snapshot = program(
        ("Mon", 0, [(BENCH, 4), (OHP, 4), (PUSHDOWN, 3), (LATERAL, 3), (PULLDOWN, 2)]),
        ("Thu", 3, [(DB_PRESS, 4), (FLY, 3), (LATERAL, 3), (PUSHDOWN, 3), (CURL, 2)]),
        frequency=2,
    )
    finding = next(f for f in review(snapshot) if f.code == "balance_push_pull")

    assert "a ratio of" in finding.explanation and "the band is 2:3 to 3:2" in finding.explanation
    assert finding.fix is not None
    fixed = after_fix(snapshot, finding.fix)
    assert "balance_push_pull" not in codes(review(fixed))


def test_quads_far_ahead_of_hamstrings_is_flagged_and_balanced_legs_are_not():
    lopsided = replace_session(
        1, [(DB_PRESS, 3), (ROW, 3), (SQUAT, 3), (LEG_EXT, 3), (LATERAL, 3), (PUSHDOWN, 2), (CALF, 3)]
    )
    findings = review(lopsided)

    finding = next(f for f in findings if f.code == "balance_quads_hamstrings")
    assert "quadriceps" in finding.explanation and ":1" in finding.explanation
    added = [c.exercise_id for c in finding.fix.changes if c.kind == ADD]
    assert added and set(added) <= {NORDIC.id, SEATED_LEG_CURL.id, LEG_CURL.id, RDL.id}
    assert "balance_quads_hamstrings" not in codes(review(GOOD))


def test_front_delts_far_ahead_of_rear_delts_is_flagged():
    snapshot = program(
        ("Mon", 0, [(OHP, 5), (BENCH, 4), (PULLDOWN, 4), (SQUAT, 4)]),
        ("Thu", 3, [(OHP, 5), (DB_PRESS, 4), (PULLDOWN, 4), (RDL, 4)]),
        frequency=2,
    )

    assert "balance_front_rear_delts" in codes(review(snapshot))
