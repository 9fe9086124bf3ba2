"""The explained program review: each rule has a program that triggers it and one that does not.

Pure tests: plain snapshots and synthetic exercises, no database.
"""

from __future__ import annotations

from coach.plan import (
    ADD,
    REMOVE,
    SET_REPS,
    SET_REST,
    SET_SETS,
    ExerciseInfo,
    Fix,
    PlannedExercise,
    PlannedSession,
    ProgramSnapshot,
    apply_changes,
    counted,
    session_rows,
    snapshot_volume,
)
from coach.review import Finding, review_program


def ex(name: str, equipment: str, **contributions: float) -> ExerciseInfo:
    return ExerciseInfo(
        id=name.lower().replace(" ", "-"), name=name, equipment=equipment, contributions=contributions
    )


BENCH = ex("Bench Press", "BARBELL", CHEST=1.0, FRONT_DELTS=0.5, TRICEPS=0.5)
DB_PRESS = ex("Dumbbell Bench Press", "DUMBBELL", CHEST=1.0, FRONT_DELTS=0.5, TRICEPS=0.5)
FLY = ex("Cable Fly", "CABLE", CHEST=1.0, FRONT_DELTS=0.25)
OHP = ex("Overhead Press", "BARBELL", FRONT_DELTS=1.0, TRICEPS=0.5, SIDE_DELTS=0.5, TRAPS_RHOMBOIDS=0.25)
ROW = ex("Barbell Row", "BARBELL", TRAPS_RHOMBOIDS=1.0, LATS=0.5, ELBOW_FLEXORS=0.5, REAR_DELTS=0.5)
PULLDOWN = ex("Lat Pulldown", "CABLE", LATS=1.0, ELBOW_FLEXORS=0.5, TRAPS_RHOMBOIDS=0.5, REAR_DELTS=0.25)
LATERAL = ex("Lateral Raise", "DUMBBELL", SIDE_DELTS=1.0, TRAPS_RHOMBOIDS=0.25)
REAR_FLY = ex("Rear Delt Fly", "DUMBBELL", REAR_DELTS=1.0, TRAPS_RHOMBOIDS=0.5)
CURL = ex("Dumbbell Curl", "DUMBBELL", ELBOW_FLEXORS=1.0, FOREARMS=0.25)
PUSHDOWN = ex("Triceps Pushdown", "CABLE", TRICEPS=1.0)
SQUAT = ex("Back Squat", "BARBELL", QUADRICEPS=1.0, GLUTES=0.5, ADDUCTORS=0.5, SPINAL_ERECTORS=0.25)
LEG_EXT = ex("Leg Extension", "MACHINE", QUADRICEPS=1.0)
RDL = ex("Romanian Deadlift", "BARBELL", HAMSTRINGS=1.0, GLUTES=0.5, SPINAL_ERECTORS=0.5, ADDUCTORS=0.25)
LEG_CURL = ex("Leg Curl", "MACHINE", HAMSTRINGS=1.0, CALVES=0.25)
CALF = ex("Calf Raise", "MACHINE", CALVES=1.0)
# Not in the good program: what the review may suggest.
SEATED_CALF = ex("Seated Calf Raise", "MACHINE", CALVES=1.0)
BW_CALF = ex("Single-Leg Calf Raise", "BODYWEIGHT", CALVES=1.0)
KB_CALF = ex("Kettlebell Calf Raise", "KETTLEBELL", CALVES=1.0)
NORDIC = ex("Nordic Curl", "BODYWEIGHT", HAMSTRINGS=1.0)
SEATED_LEG_CURL = ex("Seated Leg Curl", "MACHINE", HAMSTRINGS=1.0, CALVES=0.25)
CABLE_ROW = ex("Cable Row", "CABLE", TRAPS_RHOMBOIDS=1.0, LATS=0.5, ELBOW_FLEXORS=0.5, REAR_DELTS=0.5)
FACE_PULL = ex("Face Pull", "CABLE", REAR_DELTS=1.0, TRAPS_RHOMBOIDS=0.5)

LIBRARY = [
    BENCH, DB_PRESS, FLY, OHP, ROW, PULLDOWN, LATERAL, REAR_FLY, CURL, PUSHDOWN, SQUAT, LEG_EXT, RDL,
    LEG_CURL, CALF, SEATED_CALF, BW_CALF, KB_CALF, NORDIC, SEATED_LEG_CURL, CABLE_ROW, FACE_PULL,
]  # fmt: skip

Row = tuple[ExerciseInfo, int] | tuple[ExerciseInfo, int, str | None, int | None]


def program(
    *sessions: tuple[str, int | None, list[Row]], structure: str = "WEEKLY", frequency: int = 3
) -> ProgramSnapshot:
    built = []
    for s_index, (name, day, rows) in enumerate(sessions):
        items = []
        for e_index, row in enumerate(rows):
            exercise, sets = row[0], row[1]
            reps = row[2] if len(row) > 2 else "8-12"  # type: ignore[misc]
            rest = row[3] if len(row) > 3 else 120  # type: ignore[misc]
            items.append(PlannedExercise(f"se{s_index}-{e_index}", exercise, sets, reps, rest, e_index))
        built.append(PlannedSession(f"s{s_index}", name, s_index, day, tuple(items)))
    return ProgramSnapshot(structure, frequency, tuple(built))


