"""Coaches see their organization members' programs read-only, and give members copies."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def org():
    return OrganizationFactory(subscription_tier="pro")


@pytest.fixture
def coach(org):
    return UserFactory(organization=org, role=Role.COACH, full_name="Coach Carla")


@pytest.fixture
def member(org):
    return UserFactory(organization=org, role=Role.MEMBER, full_name="Mia Member", subscription_tier="free")


@pytest.fixture
def member_program(member):
    program = services.program_create(user=member, name="Mia's split", structure_type="WEEKLY")
    session = services.session_create(user=member, program=program, name="Push", day_of_week=0)
    services.session_exercise_add(user=member, session=session, exercise=ExerciseFactory(), sets=5)
    return program


def test_coach_sees_member_programs_read_only_with_volume(coach, member, member_program):
    client = client_for(coach)
    listing = client.get(
        reverse("programs:member_programs", kwargs={"member_id": member.pk})
    ).content.decode()
    assert "Mia&#x27;s split" in listing or "Mia's split" in listing
    page = client.get(
        reverse("programs:member_program", kwargs={"member_id": member.pk, "program_id": member_program.pk})
    ).content.decode()
    assert 'data-muscle="CHEST" data-sets="5"' in page
    assert "read-only" in page and "Add session" not in page and "Remove" not in page
    # volume.json too
    data = client.get(reverse("programs:volume_json", kwargs={"program_id": member_program.pk})).json()
    assert data["muscles"][0]["fractional_sets"] == 5.0
    # but no editing: the builder and its actions are the owner's
    assert client.get(reverse("programs:detail", kwargs={"program_id": member_program.pk})).status_code == 404
    response = client.post(
        reverse("programs:session_add", kwargs={"program_id": member_program.pk}),
        {"name": "Hack", "day_of_week": "2"},
    )
    assert response.status_code == 404


def test_coachs_read_only_view_has_no_session_menus_and_the_actions_page_is_the_owners(
    coach, member, member_program
):
    session = member_program.sessions.get()
    actions = reverse(
        "programs:session_actions", kwargs={"program_id": member_program.pk, "session_id": session.pk}
    )
    page = (
        client_for(coach)
        .get(
            reverse(
                "programs:member_program", kwargs={"member_id": member.pk, "program_id": member_program.pk}
            )
        )
        .content.decode()
    )
    assert "read-only" in page
    assert "session-more" not in page and actions not in page and "Save session" not in page
    assert client_for(coach).get(actions).status_code == 404
    assert client_for(coach).get(actions, headers={"HX-Request": "true"}).status_code == 404
    owner_page = client_for(member).get(actions).content.decode()
    assert "Save session" in owner_page and "Delete session" in owner_page


def test_other_organizations_and_plain_members_get_404(member, member_program):
    outsider = UserFactory(organization=OrganizationFactory(), role=Role.COACH)
    peer = UserFactory(organization=member.organization, role=Role.MEMBER)
    for viewer in (outsider, peer):
        client = client_for(viewer)
        assert (
            client.get(reverse("programs:member_programs", kwargs={"member_id": member.pk})).status_code
            == 404
        )
        assert (
            client.get(
                reverse(
                    "programs:member_program",
                    kwargs={"member_id": member.pk, "program_id": member_program.pk},
                )
            ).status_code
            == 404
        )
        assert (
            client.get(reverse("programs:volume_json", kwargs={"program_id": member_program.pk})).status_code
            == 404
        )


def test_coach_gives_a_copy_marked_as_from_them(coach, member):
    program = services.program_create(user=coach, name="Carla's PPL", structure_type="WEEKLY")
    session = services.session_create(user=coach, program=program, name="Push", day_of_week=0)
    services.session_exercise_add(user=coach, session=session, exercise=ExerciseFactory(), sets=4)
    client = client_for(coach)
    give = reverse("programs:give", kwargs={"program_id": program.pk})
    assert "Mia Member" in client.get(give).content.decode()
    response = client.post(give, {"member": str(member.pk)})
    assert response.status_code == 302
    copy = TrainingProgram.objects.get(user=member)
    assert (copy.assigned_by_id, copy.source_id, copy.name) == (coach.pk, program.pk, "Carla's PPL")
    assert SessionExercise.objects.get(session__program=copy).sets == 4
    listing = client_for(member).get(reverse("programs:list")).content.decode()
    assert "from coach Coach Carla" in listing


def test_copy_respects_the_members_limit():
    free_org = OrganizationFactory(subscription_tier="free")  # members of a free org are free users
    coach = UserFactory(organization=free_org, role=Role.COACH)
    member = UserFactory(organization=free_org, role=Role.MEMBER, full_name="Mia Member")
    for n in range(3):
        services.program_create(user=member, name=f"Mine {n}", structure_type="WEEKLY")
    program = services.program_create(user=coach, name="Carla's PPL", structure_type="WEEKLY")
    response = client_for(coach).post(
        reverse("programs:give", kwargs={"program_id": program.pk}), {"member": str(member.pk)}
    )
    assert response.status_code == 400
    assert "Mia Member already has the most active programs" in response.content.decode()
    assert TrainingProgram.objects.filter(user=member).count() == 3


def test_cannot_give_to_someone_outside_the_organization(coach):
    outsider = UserFactory()
    program = services.program_create(user=coach, name="Carla's PPL", structure_type="WEEKLY")
    response = client_for(coach).post(
        reverse("programs:give", kwargs={"program_id": program.pk}), {"member": str(outsider.pk)}
    )
    assert response.status_code == 400
    assert not TrainingProgram.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("sessions", [1, 7])
def test_coach_pages_query_budget(coach, member, django_assert_max_num_queries, sessions):
    program = services.program_create(user=member, name="Mia's split", structure_type="WEEKLY")
    bench = ExerciseFactory()
    for day in range(sessions):
        session = services.session_create(user=member, program=program, name=f"Day {day}", day_of_week=day)
        for _ in range(3):
            services.session_exercise_add(user=member, session=session, exercise=bench, sets=3)
    client = client_for(coach)
    for address in (
        reverse("programs:member_programs", kwargs={"member_id": member.pk}),
        reverse("programs:member_program", kwargs={"member_id": member.pk, "program_id": program.pk}),
    ):
        with django_assert_max_num_queries(8, info=address):
            assert client.get(address).status_code == 200
