"""Fast synthetic libraries for plan tests and benchmarks: COPY thousands of realistic-looking
global exercises with random unit vectors (the embeddings' shape, not their meaning)."""

from __future__ import annotations

import json
import uuid

import numpy as np
from django.db import connection, transaction

from exercises.domain import Difficulty, Equipment

EQUIPMENT_WORDS = {
    Equipment.BARBELL: "Barbell",
    Equipment.DUMBBELL: "Dumbbell",
    Equipment.CABLE: "Cable",
    Equipment.MACHINE: "Machine",
    Equipment.SMITH_MACHINE: "Smith Machine",
    Equipment.BODYWEIGHT: "Bodyweight",
    Equipment.KETTLEBELL: "Kettlebell",
    Equipment.RESISTANCE_BAND: "Band",
    Equipment.OTHER: "Landmine",
}
VARIANTS = [
    "",
    "Incline",
    "Decline",
    "Seated",
    "Standing",
    "Single-Arm",
    "Paused",
    "Tempo",
    "Close-Grip",
    "Wide-Grip",
]
MOVEMENTS: list[tuple[str, dict[str, float]]] = [
    ("Bench Press", {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5}),
    ("Fly", {"CHEST": 1.0, "FRONT_DELTS": 0.25}),
    ("Overhead Press", {"FRONT_DELTS": 1.0, "TRICEPS": 0.5, "SIDE_DELTS": 0.5}),
    ("Lateral Raise", {"SIDE_DELTS": 1.0, "TRAPS_RHOMBOIDS": 0.25}),
    ("Rear Delt Fly", {"REAR_DELTS": 1.0, "TRAPS_RHOMBOIDS": 0.5}),
    ("Pulldown", {"LATS": 1.0, "ELBOW_FLEXORS": 0.5, "TRAPS_RHOMBOIDS": 0.5}),
    ("Row", {"TRAPS_RHOMBOIDS": 1.0, "LATS": 0.75, "ELBOW_FLEXORS": 0.5, "REAR_DELTS": 0.5}),
    ("Shrug", {"TRAPS_RHOMBOIDS": 1.0, "FOREARMS": 0.25}),
    ("Curl", {"ELBOW_FLEXORS": 1.0, "FOREARMS": 0.25}),
    ("Triceps Extension", {"TRICEPS": 1.0}),
    ("Squat", {"QUADRICEPS": 1.0, "GLUTES": 0.5, "ADDUCTORS": 0.5, "SPINAL_ERECTORS": 0.25}),
    ("Lunge", {"QUADRICEPS": 1.0, "GLUTES": 0.5, "ADDUCTORS": 0.5, "HAMSTRINGS": 0.25}),
    ("Leg Extension", {"QUADRICEPS": 1.0}),
    ("Romanian Deadlift", {"HAMSTRINGS": 1.0, "GLUTES": 0.5, "SPINAL_ERECTORS": 0.5}),
    ("Leg Curl", {"HAMSTRINGS": 1.0, "CALVES": 0.25}),
    ("Hip Thrust", {"GLUTES": 1.0, "HAMSTRINGS": 0.25}),
    ("Calf Raise", {"CALVES": 1.0}),
    ("Crunch", {"ABS": 1.0, "OBLIQUES": 0.25}),
    ("Woodchop", {"OBLIQUES": 1.0, "ABS": 0.5}),
    ("Back Extension", {"SPINAL_ERECTORS": 1.0, "GLUTES": 0.5}),
]
DIFFICULTIES = list(Difficulty.values)


def unit_vectors(n: int, *, seed: int = 0, dims: int = 384) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((n, dims)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def bulk_insert_exercises(n: int, *, seed: int = 0, prefix: str = "") -> int:
    """COPY ``n`` global exercises (unique names, valid contributions, random unit embeddings).

    The HNSW index is dropped and rebuilt around the load (inserts are ~5x faster without it), in
    the same transaction as the load. Runs ANALYZE (VACUUM, which also refreshes the GIN index's
    statistics, cannot run inside a transaction: see :func:`vacuum_analyze`).
    """
    rng = np.random.default_rng(seed)
    vectors = unit_vectors(n, seed=seed)
    equipment = list(EQUIPMENT_WORDS)
    # One transaction (a savepoint inside a test's): the index is never left dropped.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_exercises_embedding_cosine'")
        row = cursor.fetchone()
        if row:
            cursor.execute("DROP INDEX ix_exercises_embedding_cosine")
        raw = cursor.cursor
        columns = "id, name, description, equipment, muscle_contributions, difficulty, is_global, embedding, embedding_hash"
        with raw.copy(f"COPY exercises ({columns}) FROM STDIN") as copy:
            for i in range(n):
                eq = equipment[int(rng.integers(len(equipment)))]
                variant = VARIANTS[int(rng.integers(len(VARIANTS)))]
                movement, contributions = MOVEMENTS[int(rng.integers(len(MOVEMENTS)))]
                name = " ".join(p for p in (prefix, EQUIPMENT_WORDS[eq], variant, movement, str(i)) if p)
                copy.write_row(
                    (
                        uuid.uuid4(),
                        name,
                        f"A {movement.lower()} variation with the {EQUIPMENT_WORDS[eq].lower()}.",
                        eq,
                        json.dumps(contributions),
                        DIFFICULTIES[int(rng.integers(len(DIFFICULTIES)))],
                        True,
                        "[" + ",".join(f"{x:.5f}" for x in vectors[i].tolist()) + "]",
                        "synthetic",
                    )
                )
        if row:
            # Deferred foreign-key checks must run before an index can be built in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(row[0])
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("ANALYZE exercises")
    return n


def vacuum_analyze() -> None:
    """What autovacuum does to a real table: statistics for the planner, including the GIN
    trigram index's own (entries, pages), which ANALYZE alone does not refresh. Needs autocommit."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE exercises")
