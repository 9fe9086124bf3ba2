"""programs.services.sessions: weekdays, frequency and order of sessions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from programs import services
from programs.models import StructureType, WorkoutSession
from programs.tests.factories import make_program

pytestmark = pytest.mark.django_db


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


def test_the_builder_the_actions_page_and_a_move_agree_on_the_order_of_sessions(user):
    """One rule (programs.rules.session_sort_key / session_ordering): a weekly program's sessions by
    weekday, even where a place was written out of line (the admin, a script), so Move down moves
    to the session the builder shows below."""
    from programs.selectors import program_volume_with_sessions, session_ends
    from programs.views.common import builder_sessions

    program = make_program(user)
    mon = services.session_create(user=user, program=program, name="Push", day_of_week=0)
    wed = services.session_create(user=user, program=program, name="Pull", day_of_week=2)
    fri = services.session_create(user=user, program=program, name="Legs", day_of_week=4)
    WorkoutSession.objects.filter(pk=fri.pk).update(order_index=0)  # out of line with its weekday
    _, rows = program_volume_with_sessions(program=program, user=user)
    assert [s.name for s in builder_sessions(program, rows)] == ["Push", "Pull", "Legs"]
    ends = {
        s.name: session_ends(session=WorkoutSession.objects.select_related("program").get(pk=s.pk))
        for s in (mon, wed, fri)
    }
    assert ends == {"Push": (True, False), "Pull": (False, False), "Legs": (False, True)}
    services.session_move(
        user=user, session=WorkoutSession.objects.select_related("program").get(pk=wed.pk), direction="down"
    )
    days = dict(WorkoutSession.objects.filter(program=program).values_list("name", "day_of_week"))
    assert days == {"Push": 0, "Legs": 2, "Pull": 4}
