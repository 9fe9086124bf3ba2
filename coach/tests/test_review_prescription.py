"""The review's prescription rules: an exercise twice in a session, short rest on compound lifts, reps outside 5-30.

Pure tests: plain snapshots and synthetic exercises, no database.
"""

from __future__ import annotations

from coach.plan import (
    SET_REPS,
    SET_REST,
)
from coach.tests.snapshots import (
    BENCH,
    CALF,
    CURL,
    GOOD,
    LATERAL,
    PULLDOWN,
    REAR_FLY,
    SQUAT,
    after_fix,
    codes,
    replace_session,
    review,
    weekly,
)


def test_the_same_exercise_twice_in_a_session_is_merged():
    snapshot = replace_session(
        0,
        [
            (BENCH, 2),
            (PULLDOWN, 3),
            (SQUAT, 3),
            (BENCH, 1),
            (LATERAL, 3),
            (CURL, 2),
            (CALF, 3),
            (REAR_FLY, 2),
        ],
    )
    finding = next(f for f in review(snapshot) if f.code == "duplicate_exercise")

    assert "Bench Press appears 2 times in Full body A (2 + 1 sets)" in finding.explanation
    fixed = after_fix(snapshot, finding.fix)
    benches = [e for e in fixed.sessions[0].exercises if e.exercise is BENCH]
    assert [e.sets for e in benches] == [3]
    assert weekly(fixed, "CHEST") == weekly(snapshot, "CHEST")


def test_the_same_exercise_in_two_sessions_is_not_a_duplicate():
    assert "duplicate_exercise" not in codes(review(GOOD))  # bench on Monday and Friday


def test_rest_under_60_seconds_on_a_compound_lift_is_raised_to_120():
    snapshot = replace_session(
        0,
        [
            (BENCH, 3, "8-12", 45),
            (PULLDOWN, 3),
            (SQUAT, 3),
            (LATERAL, 3, "12-15", 30),
            (CURL, 2),
            (CALF, 3),
            (REAR_FLY, 2),
        ],
    )
    finding = next(f for f in review(snapshot) if f.code == "short_rest")

    assert "Bench Press in Full body A (45 s)" in finding.explanation
    assert "Lateral Raise" not in finding.explanation  # an isolation exercise may rest briefly
    assert [(c.kind, c.rest_seconds, c.expected) for c in finding.fix.changes] == [(SET_REST, 120, 45)]


def test_rest_of_60_seconds_or_more_on_compounds_is_fine():
    snapshot = replace_session(
        0,
        [
            (BENCH, 3, "8-12", 60),
            (PULLDOWN, 3),
            (SQUAT, 3),
            (LATERAL, 3),
            (CURL, 2),
            (CALF, 3),
            (REAR_FLY, 2),
        ],
    )

    assert "short_rest" not in codes(review(snapshot))


def test_reps_outside_5_to_30_are_brought_inside_and_amrap_is_fine():
    snapshot = replace_session(
        0,
        [
            (BENCH, 3, "3", 180),
            (PULLDOWN, 3, "AMRAP", 120),
            (SQUAT, 3, "1-3", 180),
            (LATERAL, 3, "40", 60),
            (CURL, 2, "8-40", 60),
            (CALF, 3),
            (REAR_FLY, 2),
        ],
    )
    finding = next(f for f in review(snapshot) if f.code == "reps_out_of_range")

    changes = {c.session_exercise_id: c.reps for c in finding.fix.changes}
    assert all(c.kind == SET_REPS for c in finding.fix.changes)
    assert changes == {"se0-0": "5-8", "se0-2": "5-8", "se0-3": "20-30", "se0-4": "8-30"}
    assert "Lat Pulldown" not in finding.explanation


def test_reps_within_5_to_30_are_fine():
    assert "reps_out_of_range" not in codes(review(GOOD))
