"""The generator honours what an exercise needs beyond its equipment type and what the lifter has
(issue 15, item 16): "dumbbells + bodyweight" gave chin-ups, pull-ups, dips and Nordic curls, which
need a bar, a dip station or an anchor. No 1-set entries; a sensible default session size for the
days chosen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coach.generator import exercises_from_seed_data, generate_plan, validate_request
from coach.generator.request import DEFAULT_SESSION_SETS_BY_DAYS, GeneratorInputError
from coach.tests.helpers import generate_data
from exercises.domain import Fitting
from exercises.models import Exercise
from exercises.seed import load_exercises
from programs.models import SessionExercise

LIBRARY = exercises_from_seed_data(load_exercises())
NEEDS = {e.name: e.needs for e in LIBRARY}
GYM = ["BARBELL", "DUMBBELL", "CABLE", "MACHINE", "BODYWEIGHT"]
HOME = ["DUMBBELL", "BODYWEIGHT"]


def plan_for(**kwargs):
    return generate_plan(validate_request(**{"structure_type": "WEEKLY", **kwargs}), LIBRARY)


def names(plan) -> set[str]:
    return {item.exercise.name for s in plan.sessions for item in s.exercises}


def test_the_library_says_what_exercises_need_beyond_their_equipment():
    assert NEEDS["Pull-Up"] == {"PULL_UP_BAR"}
    assert NEEDS["Chin-Up"] == {"PULL_UP_BAR"}
    assert NEEDS["Chest Dip"] == {"DIP_STATION"}
    assert NEEDS["Triceps Dip"] == {"DIP_STATION"}
    assert NEEDS["Nordic Hamstring Curl"] == {"ANCHOR"}
    assert NEEDS["Dumbbell Bench Press"] == {"BENCH"}
    assert NEEDS["Barbell Back Squat"] == {"SQUAT_RACK"}
    assert NEEDS["Push-Up"] == frozenset()
    assert {n for needs in NEEDS.values() for n in needs} <= set(Fitting.values)


@pytest.mark.parametrize("days", [2, 3, 4, 5, 6])
def test_dumbbells_and_bodyweight_without_fittings_use_nothing_the_lifter_lacks(days):
    for seed in range(3):
        plan = plan_for(days=days, equipment=HOME, fittings=[], seed=seed)
        used = names(plan)
        assert used, days
        needing = {n for n in used if NEEDS[n]}
        assert not needing, (days, seed, needing)
        assert not used & {"Pull-Up", "Chin-Up", "Chest Dip", "Triceps Dip", "Nordic Hamstring Curl"}


def test_a_bench_and_a_bar_at_home_are_used_and_nothing_else():
    used = set()
    for seed in range(4):
        used |= names(plan_for(days=3, equipment=HOME, fittings=["BENCH", "PULL_UP_BAR"], seed=seed))
    assert {n for n in used if NEEDS[n]} and all(NEEDS[n] <= {"BENCH", "PULL_UP_BAR"} for n in used)
    assert used & {"Pull-Up", "Chin-Up", "Neutral-Grip Pull-Up"}
    assert not used & {"Chest Dip", "Triceps Dip", "Nordic Hamstring Curl"}


def test_a_muscle_left_short_by_missing_fittings_says_which_would_help():
    plan = plan_for(days=3, equipment=HOME, fittings=[], seed=0)
    lats = [u for u in plan.unmet if u.muscle == "LATS"]
    assert lats and "a pull-up bar" in lats[0].message


def test_fittings_not_given_mean_a_gyms_and_unknown_ones_are_refused():
    assert validate_request(days=3, structure_type="WEEKLY", equipment=GYM).fittings == set(Fitting.values)
    with pytest.raises(GeneratorInputError) as exc:
        validate_request(days=3, structure_type="WEEKLY", equipment=GYM, fittings=["TRAMPOLINE"])
    assert "fittings" in exc.value.errors


def test_no_exercise_gets_a_single_set():
    for structure in ("WEEKLY", "CYCLIC"):
        for days in range(2, 7):
            for equipment in (GYM, HOME, ["BODYWEIGHT", "RESISTANCE_BAND"]):
                for seed in range(2):
                    plan = plan_for(days=days, structure_type=structure, equipment=equipment, seed=seed)
                    single = [
                        (s.name, i.exercise.name) for s in plan.sessions for i in s.exercises if i.sets < 2
                    ]
                    assert not single, (structure, days, equipment, seed, single)


@pytest.mark.parametrize("days", [2, 3, 4, 5, 6])
def test_the_default_session_size_suits_the_days_and_meets_every_goal(days):
    request = validate_request(days=days, structure_type="WEEKLY", equipment=GYM)
    assert request.session_set_limit == DEFAULT_SESSION_SETS_BY_DAYS[days]
    blank = validate_request(days=str(days), structure_type="WEEKLY", equipment=GYM, session_set_limit="")
    assert blank.session_set_limit == request.session_set_limit
    for structure in ("WEEKLY", "CYCLIC"):
        for seed in range(3):
            plan = plan_for(days=days, structure_type=structure, equipment=GYM, seed=seed)
            assert not plan.unmet, (days, structure, seed, [u.message for u in plan.unmet])
    # Fewer days, longer sessions.
    assert DEFAULT_SESSION_SETS_BY_DAYS[2] > DEFAULT_SESSION_SETS_BY_DAYS[6]


@pytest.mark.django_db
def test_the_generator_page_asks_what_you_have_and_honours_it(user_client, user, library):
    page = user_client.get(reverse("coach:coach_generate")).content.decode()
    assert "What else you have" in page
    for value in Fitting.values:
        assert f'name="fittings" value="{value}" checked' in page
    assert 'name="session_set_limit"' in page and "sized for your days" in page

    response = user_client.post(
        reverse("coach:coach_generate"),
        generate_data(
            equipment=HOME, fittings=["BENCH"], days="3", session_set_limit="", priority_muscles=[]
        ),
    )
    assert response.status_code == 302
    rows = SessionExercise.objects.filter(session__program__user=user).select_related("exercise")
    assert rows
    needs = {row.exercise.name: set(row.exercise.needs) for row in rows}
    assert all(n <= {"BENCH"} for n in needs.values()), needs
    assert all(row.sets >= 2 for row in rows)
    builder = user_client.get(response["Location"]).content.decode()
    # "Regenerate" keeps what the lifter said they have.
    assert '<input type="hidden" name="fittings" value="BENCH">' in builder
    assert 'name="fittings" value="PULL_UP_BAR"' not in builder


@pytest.mark.django_db
def test_needs_are_checked_by_the_database(library):
    from django.db import IntegrityError, transaction

    with transaction.atomic(), pytest.raises(IntegrityError):
        Exercise.objects.filter(name="Pull-Up").update(needs=["TRAMPOLINE"])


def test_the_description_says_what_else_the_lifter_has():
    assert "also: a bench" in plan_for(days=3, equipment=HOME, fittings=["BENCH"]).description
    assert "no bench, rack, bars or anchor point" in plan_for(days=3, equipment=HOME, fittings=[]).description
    assert "also:" not in plan_for(days=3, equipment=GYM).description
