"""Library reads: filters, their combinations, typo-tolerant name search, visibility, substitutes."""

from __future__ import annotations

import pytest
from django.http import Http404

from accounts.tests.factories import UserFactory
from exercises.domain import Difficulty, Equipment
from exercises.selectors import (
    exercise_get_visible,
    exercise_search,
    exercise_substitutes,
)
from exercises.tests.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

CHEST = {"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5}
FLY = {"CHEST": 1.0, "FRONT_DELTS": 0.25}
CLOSE_GRIP = {"TRICEPS": 1.0, "CHEST": 0.5, "FRONT_DELTS": 0.5}
SQUAT = {"QUADRICEPS": 1.0, "GLUTES": 0.5, "ADDUCTORS": 0.5, "SPINAL_ERECTORS": 0.25}
ROW = {"TRAPS_RHOMBOIDS": 1.0, "LATS": 0.75, "ELBOW_FLEXORS": 0.5, "REAR_DELTS": 0.5}


@pytest.fixture
def library():
    return {
        "bench": ExerciseFactory(
            name="Barbell Bench Press", equipment=Equipment.BARBELL, muscle_contributions=CHEST
        ),
        "db_bench": ExerciseFactory(
            name="Dumbbell Bench Press",
            equipment=Equipment.DUMBBELL,
            difficulty=Difficulty.BEGINNER,
            muscle_contributions=CHEST,
        ),
        "fly": ExerciseFactory(name="Cable Fly", equipment=Equipment.CABLE, muscle_contributions=FLY),
        "cgb": ExerciseFactory(
            name="Close-Grip Bench Press", equipment=Equipment.BARBELL, muscle_contributions=CLOSE_GRIP
        ),
        "squat": ExerciseFactory(
            name="Barbell Back Squat",
            equipment=Equipment.BARBELL,
            difficulty=Difficulty.ADVANCED,
            muscle_contributions=SQUAT,
        ),
        "row": ExerciseFactory(name="Seated Cable Row", equipment=Equipment.CABLE, muscle_contributions=ROW),
    }


def names(qs):
    return [e.name for e in qs]


def test_anonymous_sees_only_global_exercises(library):
    owner = UserFactory()
    ExerciseFactory(name="My Secret Press", is_global=False, created_by=owner)
    assert "My Secret Press" not in names(exercise_search(user=None))
    assert "My Secret Press" in names(exercise_search(user=owner))
    assert "My Secret Press" not in names(exercise_search(user=UserFactory()))


def test_scope_mine_and_global(library):
    owner = UserFactory()
    ExerciseFactory(name="My Landmine Press", is_global=False, created_by=owner)
    assert names(exercise_search(user=owner, scope="mine")) == ["My Landmine Press"]
    assert "My Landmine Press" not in names(exercise_search(user=owner, scope="global"))
    assert names(exercise_search(user=None, scope="mine")) == []


def test_deleted_exercises_leave_the_library(library):
    library["fly"].mark_deleted()
    library["fly"].save()
    assert "Cable Fly" not in names(exercise_search(user=None))


def test_muscle_filter_prime_mover_vs_any_contribution(library):
    prime = names(exercise_search(user=None, muscles=["TRICEPS"]))
    assert prime == ["Close-Grip Bench Press"]
    anyc = names(exercise_search(user=None, muscles=["TRICEPS"], muscle_mode="any"))
    assert anyc == ["Barbell Bench Press", "Close-Grip Bench Press", "Dumbbell Bench Press"]


def test_several_muscles_mean_any_of_them(library):
    got = names(exercise_search(user=None, muscles=["QUADRICEPS", "TRAPS_RHOMBOIDS"]))
    assert got == ["Barbell Back Squat", "Seated Cable Row"]


def test_equipment_several_and_difficulty_combined(library):
    got = names(exercise_search(user=None, equipment=["CABLE", "DUMBBELL"]))
    assert got == ["Cable Fly", "Dumbbell Bench Press", "Seated Cable Row"]
    got = names(exercise_search(user=None, equipment=["CABLE", "DUMBBELL"], difficulty="BEGINNER"))
    assert got == ["Dumbbell Bench Press"]
    got = names(
        exercise_search(user=None, muscles=["CHEST"], equipment=["BARBELL"], difficulty="INTERMEDIATE")
    )
    assert got == ["Barbell Bench Press"]


def test_unknown_filter_values_are_ignored(library):
    assert len(exercise_search(user=None, muscles=["NOPE"], equipment=["ROCKET"], difficulty="GODLIKE")) == 6


def test_typo_tolerant_name_search_ranks_by_relevance(library):
    got = names(exercise_search(user=None, query="benhc pres"))
    assert set(got) == {"Barbell Bench Press", "Dumbbell Bench Press", "Close-Grip Bench Press"}
    assert "Barbell Back Squat" not in got
    assert "Cable Fly" not in got


def test_exact_name_comes_first(library):
    ExerciseFactory(name="Bench Press Lockouts", muscle_contributions=CLOSE_GRIP)
    ExerciseFactory(name="Bench Press", muscle_contributions=CHEST)
    assert names(exercise_search(user=None, query="bench press"))[0] == "Bench Press"


def test_search_combines_with_filters(library):
    assert names(exercise_search(user=None, query="bench", equipment=["DUMBBELL"])) == [
        "Dumbbell Bench Press"
    ]
    assert names(exercise_search(user=None, query="squat", muscles=["CHEST"])) == []


def test_short_query_matches_substrings(library):
    assert "Seated Cable Row" in names(exercise_search(user=None, query="ro"))


def test_get_visible_404_for_other_users_custom_and_deleted(library):
    owner = UserFactory()
    mine = ExerciseFactory(name="Owner Press", is_global=False, created_by=owner)
    assert exercise_get_visible(user=owner, exercise_id=mine.pk) == mine
    with pytest.raises(Http404):
        exercise_get_visible(user=UserFactory(), exercise_id=mine.pk)
    with pytest.raises(Http404):
        exercise_get_visible(user=None, exercise_id=mine.pk)
    with pytest.raises(Http404):
        exercise_get_visible(user=owner, exercise_id="not-a-uuid")
    mine.mark_deleted()
    mine.save()
    with pytest.raises(Http404):
        exercise_get_visible(user=owner, exercise_id=mine.pk)


def test_substitutes_share_prime_movers_closest_first(library):
    subs = exercise_substitutes(exercise=library["bench"], user=None)
    # Same vector first (dumbbell bench), then the fly (chest prime mover, closer than nothing).
    assert [e.name for e in subs] == ["Dumbbell Bench Press", "Cable Fly"]
    assert library["bench"] not in subs


def test_substitutes_exclude_equipment(library):
    subs = exercise_substitutes(exercise=library["bench"], user=None, exclude_equipment="DUMBBELL")
    assert [e.name for e in subs] == ["Cable Fly"]


def test_substitutes_respect_visibility():
    owner = UserFactory()
    bench = ExerciseFactory(name="Barbell Bench Press", muscle_contributions=CHEST)
    ExerciseFactory(name="Owner Chest Press", is_global=False, created_by=owner, muscle_contributions=CHEST)
    assert [e.name for e in exercise_substitutes(exercise=bench, user=UserFactory())] == []
    assert [e.name for e in exercise_substitutes(exercise=bench, user=owner)] == ["Owner Chest Press"]
