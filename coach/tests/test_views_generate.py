"""The generator page end to end: the form, generating (one AI query) and regenerating, bad input,
the free program limit, spent quotas, other tenants."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from coach.plan import MAJOR_MUSCLES
from coach.tests.helpers import HTMX, build_program, generate_data, program_state, spend_quota, used
from programs import services
from programs.models import TrainingProgram
from programs.selectors import program_volume_for
from programs.volume import DEFAULT_LANDMARKS

pytestmark = pytest.mark.django_db


def test_the_generator_form_has_labelled_inputs_and_the_quota(user_client, library):
    html = user_client.get(reverse("coach:coach_generate")).content.decode()

    for label in (
        "Training days per week",
        "Structure",
        "Equipment you have",
        "Priority muscles",
        "Session length",
    ):
        assert label in html
    assert '<label for="gen-days">' in html and '<label for="gen-limit">' in html
    assert "10 of 10 AI queries left this month" in html


def test_generate_builds_a_program_that_opens_in_the_builder(user_client, user, library):
    response = user_client.post(reverse("coach:coach_generate"), generate_data())

    program = TrainingProgram.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", kwargs={"program_id": program.pk})
    assert used(user) == 1
    volume = program_volume_for(program=program, user=user)
    for muscle in MAJOR_MUSCLES:
        assert volume.muscle(muscle).fractional_sets >= DEFAULT_LANDMARKS[muscle].mev
    side = volume.muscle("SIDE_DELTS").fractional_sets
    assert DEFAULT_LANDMARKS["SIDE_DELTS"].mav_low <= side <= DEFAULT_LANDMARKS["SIDE_DELTS"].mav_high
    assert all(m.fractional_sets <= m.landmarks.mrv for m in volume.muscles)
    assert sorted(s.day_of_week for s in program.sessions.all()) == [0, 1, 3, 4]
    assert program.frequency == 4
    builder = user_client.get(response["Location"]).content.decode()
    assert "Regenerate: a different variation" in builder
    assert "all 11 major muscles at or above MEV" in builder


def test_generate_by_htmx_redirects_the_client(user_client, user, library):
    response = user_client.post(
        reverse("coach:coach_generate"), generate_data(structure_type="CYCLIC", days="3"), headers=HTMX
    )

    program = TrainingProgram.objects.get(user=user)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("programs:detail", kwargs={"program_id": program.pk})
    assert program.structure_type == "CYCLIC" and program.frequency == 3


def test_regenerate_gives_a_different_variation_and_trashes_the_previous_one(user_client, user, library):
    user_client.post(reverse("coach:coach_generate"), generate_data())
    first = TrainingProgram.objects.get(user=user)
    first_exercises = {se[1] for se in program_state(first)}
    # At the free limit: regenerating replaces, so it still works.
    services.program_create(user=user, name="Other one", structure_type="WEEKLY")
    services.program_create(user=user, name="Other two", structure_type="WEEKLY")

    response = user_client.post(
        reverse("coach:coach_generate"), generate_data(seed="12", replaces=str(first.pk))
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_deleted
    second = TrainingProgram.objects.filter(user=user).exclude(name__startswith="Other").get()
    assert second.pk != first.pk
    assert {se[1] for se in program_state(second)} != first_exercises
    assert used(user) == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"days": "0"}, "Choose 2 to 6 training days a week."),
        ({"days": "8"}, "Choose 2 to 6 training days a week."),
        ({"equipment": []}, "Choose at least one kind of equipment you have"),
        ({"priority_muscles": ["WINGS"]}, "Unknown muscle: WINGS."),
        ({"session_set_limit": "99"}, "Sets per session must be 6 to 30"),
    ],
)
def test_bad_generator_input_gets_a_message_and_counts_nothing(
    user_client, user, library, overrides, message
):
    response = user_client.post(reverse("coach:coach_generate"), generate_data(**overrides))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        'aria-invalid="true"' in response.content.decode()
        or "equipment" in overrides
        or "priority_muscles" in overrides
    )
    assert not TrainingProgram.objects.filter(user=user).exists()
    assert used(user) == 0


def test_bad_input_by_htmx_re_renders_the_form_with_the_message(user_client, user, library):
    response = user_client.post(reverse("coach:coach_generate"), generate_data(days="8"), headers=HTMX)

    html = response.content.decode()
    assert 'id="generate-form-region"' in html and "<h1>" not in html
    assert "Choose 2 to 6 training days a week." in html
    assert used(user) == 0


def test_the_free_program_limit_is_respected_before_any_query(user_client, user, library):
    for n in range(3):
        services.program_create(user=user, name=f"Program {n}", structure_type="WEEKLY")

    response = user_client.post(reverse("coach:coach_generate"), generate_data())

    assert response.status_code == 400
    assert "Free accounts can have up to 3 active programs" in response.content.decode()
    assert TrainingProgram.objects.filter(user=user).count() == 3
    assert used(user) == 0


def test_a_spent_quota_stops_the_generator_before_it_runs(user_client, user, library):
    spend_quota(user)

    page = user_client.get(reverse("coach:coach_generate")).content.decode()
    response = user_client.post(reverse("coach:coach_generate"), generate_data())

    assert "You have used all your AI queries for this month" in page and "disabled" in page
    assert response.status_code == 403
    assert "You have used all your AI queries for this month" in response.content.decode()
    assert not TrainingProgram.objects.filter(user=user).exists()


def test_regenerating_someone_elses_program_is_404_and_changes_nothing(client, user, library):
    program = build_program(user, library)
    intruder = UserFactory()
    client.force_login(intruder)

    response = client.post(reverse("coach:coach_generate"), generate_data(replaces=str(program.pk)))

    assert response.status_code == 404
    program.refresh_from_db()
    assert not program.is_deleted
    assert not TrainingProgram.objects.filter(user=intruder).exists()
    assert used(intruder) == 0


def test_equipment_that_cannot_meet_a_goal_is_explained_on_the_builder(user_client, user, library):
    user_client.post(
        reverse("coach:coach_generate"), generate_data(equipment=["BODYWEIGHT"], priority_muscles=[])
    )

    program = TrainingProgram.objects.get(user=user)
    html = user_client.get(reverse("programs:detail", kwargs={"program_id": program.pk})).content.decode()
    assert "Goals the generator could not meet" in html
    assert "no exercise in the library trains side delts as prime mover with only bodyweight" in html


def test_the_generator_requires_login(client):
    response = client.get(reverse("coach:coach_generate"))

    assert response.status_code == 302 and "login" in response["Location"]
