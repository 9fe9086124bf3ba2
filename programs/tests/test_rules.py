"""programs.rules: the limits and cleaners every path (forms, services, import, coach) shares."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from programs import rules


@pytest.mark.parametrize(
    ("values", "cleaned"),
    [
        ({"sets": "3"}, {"sets": 3}),
        ({"sets": 20.0}, {"sets": 20}),
        ({"reps": " 8 – 12 "}, {"reps": "8-12"}),
        ({"reps": "amrap"}, {"reps": "AMRAP"}),
        ({"reps": ""}, {"reps": None}),
        ({"rest_seconds": ""}, {"rest_seconds": None}),
        ({"rest_seconds": 900}, {"rest_seconds": 900}),
        ({"notes": "  pause  "}, {"notes": "pause"}),
        ({"notes": "x" * 500}, {"notes": "x" * 500}),
    ],
)
def test_good_prescriptions_are_normalised(values, cleaned):
    assert rules.clean_prescription(values) == cleaned


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"sets": 0}, "Sets are 1 to 20."),
        ({"sets": 21}, "Sets are 1 to 20."),
        ({"sets": 50}, "Sets are 1 to 20."),
        ({"sets": 3.5}, "Enter a whole number."),
        ({"sets": True}, "Enter a whole number."),
        ({"sets": None}, "Enter a whole number."),
        ({"reps": "12-8"}, "A rep range goes from low to high: 8-12, not 12-8."),
        ({"reps": "0"}, "Reps are between 1 and 100."),
        ({"reps": "lots"}, "Reps are a number, a range like 8-12, or AMRAP."),
        ({"rest_seconds": 901}, "Rest is 0 to 900 seconds."),
        ({"rest_seconds": -1}, "Rest is 0 to 900 seconds."),
        ({"notes": "x" * 501}, "Notes are at most 500 characters."),
        ({"notes": 7}, "Notes are text."),
    ],
)
def test_bad_prescriptions_name_the_field_and_the_limit(values, message):
    with pytest.raises(ValidationError) as exc:
        rules.clean_prescription(values)
    [field] = values
    assert exc.value.message_dict == {field: [message]}


def test_every_problem_is_listed_and_unknown_fields_are_refused():
    with pytest.raises(ValidationError) as exc:
        rules.clean_prescription({"sets": 0, "rest_seconds": 1000, "notes": "fine"})
    assert set(exc.value.message_dict) == {"sets", "rest_seconds"}
    with pytest.raises(ValidationError, match="cannot be changed here"):
        rules.clean_prescription({"exercise": "x"})


def test_the_limits_match_the_domain_rules():
    """DOMAIN.md: sets 1–20, rest 0–900 s, notes ≤ 500 characters, reps up to 100, names 3–100."""
    assert (rules.MIN_SETS, rules.MAX_SETS, rules.MAX_REST_SECONDS, rules.MAX_NOTES, rules.MAX_REPS) == (
        1,
        20,
        900,
        500,
        100,
    )
    assert (rules.NAME_MIN, rules.NAME_MAX, rules.MIN_FREQUENCY, rules.MAX_FREQUENCY) == (3, 100, 1, 7)


@pytest.mark.parametrize(
    ("value", "expected"), [("  Push   day ", "Push day"), ("abc", "abc"), ("x" * 100, "x" * 100)]
)
def test_names_collapse_spaces(value, expected):
    assert rules.clean_name(value) == expected


@pytest.mark.parametrize("value", ["ab", "   ", None, "x" * 101])
def test_names_outside_three_to_a_hundred_characters_are_refused(value):
    with pytest.raises(ValidationError, match="3 to 100 characters"):
        rules.clean_name(value)


@pytest.mark.parametrize(("value", "expected"), [(1, 1), ("7", 7), (4.0, 4)])
def test_cyclic_frequency_is_one_to_seven_days(value, expected):
    assert rules.clean_frequency(value) == expected


@pytest.mark.parametrize("value", [0, 8, None, "x", True, 2.5])
def test_bad_cyclic_frequencies_are_refused(value):
    with pytest.raises(ValidationError, match="1 to 7 days a week"):
        rules.clean_frequency(value)


def test_weekly_frequency_and_session_order():
    assert [rules.weekly_frequency(n) for n in (0, 1, 3, 7, 9)] == [1, 1, 3, 7, 7]
    assert rules.session_order_index(day_of_week=4, position=0) == 4  # WEEKLY: by weekday
    assert rules.session_order_index(day_of_week=None, position=2) == 2  # CYCLIC: rotation place
