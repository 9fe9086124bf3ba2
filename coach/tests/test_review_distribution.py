"""The review's distribution rules: one muscle over 10 sets in a session, 10+ sets trained once a week, sessions over 30 sets or 8 exercises.

Pure tests: plain snapshots and synthetic exercises, no database.
"""

from __future__ import annotations

from coach.plan import (
    session_rows,
    snapshot_volume,
)
from coach.tests.snapshots import (
    BENCH,
    CALF,
    CURL,
    DB_PRESS,
    FLY,
    GOOD,
    LATERAL,
    PULLDOWN,
    PUSHDOWN,
    RDL,
    REAR_FLY,
    ROW,
    SQUAT,
    after_fix,
    codes,
    program,
    replace_session,
    review,
    weekly,
)


def test_more_than_10_sets_for_one_muscle_in_one_session_moves_sets_elsewhere():
    snapshot = replace_session(
        0, [(BENCH, 6), (FLY, 5), (PULLDOWN, 3), (SQUAT, 3), (LATERAL, 3), (CURL, 2), (CALF, 3)]
    )
    findings = review(snapshot)

    finding = next(f for f in findings if f.code == "session_muscle_over_10")
    assert finding.muscle == "CHEST" and finding.session_id == "s0"
    assert "Full body A gives chest 11.0 fractional sets" in finding.explanation
    fixed = after_fix(snapshot, finding.fix)
    rows = session_rows(next(s for s in fixed.sessions if s.id == "s0")).muscles
    assert rows["CHEST"].fractional <= 10
    assert weekly(fixed, "CHEST") == weekly(snapshot, "CHEST")  # moved, not removed


def test_exactly_10_sets_in_one_session_is_fine():
    snapshot = replace_session(
        0, [(BENCH, 5), (FLY, 5), (PULLDOWN, 3), (SQUAT, 3), (LATERAL, 3), (CURL, 2), (CALF, 3)]
    )

    assert "session_muscle_over_10" not in codes(review(snapshot))


def test_ten_plus_sets_trained_once_a_week_are_split_over_two_sessions():
    snapshot = program(
        ("Mon", 0, [(BENCH, 5), (FLY, 5), (PULLDOWN, 4), (ROW, 4)]),
        ("Thu", 3, [(SQUAT, 4), (RDL, 4), (CALF, 4), (LATERAL, 4)]),
        frequency=2,
    )
    finding = next(f for f in review(snapshot) if f.code == "once_a_week" and f.muscle == "CHEST")

    assert "Chest gets 10.0 weekly sets, all in Mon" in finding.explanation
    fixed = after_fix(snapshot, finding.fix)
    assert snapshot_volume(fixed).muscle("CHEST").frequency == 2
    assert weekly(fixed, "CHEST") == 10


def test_ten_plus_sets_over_two_sessions_are_not_flagged():
    snapshot = program(
        ("Mon", 0, [(BENCH, 5), (PULLDOWN, 4), (SQUAT, 4)]),
        ("Thu", 3, [(FLY, 5), (ROW, 4), (RDL, 4)]),
        frequency=2,
    )

    assert not [f for f in review(snapshot) if f.code == "once_a_week" and f.muscle == "CHEST"]


def test_a_session_over_30_sets_or_8_exercises_moves_exercises_to_lighter_sessions():
    snapshot = program(
        (
            "Mon",
            0,
            [
                (BENCH, 4),
                (PULLDOWN, 4),
                (SQUAT, 4),
                (RDL, 4),
                (LATERAL, 4),
                (CURL, 4),
                (PUSHDOWN, 4),
                (CALF, 2),
                (REAR_FLY, 2),
            ],
        ),
        ("Thu", 3, [(DB_PRESS, 3), (ROW, 3)]),
        frequency=2,
    )
    finding = next(f for f in review(snapshot) if f.code == "session_over_30_sets")

    assert "Mon has 32 sets (more than 30) and 9 exercises (more than 8)" in finding.explanation
    fixed = after_fix(snapshot, finding.fix)
    assert all(s.total_sets <= 30 and len(s.exercises) <= 8 for s in fixed.sessions)
    assert weekly(fixed, "CALVES") == weekly(snapshot, "CALVES")


def test_sessions_within_30_sets_and_8_exercises_are_fine():
    found = codes(review(GOOD))
    assert "session_over_30_sets" not in found and "session_over_8_exercises" not in found
