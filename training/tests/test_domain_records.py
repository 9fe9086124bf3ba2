"""training.domain.records: Epley with effective reps, and PR detection."""

from __future__ import annotations

from decimal import Decimal

import pytest

from training.domain.records import (
    E1RM,
    REPS,
    VOLUME,
    RecordSet,
    estimated_1rm,
    exercise_records,
    is_pr,
    rep_frontier,
)

D = Decimal


def test_worked_example():
    assert estimated_1rm(D(100), 8, D(2)) == D("133.3")  # r = 10
    assert estimated_1rm(D(100), 12) is None  # past 10 reps: no estimate
    assert estimated_1rm(D(100), 9, D(2)) is None  # r = 11


@pytest.mark.parametrize(
    ("weight", "reps", "rir", "expected"),
    [
        (D(100), 1, None, D(100)),  # r = 1: the load itself
        (D(100), 1, D(0), D(100)),
        (D(100), 1, D("0.5"), D(105)),  # r = 1.5: Epley proper
        (D(100), 10, None, D("133.3")),
        (D("82.5"), 5, D("1.5"), D("100.4")),  # 82.5 × (1 + 6.5/30) = 100.375
        (D("1.5"), 1, D(1), D("1.6")),  # exactly 1.55: halves round up
        (D(100), 0, None, None),
        (D(0), 5, None, None),  # bodyweight with no added load: nothing to estimate
    ],
)
def test_epley(weight, reps, rir, expected):
    assert estimated_1rm(weight, reps, rir) == expected


def s(set_id, workout, weight, reps, rir=None, set_type="WORKING"):
    return RecordSet(set_id, workout, D(weight), reps, None if rir is None else D(rir), set_type)


def test_the_first_workout_sets_no_prs():
    records = exercise_records([s("a", "w1", 60, 10), s("b", "w1", 80, 8, 2), s("c", "w1", 85, 8, 1)])
    assert records.prs == {}
    assert records.best_e1rm == D("110.5")  # 85 × (1 + 9/30)
    assert records.best_e1rm_set == "c"
    assert records.best_volume == D(680)


def test_prs_beat_every_earlier_set():
    sets = [
        s("w", "w1", 40, 10, set_type="WARMUP"),
        s("a", "w1", 80, 8, 2),  # e1RM 106.7, volume 640
        s("b", "w2", 200, 3, set_type="WARMUP"),  # warm-ups never count, even heavy ones
        s("c", "w2", 80, 9, 2),  # more reps at 80, e1RM 80 × (1 + 11/30): none (r = 11), volume 720
        s("d", "w2", 85, 6, 1),  # new load: reps PR at >= 85; e1RM 85 × 1.2333 = 104.8 (no); 510 (no)
        s("e", "w3", 90, 6, 2),  # e1RM 90 × 1.2667 = 114.0: PR; reps at >= 90: PR; 540: no
        s("f", "w3", 90, 6, 2),  # ties beat nothing
    ]
    records = exercise_records(sets)
    assert records.kinds("c") == [REPS, VOLUME]
    assert records.kinds("d") == [REPS]
    assert records.kinds("e") == [E1RM, REPS]
    assert records.kinds("f") == []
    assert records.kinds("b") == [] and records.kinds("w") == []
    assert records.best_e1rm == D("114.0")
    assert records.best_volume_set == "c"
    assert records.rep_records == [(D(90), 6), (D(80), 9)]


def test_is_pr_for_one_new_set_matches_the_walk():
    earlier = [s("a", "w1", 80, 8, 2), s("c", "w2", 80, 9, 2)]
    assert is_pr(earlier, s("x", "w3", 82.5, 8, 2)) == [E1RM, REPS]  # 82.5 × 4/3 = 110 > 106.7
    assert is_pr(earlier, s("x", "w3", 80, 9, 2)) == []
    assert is_pr([], s("x", "w1", 100, 5)) == []  # the first time
    assert is_pr([s("a", "w1", 50, 5)], s("x", "w1", 100, 5)) == []  # still the first workout
    assert is_pr(earlier, s("x", "w3", 300, 5, set_type="WARMUP")) == []


def test_rep_frontier():
    frontier = rep_frontier(
        [s("a", "w", 100, 5), s("b", "w", 90, 4), s("c", "w", 80, 10), s("d", "w", 60, 0)]
    )
    assert frontier == [(D(100), 5), (D(80), 10)]
