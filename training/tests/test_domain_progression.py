"""training.domain.progression: double progression gated on RIR, with its reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from training.domain.progression import (
    DECREASE,
    INCREASE,
    KEEP,
    PastSet,
    PastWorkout,
    load_jump,
    rep_range,
    suggest,
    when_label,
)

D = Decimal


def workout(when, *sets):
    return PastWorkout(
        when=when, sets=[PastSet(D(w), r, None if rir is None else D(rir), t) for w, r, rir, t in sets]
    )


def working(when, weight, reps_rirs):
    return workout(when, *[(weight, r, rir, "WORKING") for r, rir in reps_rirs])


def test_all_sets_at_the_top_with_reps_in_reserve_add_the_jump():
    last = workout(
        "last Monday",
        (40, 10, None, "WARMUP"),
        (80, 12, 2, "WORKING"),
        (80, 12, 2, "WORKING"),
        (80, 12, 1, "WORKING"),
    )
    s = suggest(reps="8-12", equipment="BARBELL", history=[last])
    assert s.kind == INCREASE
    assert (s.weight, s.weight_kg, s.reps) == (D("82.5"), D("82.50"), 8)
    assert s.reason.startswith("All 3 sets reached 12 at RIR 1–2 last Monday")
    assert "add 2.5 kg" in s.reason


def test_rir_not_logged_counts_as_reserve_but_failure_does_not():
    s = suggest(reps="10", equipment="DUMBBELL", history=[working("yesterday", 20, [(10, None), (10, None)])])
    assert s.kind == INCREASE and s.weight == D(22) and s.reps == 10
    assert "RIR not logged" in s.reason
    at_failure = suggest(
        reps="10", equipment="BARBELL", history=[working("yesterday", 60, [(10, 0), (10, 1)])]
    )
    assert at_failure.kind == KEEP and at_failure.weight == D(60)
    assert "RIR 0" in at_failure.reason
    failure_set = workout("yesterday", (60, 10, None, "FAILURE"))
    assert suggest(reps="10", equipment="BARBELL", history=[failure_set]).kind == KEEP


def test_one_set_short_keeps_the_load():
    s = suggest(
        reps="8-12", equipment="MACHINE", history=[working("last Thursday", 50, [(12, 2), (11, 1), (10, 1)])]
    )
    assert s.kind == KEEP
    assert (s.weight, s.reps) == (D(50), 11)
    assert (
        s.reason
        == "2 sets of 3 stayed below 12 reps last Thursday: keep 50 kg and aim for one more rep on those sets."
    )


def test_below_the_range_two_workouts_in_a_row_deloads_5_to_10_percent():
    history = [
        working("last Thursday", 100, [(8, 1), (6, 0)]),
        working("last Monday", 100, [(7, 0), (8, 1)]),
    ]
    s = suggest(reps="8-12", equipment="BARBELL", history=history)
    assert s.kind == DECREASE
    assert s.weight == D(95)
    assert D("0.90") * 100 <= s.weight <= D("0.95") * 100
    assert "two workouts in a row (last Monday and last Thursday)" in s.reason
    # Only once below: keep.
    once = [working("last Thursday", 100, [(8, 1), (6, 0)]), working("last Monday", 100, [(9, 1), (8, 1)])]
    assert suggest(reps="8-12", equipment="BARBELL", history=once).kind == KEEP


def test_deload_rounds_down_to_the_increment_in_pounds():
    # 100 kg stored -> 220 lb shown; 5% off = 209 lb rounded down to 1 lb.
    history = [working("b", D("99.79"), [(5, 0)]), working("a", D("99.79"), [(5, 0)])]
    s = suggest(reps="6-8", equipment="BARBELL", history=history, unit="lb")
    assert s.kind == DECREASE and s.unit == "lb"
    assert s.weight == D(209)
    assert s.weight_kg == D("94.80")


def test_pounds_jump_by_five():
    s = suggest(reps="5", equipment="CABLE", history=[working("today", D("45.36"), [(5, 2)])], unit="lb")
    assert (s.kind, s.weight) == (INCREASE, D(105))


def test_amrap_and_no_history_get_no_suggestion():
    assert suggest(reps="AMRAP", equipment="BARBELL", history=[working("x", 60, [(10, 1)])]) is None
    assert suggest(reps=None, equipment="BARBELL", history=[working("x", 60, [(10, 1)])]) is None
    assert suggest(reps="8-12", equipment="BARBELL", history=[]) is None
    assert suggest(reps="8-12", equipment="BARBELL", history=[workout("x", (40, 10, None, "WARMUP"))]) is None


def test_helpers():
    assert rep_range("8-12") == (8, 12)
    assert rep_range("10") == (10, 10)
    assert rep_range("AMRAP") is None
    assert rep_range("12-8") is None
    assert load_jump("SMITH_MACHINE", "kg") == D("2.5")
    assert load_jump("DUMBBELL", "kg") == D(2)
    assert load_jump("DUMBBELL", "lb") == D(5)
    today = dt.date(2026, 12, 7)  # a Monday
    assert when_label(today, today) == "today"
    assert when_label(dt.date(2026, 12, 6), today) == "yesterday"
    assert when_label(dt.date(2026, 12, 3), today) == "last Thursday"
    assert when_label(dt.date(2026, 11, 30), today) == "on 30 Nov"
