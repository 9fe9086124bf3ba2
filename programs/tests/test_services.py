"""Program services: rules a user would notice (limits, weekdays, frequency, order, undo)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.models import OrganizationStatus, UserTier
from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from programs.selectors import program_volume_for

pytestmark = pytest.mark.django_db


def make_program(user, structure_type=StructureType.WEEKLY, frequency=None, name="My program"):
    return services.program_create(user=user, name=name, structure_type=structure_type, frequency=frequency)


def test_free_user_gets_three_programs_then_a_clear_message(user):
    for n in range(3):
        make_program(user, name=f"Program {n}")
    with pytest.raises(ValidationError, match="up to 3 active programs"):
        make_program(user, name="Fourth")
    assert TrainingProgram.objects.filter(user=user).count() == 3


@pytest.mark.parametrize("path", ["duplicate", "template", "restore"])
def test_every_way_to_a_new_program_respects_the_limit(user, path):
    programs = [make_program(user, name=f"Program {n}") for n in range(3)]
    template = TrainingProgram.objects.create(
        name="Tpl", structure_type="WEEKLY", frequency=1, is_template=True
    )
    if path == "restore":
        services.program_delete(user=user, program=programs[0])
        make_program(user, name="Replacement")
        with pytest.raises(ValidationError, match="up to 3"):
            services.program_restore_for_owner(
                user=user, program=TrainingProgram.all_objects.get(pk=programs[0].pk)
            )
    elif path == "duplicate":
        with pytest.raises(ValidationError, match="up to 3"):
            services.program_duplicate(user=user, program=programs[0])
    else:
        with pytest.raises(ValidationError, match="up to 3"):
            services.template_use(user=user, template=template)
    assert TrainingProgram.objects.filter(user=user).count() == 3


def test_pro_users_have_no_program_limit():
    pro = UserFactory(subscription_tier=UserTier.PRO)
    for n in range(5):
        make_program(pro, name=f"Program {n}")
    assert TrainingProgram.objects.filter(user=pro).count() == 5


def test_read_only_members_change_nothing(user):
    program = make_program(user)
    user.organization.subscription_status = OrganizationStatus.SUSPENDED
    user.organization.save()
    with pytest.raises(ValidationError, match="read-only"):
        services.session_create(user=user, program=program, name="Push", day_of_week=0)
    with pytest.raises(ValidationError, match="read-only"):
        make_program(user, name="Another")
    assert not WorkoutSession.objects.filter(program=program).exists()


def test_weekly_frequency_follows_the_weekdays_used(user):
    program = make_program(user)
    assert program.frequency == 1
    mon = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    services.session_create(user=user, program=program, name="Pull", day_of_week=2)
    services.session_create(user=user, program=program, name="Legs", day_of_week=4)
    program.refresh_from_db()
    assert program.frequency == 3
    services.session_delete(user=user, session=mon)
    program.refresh_from_db()
    assert program.frequency == 2
    services.session_restore_for_owner(user=user, session=WorkoutSession.all_objects.get(pk=mon.pk))
    program.refresh_from_db()
    assert program.frequency == 3


def test_one_session_per_weekday_and_weekday_range(user):
    program = make_program(user)
    services.session_create(user=user, program=program, name="Push", day_of_week=0)
    with pytest.raises(ValidationError) as exc:
        services.session_create(user=user, program=program, name="Again", day_of_week=0)
    assert "already has a session on Monday" in str(exc.value.message_dict["day_of_week"])
    with pytest.raises(ValidationError) as exc:
        services.session_create(user=user, program=program, name="Nope", day_of_week=7)
    assert "Monday (0) to Sunday (6)" in str(exc.value.message_dict["day_of_week"])
    assert WorkoutSession.objects.filter(program=program).count() == 1


def test_cyclic_needs_days_per_week_and_keeps_rotation_order(user):
    with pytest.raises(ValidationError) as exc:
        make_program(user, structure_type=StructureType.CYCLIC)
    assert "frequency" in exc.value.message_dict
    program = make_program(user, structure_type=StructureType.CYCLIC, frequency=4)
    a = services.session_create(user=user, program=program, name="Upper A")
    b = services.session_create(user=user, program=program, name="Lower A")
    c = services.session_create(user=user, program=program, name="Upper B")
    services.session_move(user=user, session=c, direction="up")
    assert list(
        WorkoutSession.objects.filter(program=program).order_by("order_index").values_list("name", flat=True)
    ) == [
        "Upper A",
        "Upper B",
        "Lower A",
    ]
    program.refresh_from_db()
    assert program.frequency == 4  # unchanged by sessions
    assert {a.pk, b.pk} <= set(WorkoutSession.objects.values_list("pk", flat=True))


def test_weekly_move_up_swaps_weekdays_with_the_previous_session(user):
    program = make_program(user)
    services.session_create(user=user, program=program, name="Push", day_of_week=0)
    pull = services.session_create(user=user, program=program, name="Pull", day_of_week=3)
    services.session_move(user=user, session=pull, direction="up")
    days = dict(WorkoutSession.objects.filter(program=program).values_list("name", "day_of_week"))
    assert days == {"Pull": 0, "Push": 3}


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


def test_template_use_deep_copies(user):
    template = TrainingProgram.objects.create(
        name="PPL", structure_type="WEEKLY", frequency=2, is_template=True
    )
    s1 = WorkoutSession.objects.create(program=template, name="Push", day_of_week=0, order_index=0)
    WorkoutSession.objects.create(program=template, name="Pull", day_of_week=3, order_index=1)
    SessionExercise.objects.create(session=s1, exercise=ExerciseFactory(), sets=4, reps="8-12", order_index=0)
    copy = services.template_use(user=user, template=template)
    assert (copy.user, copy.is_template, copy.source_id, copy.name) == (user, False, template.pk, "PPL")
    assert list(copy.sessions.values_list("name", "day_of_week")) == [("Push", 0), ("Pull", 3)]
    copied = SessionExercise.objects.get(session__program=copy)
    assert (copied.sets, copied.reps) == (4, "8-12")
    # The template itself is untouched and separate.
    services.session_exercise_update(user=user, session_exercise=copied, sets=2)
    assert SessionExercise.objects.get(session=s1).sets == 4


def test_volume_preferences_validate_landmark_order(user):
    with pytest.raises(ValidationError, match="MV ≤ MEV"):
        services.volume_preference_update(
            user=user,
            counting="direct",
            landmark_overrides={"CHEST": {"mv": 4, "mev": 6, "mav_low": 20, "mav_high": 12, "mrv": 22}},
        )
    services.volume_preference_update(
        user=user,
        counting="direct",
        landmark_overrides={"CHEST": {"mv": 2, "mev": 3, "mav_low": 4, "mav_high": 5, "mrv": 6}},
    )
    program = make_program(user)
    session = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    services.session_exercise_add(user=user, session=session, exercise=ExerciseFactory(), sets=6)
    user.refresh_from_db()
    volume = program_volume_for(program=program, user=user)
    assert volume.counting == "direct"
    assert volume.muscle("CHEST").status == "high"
    assert volume.muscle("TRICEPS").status == "below_mev"  # 3 fractional but 0 direct
