"""programs.selectors.access: reads scoped to the requesting user; who sees which program."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.selectors import (
    coach_member_get,
    program_count_using_exercise,
    program_get_for_member,
    program_get_for_viewer,
    program_list_for_member,
)
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    """One pro organization: two owners, two coaches, one member; each user has one program."""
    org = OrganizationFactory(subscription_tier="pro")
    people = {
        "owner": UserFactory(organization=org, role=Role.OWNER),
        "other_owner": UserFactory(organization=org, role=Role.OWNER),
        "coach": UserFactory(organization=org, role=Role.COACH),
        "other_coach": UserFactory(organization=org, role=Role.COACH),
        "member": UserFactory(organization=org, role=Role.MEMBER),
        "other_member": UserFactory(organization=org, role=Role.MEMBER),
    }
    programs = {
        key: services.program_create(user=person, name=f"Program of {key}", structure_type="WEEKLY")
        for key, person in people.items()
    }
    return people, programs


# The decision (accounts.permissions.can_coach): owners see everyone else's programs, coaches only
# the programs of users with the member role, members nobody's; nobody goes through the coach
# view for their own programs.
VISIBLE = {
    "owner": {"other_owner", "coach", "other_coach", "member", "other_member"},
    "coach": {"member", "other_member"},
    "member": set(),
}
TARGETS = ("owner", "other_owner", "coach", "other_coach", "member", "other_member")


SEEN = [(viewer, target) for viewer in sorted(VISIBLE) for target in TARGETS if target in VISIBLE[viewer]]
NOT_SEEN = [
    (viewer, target)
    for viewer in sorted(VISIBLE)
    for target in TARGETS
    if target not in VISIBLE[viewer] and target != viewer
]


@pytest.mark.parametrize(("viewer_key", "target_key"), SEEN)
def test_who_sees_whose_programs(team, viewer_key, target_key):
    people, programs = team
    viewer, target, program = people[viewer_key], people[target_key], programs[target_key]
    assert coach_member_get(viewer=viewer, member_id=target.pk) == target
    assert list(program_list_for_member(viewer=viewer, member=target)) == [program]
    assert program_get_for_member(viewer=viewer, member=target, program_id=program.pk) == program
    assert program_get_for_viewer(user=viewer, program_id=program.pk) == program


@pytest.mark.parametrize(("viewer_key", "target_key"), NOT_SEEN)
def test_whose_programs_stay_hidden(team, viewer_key, target_key):
    people, programs = team
    viewer, target, program = people[viewer_key], people[target_key], programs[target_key]
    with pytest.raises(Http404):
        coach_member_get(viewer=viewer, member_id=target.pk)
    assert list(program_list_for_member(viewer=viewer, member=target)) == []
    with pytest.raises(Http404):
        program_get_for_member(viewer=viewer, member=target, program_id=program.pk)
    with pytest.raises(Http404):
        program_get_for_viewer(user=viewer, program_id=program.pk)


@pytest.mark.parametrize("key", ["owner", "coach"])
def test_nobody_is_their_own_coach(team, key):
    """One's own programs open through the owner's pages, never the coach view."""
    people, programs = team
    me = people[key]
    with pytest.raises(Http404):
        coach_member_get(viewer=me, member_id=me.pk)
    assert list(program_list_for_member(viewer=me, member=me)) == []
    assert program_get_for_viewer(user=me, program_id=programs[key].pk) == programs[key]


def test_the_member_selectors_check_the_viewer_themselves(team):
    """A member object obtained some other way (not through coach_member_get) does not open its
    programs to a viewer who may not see them: the selector checks, not the call order."""
    people, programs = team
    for viewer in (people["coach"], people["member"], UserFactory(role=Role.OWNER)):
        assert not program_list_for_member(viewer=viewer, member=people["other_coach"]).exists()
        with pytest.raises(Http404):
            program_get_for_member(
                viewer=viewer, member=people["other_coach"], program_id=programs["other_coach"].pk
            )


def test_member_pages_follow_the_same_rule_over_http(team):
    people, programs = team
    client = Client()
    client.force_login(people["coach"])
    for target_key, status in (("member", 200), ("other_coach", 404), ("owner", 404)):
        target = people[target_key]
        listing = client.get(reverse("programs:member_programs", kwargs={"member_id": target.pk}))
        page = client.get(
            reverse(
                "programs:member_program",
                kwargs={"member_id": target.pk, "program_id": programs[target_key].pk},
            )
        )
        volume = client.get(reverse("programs:volume_json", kwargs={"program_id": programs[target_key].pk}))
        assert (listing.status_code, page.status_code, volume.status_code) == (status, status, status), (
            target_key
        )
    # The members page links only the programs the coach may open.
    members_page = client.get(reverse("accounts:members")).content.decode()
    assert reverse("programs:member_programs", kwargs={"member_id": people["member"].pk}) in members_page
    assert reverse("programs:member_programs", kwargs={"member_id": people["owner"].pk}) not in members_page
    assert (
        reverse("programs:member_programs", kwargs={"member_id": people["other_coach"].pk})
        not in members_page
    )


def test_count_using_an_exercise_counts_the_users_live_programs_once_each():
    owner = UserFactory()
    bench = ExerciseFactory(name="Barbell Bench Press")
    program = TrainingProgramFactory(user=owner)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=program), exercise=bench)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=program), exercise=bench)
    deleted_program = TrainingProgramFactory(user=owner, is_deleted=True)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=deleted_program), exercise=bench)
    other = TrainingProgramFactory(user=owner)
    SessionExerciseFactory(session=WorkoutSessionFactory(program=other, is_deleted=True), exercise=bench)
    removed_line = TrainingProgramFactory(user=owner)
    SessionExerciseFactory(
        session=WorkoutSessionFactory(program=removed_line), exercise=bench, is_deleted=True
    )
    SessionExerciseFactory(session=WorkoutSessionFactory(program=TrainingProgramFactory()), exercise=bench)
    assert program_count_using_exercise(user=owner, exercise=bench) == 1
    assert program_count_using_exercise(user=AnonymousUser(), exercise=bench) == 0
    assert program_count_using_exercise(user=None, exercise=bench) == 0
