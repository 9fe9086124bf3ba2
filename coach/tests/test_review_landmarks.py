"""The review's landmark rules: below MEV, above MRV, and a program without a counted week.

Pure tests: plain snapshots and synthetic exercises, no database.
"""

from __future__ import annotations

from coach.plan import (
    ADD,
    REMOVE,
    SET_SETS,
    ProgramSnapshot,
    session_rows,
    snapshot_volume,
)
from coach.review import review_program
from coach.tests.snapshots import (
    BENCH,
    CALF,
    CURL,
    FLY,
    GOOD,
    LATERAL,
    LEG_CURL,
    PULLDOWN,
    RDL,
    REAR_FLY,
    ROW,
    SEATED_CALF,
    SQUAT,
    after_fix,
    codes,
    good_sessions,
    program,
    replace_session,
    review,
    weekly,
)


def test_below_mev_adds_a_prime_mover_not_in_the_program_on_used_equipment_up_to_mev():
    # Calves get only 1.0 set (leg curls): 7.0 short of MEV 8.
    snapshot = replace_session(
        0, [(BENCH, 3), (PULLDOWN, 3), (SQUAT, 3), (LATERAL, 3), (CURL, 2), (REAR_FLY, 2)]
    )
    snapshot = program(
        *[
            (s.name, s.day_of_week, [(e.exercise, e.sets) for e in s.exercises if e.exercise is not CALF])
            for s in snapshot.sessions
        ]
    )
    findings = review(snapshot)

    calves = next(f for f in findings if f.code == "below_mev" and f.muscle == "CALVES")
    assert "Calves gets 1.0 weekly sets, below its MEV of 8" in calves.explanation
    adds = [c for c in calves.fix.changes if c.kind == ADD]
    assert adds
    # A calf exercise on equipment the program already uses (machine), never the bodyweight or
    # kettlebell one, and not one already in the program.
    assert {c.exercise_id for c in adds} <= {CALF.id, SEATED_CALF.id}
    fixed = after_fix(snapshot, calves.fix)
    assert weekly(fixed, "CALVES") >= 8
    assert "below_mev" not in [f.code for f in review(fixed) if f.muscle == "CALVES"]
    for session in fixed.sessions:
        assert session.total_sets <= 30
        assert len(session.exercises) <= 8


def test_below_mev_prefers_an_exercise_not_already_in_the_program():
    # Two sets of calf raises a week: the suggestion is a different calf exercise.
    sessions = good_sessions()
    sessions[0] = (sessions[0][0], 0, [r for r in sessions[0][2] if r[0] is not CALF] + [(CALF, 2)])
    sessions[1] = (sessions[1][0], 2, [r for r in sessions[1][2] if r[0] is not CALF])
    snapshot = program(*sessions)

    finding = next(f for f in review(snapshot) if f.code == "below_mev" and f.muscle == "CALVES")

    assert next(c.exercise_id for c in finding.fix.changes if c.kind == ADD) == SEATED_CALF.id
    assert weekly(after_fix(snapshot, finding.fix), "CALVES") >= 8


def test_below_mev_respects_the_per_session_caps_and_splits_over_sessions():
    # One session already near 30 sets: the added sets go elsewhere, never over the caps.
    snapshot = program(
        ("Mon", 0, [(BENCH, 6), (PULLDOWN, 6), (SQUAT, 6), (LATERAL, 6), (CURL, 5)]),
        ("Thu", 3, [(LEG_CURL, 1)]),
        frequency=2,
    )
    finding = next(f for f in review(snapshot) if f.code == "below_mev" and f.muscle == "CALVES")
    fixed = after_fix(snapshot, finding.fix)

    assert all(c.session_id == "s1" for c in finding.fix.changes if c.kind == ADD)
    assert all(s.total_sets <= 30 for s in fixed.sessions)
    assert all(v.fractional <= 10 for s in fixed.sessions for v in session_rows(s).muscles.values())
    assert weekly(fixed, "CALVES") >= 8


def test_below_mev_in_a_cyclic_program_counts_the_rotation_scale():
    # Two sessions at 4 training days a week: every set counts twice a week.
    snapshot = program(
        ("A", None, [(BENCH, 3), (SQUAT, 3)]),
        ("B", None, [(ROW, 3), (RDL, 3)]),
        structure="CYCLIC",
        frequency=4,
    )
    finding = next(f for f in review(snapshot) if f.code == "below_mev" and f.muscle == "CALVES")
    added = sum(c.sets or 0 for c in finding.fix.changes if c.kind == ADD)

    assert added == 4  # 4 sets × (4 days / 2 sessions) = 8 = MEV
    assert weekly(after_fix(snapshot, finding.fix), "CALVES") == 8


def test_below_mev_without_a_suitable_exercise_explains_instead_of_a_fix():
    snapshot = program(("Mon", 0, [(BENCH, 3)]), frequency=1)
    findings = review_program(snapshot, snapshot_volume(snapshot), [BENCH])

    calves = next(f for f in findings if f.code == "below_mev" and f.muscle == "CALVES")
    assert calves.fix is None
    assert "No exercise in your library that trains calves as prime mover" in calves.explanation
    chest = next(f for f in findings if f.code == "below_mev" and f.muscle == "CHEST")
    assert chest.fix is None  # the only chest exercise is already in the only session


def test_no_below_mev_finding_when_every_muscle_reaches_it():
    assert "below_mev" not in codes(review(GOOD))


def test_above_mrv_says_which_exercises_to_take_sets_from():
    # Chest 9 + 3 × 5 fly = 24 > MRV 22, no session over 10 chest sets.
    sessions = good_sessions()
    for i in range(3):
        name, day, rows = sessions[i]
        sessions[i] = (name, day, [*rows[:6], (FLY, 5)])
    snapshot = program(*sessions)
    findings = review(snapshot)

    finding = findings[0]
    assert finding.code == "above_mrv" and finding.muscle == "CHEST"
    assert "Chest gets 24.0 weekly sets, 2.0 above its MRV of 22" in finding.explanation
    assert all(c.kind in (SET_SETS, REMOVE) for c in finding.fix.changes)
    fixed = after_fix(snapshot, finding.fix)
    assert weekly(fixed, "CHEST") <= 22
    assert weekly(fixed, "TRICEPS") >= 6  # no other muscle pushed below MEV


def test_no_above_mrv_finding_at_or_below_mrv():
    assert "above_mrv" not in codes(review(GOOD))


def test_a_program_without_sessions_says_so():
    findings = review(ProgramSnapshot("WEEKLY", 1, ()))
    assert codes(findings) == ["no_sessions"]

    no_weekday = program(("Someday", None, [(BENCH, 3)]))
    assert "none of its sessions is on a weekday" in review(no_weekday)[0].explanation
