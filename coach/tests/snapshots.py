"""Plain program snapshots and synthetic exercises for the review tests (no database): a small
library, a sound three-day program (``GOOD``) and helpers to vary it."""

from __future__ import annotations

from coach.plan import (
    ExerciseInfo,
    Fix,
    PlannedExercise,
    PlannedSession,
    ProgramSnapshot,
    apply_changes,
    counted,
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
