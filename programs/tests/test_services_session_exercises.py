"""programs.services.session_exercises: prescriptions, visibility, remove/Undo, move, swap."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise
from programs.selectors import program_volume_for
from programs.tests.factories import make_program

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"sets": 0}, "sets"),
        ({"sets": 21}, "sets"),
        ({"reps": "12-8"}, "reps"),
        ({"reps": "abc"}, "reps"),
        ({"rest_seconds": -5}, "rest_seconds"),
        ({"notes": "x" * 501}, "notes"),
    ],
)
def test_bad_prescriptions_are_refused_at_the_field(user, fields, field):
    program = make_program(user)
    session = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    exercise = ExerciseFactory()
    row = services.session_exercise_add(user=user, session=session, exercise=exercise, sets=3, reps="8-12")
    with pytest.raises(ValidationError) as exc:
        services.session_exercise_update(user=user, session_exercise=row, **fields)
    assert field in exc.value.message_dict
    row.refresh_from_db()
    assert (row.sets, row.reps, row.rest_seconds) == (3, "8-12", None)


def test_reps_are_normalised(user):
    program = make_program(user)
    session = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    row = services.session_exercise_add(
        user=user, session=session, exercise=ExerciseFactory(), sets=3, reps=" 8 - 12 "
    )
    assert row.reps == "8-12"
    services.session_exercise_update(user=user, session_exercise=row, reps="amrap")
    assert SessionExercise.objects.get(pk=row.pk).reps == "AMRAP"


def test_exercise_not_visible_or_deleted_is_refused(user):
    program = make_program(user)
    session = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    someone_elses = ExerciseFactory(is_global=False, created_by=UserFactory())
    deleted = ExerciseFactory()
    deleted.mark_deleted()
    deleted.save()
    for exercise in (someone_elses, deleted):
        with pytest.raises(ValidationError, match="from your library"):
            services.session_exercise_add(user=user, session=session, exercise=exercise, sets=3)
    assert not SessionExercise.all_objects.filter(session=session).exists()


def test_remove_is_a_hard_delete_and_undo_puts_it_back_in_place(user):
    program = make_program(user)
    session = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    bench, fly, dip = ExerciseFactory(name="Bench"), ExerciseFactory(name="Fly"), ExerciseFactory(name="Dip")
    for exercise in (bench, fly, dip):
        services.session_exercise_add(
            user=user, session=session, exercise=exercise, sets=3, reps="10", notes=exercise.name
        )
    middle = SessionExercise.objects.get(exercise=fly)
    removed = services.session_exercise_remove(user=user, session_exercise=middle)
    assert not SessionExercise.all_objects.filter(pk=middle.pk).exists()
    # The same exercise can go straight back at the same place (unique session/exercise/order).
    services.session_exercise_add(
        user=user,
        session=session,
        exercise=fly,
        sets=removed.sets,
        reps=removed.reps,
        notes=removed.notes,
        position=removed.position,
    )
    names = list(
        SessionExercise.objects.filter(session=session)
        .order_by("order_index")
        .values_list("exercise__name", flat=True)
    )
    assert names == ["Bench", "Fly", "Dip"]
    # Undo at an occupied place shifts the later ones down.
    services.session_exercise_add(user=user, session=session, exercise=fly, sets=2, position=0)
    names = list(
        SessionExercise.objects.filter(session=session)
        .order_by("order_index")
        .values_list("exercise__name", flat=True)
    )
    assert names == ["Fly", "Bench", "Fly", "Dip"]


def test_moving_exercises_including_the_same_exercise_twice(user):
    program = make_program(user)
    session = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    bench = ExerciseFactory(name="Bench")
    heavy = services.session_exercise_add(user=user, session=session, exercise=bench, sets=5, reps="5")
    services.session_exercise_add(user=user, session=session, exercise=bench, sets=3, reps="12")
    fly = services.session_exercise_add(
        user=user, session=session, exercise=ExerciseFactory(name="Fly"), sets=3
    )
    services.session_exercise_move(user=user, session_exercise=heavy, direction="down")
    services.session_exercise_move(user=user, session_exercise=fly, direction="up")
    rows = list(
        SessionExercise.objects.filter(session=session)
        .order_by("order_index")
        .values_list("exercise__name", "reps")
    )
    assert rows == [("Bench", "12"), ("Fly", None), ("Bench", "5")]


def test_swap_keeps_place_and_prescription_and_changes_volume(user):
    program = make_program(user)
    session = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    row = services.session_exercise_add(
        user=user, session=session, exercise=ExerciseFactory(), sets=4, reps="6-8"
    )
    squat = ExerciseFactory(name="Squat", muscle_contributions={"QUADRICEPS": 1.0, "GLUTES": 0.5})
    services.session_exercise_swap(user=user, session_exercise=row, exercise=squat)
    row.refresh_from_db()
    assert (row.exercise_id, row.sets, row.reps) == (squat.pk, 4, "6-8")
    volume = program_volume_for(program=program, user=user)
    assert (volume.muscle("QUADRICEPS").fractional_sets, volume.muscle("CHEST").fractional_sets) == (4.0, 0)
