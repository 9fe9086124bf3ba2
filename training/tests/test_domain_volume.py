"""training.domain.volume against TRAINING.md's worked example, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from exercises.domain import Muscle
from programs.volume import DIRECT, FRACTIONAL, Landmarks, SessionMuscleSets, SessionVolume, program_volume
from training.domain.volume import (
    LoggedSet,
    is_hard_set,
    muscle_week_json,
    muscle_weeks,
    performed_volume,
)

BENCH = {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5}


@pytest.mark.parametrize(
    ("set_type", "reps", "rir", "hard"),
    [
        ("WORKING", 8, Decimal(2), True),
        ("DROP", 6, None, True),
        ("FAILURE", 5, Decimal(0), True),
        ("WORKING", 10, Decimal(4), True),
        ("WORKING", 10, Decimal("4.5"), False),
        ("WORKING", 10, Decimal(5), False),
        ("WARMUP", 10, Decimal(2), False),
        ("WARMUP", 10, None, False),
        ("WORKING", 0, Decimal(0), False),
    ],
)
def test_hard_set_rule(set_type, reps, rir, hard):
    assert is_hard_set(set_type=set_type, reps=reps, rir=rir) is hard


def test_threshold_is_the_lifters():
    assert is_hard_set(set_type="WORKING", reps=8, rir=Decimal(3), threshold=Decimal(2)) is False
    assert is_hard_set(set_type="WORKING", reps=8, rir=Decimal(5), threshold=5) is True


def worked_example_sets() -> list[LoggedSet]:
    monday = [LoggedSet("WARMUP", 10, None, BENCH), LoggedSet("WARMUP", 5, None, BENCH)] + [
        LoggedSet("WORKING", 8, Decimal(r), BENCH) for r in (2, 2, 1)
    ]
    thursday = [LoggedSet("WORKING", 8, None, BENCH) for _ in range(3)] + [
        LoggedSet("WORKING", 12, Decimal(5), BENCH)
    ]
    return monday + thursday


def planned_bench_program(counting: str = FRACTIONAL):
    sessions = [
        SessionVolume(
            session_id=sid,
            name=name,
            order_index=order,
            day_of_week=day,
            total_sets=3,
            muscles={
                m: SessionMuscleSets(fractional=3 * c, direct=3.0 if c == 1.0 else 0.0)
                for m, c in BENCH.items()
            },
        )
        for order, (sid, name, day) in enumerate((("s1", "Monday", 0), ("s2", "Thursday", 3)))
    ]
    volume = program_volume(structure_type="WEEKLY", frequency=2, sessions=sessions, counting=counting)
    return {m.muscle: m.counted_sets for m in volume.muscles}


def test_worked_example_hard_sets_and_performed_volume():
    week = performed_volume(worked_example_sets())
    assert week.hard_sets == 6
    assert week.hard_sets_without_rir == 3
    chest = week.muscles["CHEST"]
    assert (chest.fractional, chest.direct) == (6.0, 6.0)
    triceps = week.muscles["TRICEPS"]
    assert (triceps.fractional, triceps.direct) == (3.0, 0.0)
    assert (triceps.fractional_without_rir, triceps.direct_without_rir) == (1.5, 0.0)
    assert set(week.muscles) == set(BENCH)


def test_worked_example_planned_against_performed():
    planned = planned_bench_program()
    assert (planned["CHEST"], planned["TRICEPS"], planned["FRONT_DELTS"]) == (6.0, 3.0, 3.0)
    rows = {
        r.muscle: r
        for r in muscle_weeks(planned=planned, performed=performed_volume(worked_example_sets()).muscles)
    }
    assert len(rows) == 17
    assert list(rows) == [m.value for m in Muscle]
    chest = rows["CHEST"]
    assert (chest.planned_sets, chest.performed_sets, chest.adherence) == (6.0, 6.0, 100.0)
    assert chest.hard_sets_without_rir == 3.0
    assert chest.status == "productive"  # MEV 6 <= 6 < MAV 12
    assert (rows["TRICEPS"].performed_sets, rows["TRICEPS"].performed_direct) == (3.0, 0.0)
    assert rows["TRICEPS"].status == "below_mev"
    # Nothing planned, nothing done: no adherence, and below MEV where MEV > 0.
    assert rows["QUADRICEPS"].adherence is None
    assert rows["QUADRICEPS"].status == "below_mev"
    assert rows["GLUTES"].status == "productive"  # MEV 0, MAV from 4


def test_direct_counting_compares_direct_sets():
    planned = planned_bench_program(DIRECT)
    rows = {
        r.muscle: r
        for r in muscle_weeks(
            planned=planned, performed=performed_volume(worked_example_sets()).muscles, counting=DIRECT
        )
    }
    assert (rows["CHEST"].planned_sets, rows["CHEST"].performed_sets) == (6.0, 6.0)
    assert (rows["TRICEPS"].planned_sets, rows["TRICEPS"].performed_sets) == (0.0, 0.0)
    assert rows["TRICEPS"].adherence is None
    assert rows["TRICEPS"].performed_fractional == 3.0


def test_adherence_below_and_above_plan_and_landmark_overrides():
    performed = performed_volume([LoggedSet("WORKING", 10, None, BENCH) for _ in range(3)]).muscles
    rows = {
        r.muscle: r
        for r in muscle_weeks(
            planned={"CHEST": 6.0, "TRICEPS": 1.0},
            performed=performed,
            landmarks={"CHEST": Landmarks(0, 2, 3, 4, 5)},
        )
    }
    assert rows["CHEST"].adherence == 50.0
    assert rows["CHEST"].status == "optimal"
    assert rows["TRICEPS"].adherence == 150.0


def test_json_entry_uses_the_interface_names():
    row = muscle_weeks(planned={"CHEST": 6.0}, performed=performed_volume(worked_example_sets()).muscles)[0]
    assert muscle_week_json(row) == {
        "muscle": "CHEST",
        "planned_sets": 6,
        "performed_sets": 6,
        "hard_sets_without_rir": 3,
        "adherence": 100,
        "status": "productive",
        "landmarks": {"mv": 4, "mev": 6, "mav": [12, 20], "mrv": 22},
    }