def good_sessions() -> list[tuple[str, int | None, list[Row]]]:
    return [
        (
            "Full body A",
            0,
            [(BENCH, 3), (PULLDOWN, 3), (SQUAT, 4), (LATERAL, 3), (CURL, 2), (CALF, 3), (REAR_FLY, 2)],
        ),
        (
            "Full body B",
            2,
            [(DB_PRESS, 3), (ROW, 3), (RDL, 3), (LATERAL, 3), (PUSHDOWN, 2), (CALF, 4), (LEG_CURL, 2)],
        ),
        (
            "Full body C",
            4,
            [
                (BENCH, 3),
                (PULLDOWN, 4),
                (SQUAT, 4),
                (LATERAL, 2),
                (CURL, 2),
                (PUSHDOWN, 2),
                (REAR_FLY, 2),
                (LEG_CURL, 2),
            ],
        ),
    ]


GOOD = program(*good_sessions())


def review(snapshot: ProgramSnapshot) -> list[Finding]:
    return review_program(snapshot, snapshot_volume(snapshot), LIBRARY)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def after_fix(snapshot: ProgramSnapshot, fix: Fix | None) -> ProgramSnapshot:
    assert fix is not None
    return apply_changes(snapshot, fix.changes, {e.id: e for e in LIBRARY})


def weekly(snapshot: ProgramSnapshot, muscle: str) -> float:
    return counted(snapshot_volume(snapshot), muscle)


def replace_session(index: int, rows: list[Row]) -> ProgramSnapshot:
    sessions = good_sessions()
    name, day, _ = sessions[index]
    sessions[index] = (name, day, rows)
    return program(*sessions)


# ---------------------------------------------------------------- nothing to fix


def test_a_sound_program_gets_one_all_clear_with_the_figures():
    findings = review(GOOD)

    assert codes(findings) == ["all_clear"]
    text = findings[0].explanation
    assert "All 11 major muscles between MEV and MRV" in text
    assert f"chest {weekly(GOOD, 'CHEST'):.1f}" in text
    assert f"calves {weekly(GOOD, 'CALVES'):.1f}" in text
    assert "pushing vs pulling" in text
    assert findings[0].fix is None


def test_every_finding_cites_evidence_from_domain_sources():
    findings = review(program(("Mon", 0, [(BENCH, 3, "3", 30)])))

    sources = ("Schoenfeld 2017", "Baz-Valle 2022", "Pelland 2024", "Schoenfeld 2016", "Singer 2024", "RP")
    assert findings
    for finding in findings:
        assert any(source in finding.evidence for source in sources), finding.code


# ---------------------------------------------------------------- below MEV


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


# ---------------------------------------------------------------- above MRV


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


# ---------------------------------------------------------------- over 10 sets in one session


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


# ---------------------------------------------------------------- once a week


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


# ---------------------------------------------------------------- balance


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


# ---------------------------------------------------------------- session size


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


# ---------------------------------------------------------------- duplicates


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


# ---------------------------------------------------------------- prescriptions


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


# ---------------------------------------------------------------- order, empty programs, fixes


def test_findings_come_most_important_first():
    snapshot = replace_session(
        0,
        [(BENCH, 3, "3", 30), (BENCH, 1), (PULLDOWN, 3), (SQUAT, 3), (LATERAL, 3), (CURL, 2), (REAR_FLY, 2)],
    )
    findings = review(snapshot)
    order = {"high": 0, "medium": 1, "low": 2, "info": 3}

    assert [order[f.severity] for f in findings] == sorted(order[f.severity] for f in findings)
    assert findings[0].severity == "high"
    assert findings[-1].severity == "low"


def test_a_program_without_sessions_says_so():
    findings = review(ProgramSnapshot("WEEKLY", 1, ()))
    assert codes(findings) == ["no_sessions"]

    no_weekday = program(("Someday", None, [(BENCH, 3)]))
    assert "none of its sessions is on a weekday" in review(no_weekday)[0].explanation


def test_a_fix_survives_a_round_trip_through_plain_data():
    snapshot = replace_session(
        0,
        [
            (BENCH, 3, "8-12", 45),
            (PULLDOWN, 3),
            (SQUAT, 3),
            (LATERAL, 3),
            (CURL, 2),
            (CALF, 3),
            (REAR_FLY, 2),
        ],
    )
    for finding in review(snapshot):
        if finding.fix is not None:
            assert Fix.from_dict(finding.fix.as_dict()) == finding.fix


def test_direct_counting_reviews_direct_sets():
    # By direct sets, triceps get only the pushdowns: 4 < MEV 6, though fractional sets are fine.
    snapshot = GOOD
    volume = snapshot_volume(snapshot, counting="direct")
    findings = review_program(snapshot, volume, LIBRARY)

    triceps = next(f for f in findings if f.code == "below_mev" and f.muscle == "TRICEPS")
    assert "Triceps gets 4.0 weekly sets" in triceps.explanation
