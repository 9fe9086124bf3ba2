"""training.domain.units and plates: exact kg/lb conversion, rounding, the plate calculator."""

from __future__ import annotations

from decimal import Decimal

import pytest

from training.domain.plates import plate_loading
from training.domain.units import display_load, format_load, from_kg, round_down_to, round_to, to_kg

D = Decimal


def test_pound_is_exact():
    assert from_kg(D("0.45359237"), "lb") == D(1)
    assert to_kg(D(100), "lb") == D("45.36")
    assert to_kg(D(225), "lb") == D("102.06")
    assert to_kg("82.5", "kg") == D("82.50")


@pytest.mark.parametrize("pounds", [45, 95, 100, 135, 185, 225, 315, 405, 1])
def test_round_trip_through_storage_keeps_the_pounds(pounds):
    assert display_load(to_kg(D(pounds), "lb"), "lb") == D(pounds)


def test_display_rounds_to_the_increment():
    assert display_load(D("82.3"), "kg") == D("82.5")
    assert display_load(D("82.2"), "kg") == D(82)
    assert display_load(D("82.3"), "kg", D("1.25")) == D("82.5")
    assert display_load(D(100), "lb") == D(220)  # 220.46
    assert display_load(D(100), "lb", D(5)) == D(220)
    assert format_load(D("102.06"), "lb") == "225 lb"
    assert format_load(D("80.00"), "kg") == "80 kg"


def test_rounding_helpers():
    assert round_to(D("81.25"), D("2.5")) == D("82.5")  # halves up
    assert round_down_to(D("85.4"), D("2.5")) == D("85")
    assert round_down_to(D("84.9"), D("2.5")) == D("82.5")
    with pytest.raises(ValueError):
        round_to(D(1), D(0))
    with pytest.raises(ValueError):
        to_kg(D(1), "stone")


def test_plates_fewest_per_side():
    loading = plate_loading(D(100))
    assert loading.per_side == (D(25), D(15))
    assert loading.exact and loading.loaded == D(100)
    assert "Per side: 25 + 15" in loading.note
    assert plate_loading(D(60)).per_side == (D(20),)
    assert plate_loading(D("102.5")).per_side == (D(25), D(15), D("1.25"))
    assert plate_loading(D(20)).per_side == ()


def test_fewest_plates_beats_greedy():
    # With 25, 20 and 5 available, 40 per side is 20 + 20 (greedy would take 25 + 5 + 5 + 5).
    loading = plate_loading(D(100), plates=[D(25), D(20), D(5)])
    assert loading.per_side == (D(20), D(20))


def test_nearest_lower_load_is_said():
    loading = plate_loading(D(101))
    assert not loading.exact
    assert loading.loaded == D("100")
    assert "cannot be made" in loading.note and "100 kg" in loading.note
    below = plate_loading(D(15))
    assert below.loaded == D(20) and "less than the bar" in below.note


def test_pound_plates_and_a_custom_bar():
    assert plate_loading(D(225), unit="lb").per_side == (D(45), D(45))
    assert plate_loading(D(185), unit="lb").per_side == (D(45), D(25))
    loading = plate_loading(D(60), bar=D(15))
    assert loading.per_side == (D(20), D("2.5"))
    assert loading.exact
