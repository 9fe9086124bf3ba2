"""programs.selectors.volume: the one aggregate query, checked against DOMAIN.md's worked example and friends."""

from __future__ import annotations

import pytest

from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import StructureType
from programs.selectors import program_volume_for, program_volume_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench(db):
    return ExerciseFactory(
        name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5}
    )


def _two_bench_sessions(user, bench, structure_type, frequency=None):
    program = services.program_create(
        user=user, name="Bench twice", structure_type=structure_type, frequency=frequency
    )
    monday = services.session_create(user=user, program=program, name="Monday", day_of_week=0)
    thursday = services.session_create(user=user, program=program, name="Thursday", day_of_week=3)
    for session in (monday, thursday):
        services.session_exercise_add(user=user, session=session, exercise=bench, sets=3, reps="8-12")
    return program


def test_worked_example_weekly(user, bench):
    program = _two_bench_sessions(user, bench, StructureType.WEEKLY)
    program.refresh_from_db()
    assert program.frequency == 2
    volume = program_volume_for(program=program, user=user)
    chest = volume.muscle("CHEST")
    assert (chest.fractional_sets, chest.direct_sets, chest.frequency) == (6.0, 6.0, 2)
    assert (volume.muscle("FRONT_DELTS").fractional_sets, volume.muscle("FRONT_DELTS").direct_sets) == (
        3.0,
        0,
    )
    assert (volume.muscle("TRICEPS").fractional_sets, volume.muscle("TRICEPS").direct_sets) == (3.0, 0)
    assert chest.status == "productive"
    assert [(c.session_name, c.exercise, c.sets, c.contribution) for c in chest.contributors] == [
        ("Monday", "Barbell Bench Press", 3, 1.0),
        ("Thursday", "Barbell Bench Press", 3, 1.0),
    ]


def test_worked_example_cyclic(user, bench):
    program = _two_bench_sessions(user, bench, StructureType.CYCLIC, frequency=3)
    volume = program_volume_for(program=program, user=user)
    assert volume.muscle("CHEST").fractional_sets == 9.0
    assert volume.muscle("CHEST").frequency == 3
    assert volume.per_label == "per 7 days on average"


def test_one_query_for_any_program_size(user, bench, django_assert_num_queries):
    program = _two_bench_sessions(user, bench, StructureType.WEEKLY)
    services.session_create(user=user, program=program, name="Empty Friday", day_of_week=4)
    with django_assert_num_queries(1):
        rows = program_volume_rows(program_ids=[program.pk])
    sessions = {r.session_name for r in rows if r.level == "session"}
    assert sessions == {"Monday", "Thursday", "Empty Friday"}


def test_only_prime_movers_count_as_direct_sets(user):
    """Direct sets count contributions of exactly 1.0 (DOMAIN.md); 0.75, 0.5 and 0.25 are
    fractional only. A row: lats 1.0, traps & rhomboids 0.75, biceps 0.5, rear delts 0.25."""
    row = ExerciseFactory(
        name="Chest-Supported Row",
        muscle_contributions={"LATS": 1.0, "TRAPS_RHOMBOIDS": 0.75, "ELBOW_FLEXORS": 0.5, "REAR_DELTS": 0.25},
    )
    program = services.program_create(user=user, name="Back day", structure_type=StructureType.WEEKLY)
    session = services.session_create(user=user, program=program, name="Pull", day_of_week=1)
    services.session_exercise_add(user=user, session=session, exercise=row, sets=4)
    volume = program_volume_for(program=program, user=user)
    assert {
        m: (volume.muscle(m).fractional_sets, volume.muscle(m).direct_sets) for m in row.muscle_contributions
    } == {
        "LATS": (4.0, 4),
        "TRAPS_RHOMBOIDS": (3.0, 0),
        "ELBOW_FLEXORS": (2.0, 0),
        "REAR_DELTS": (1.0, 0),
    }
    muscle_rows = {r.muscle: r for r in program_volume_rows(program_ids=[program.pk]) if r.level == "muscle"}
    assert (muscle_rows["TRAPS_RHOMBOIDS"].fractional, muscle_rows["TRAPS_RHOMBOIDS"].direct) == (3.0, 0.0)
