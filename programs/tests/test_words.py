"""Clear words: domain terms explained where they appear, no internal names, untrained muscles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.volume import DEFAULT_LANDMARKS, Landmarks, MuscleVolume


def test_a_muscle_with_no_sets_is_not_trained_even_where_mev_is_zero():
    zero_mev = MuscleVolume(
        muscle="GLUTES",
        fractional_sets=0,
        direct_sets=0,
        frequency=0,
        status="productive",
        landmarks=Landmarks(0, 0, 4, 12, 16),
    )
    assert zero_mev.shown_status_label == "Not trained"
    trained = MuscleVolume(
        muscle="GLUTES",
        fractional_sets=2,
        direct_sets=0,
        frequency=1,
        status="productive",
        landmarks=Landmarks(0, 0, 4, 12, 16),
    )
    assert trained.shown_status_label == "Productive"


@pytest.mark.django_db
def test_the_builder_explains_terms_and_hides_internal_names(client):
    lifter = UserFactory()
    program = services.program_create(user=lifter, name="Plain Words", structure_type="WEEKLY")
    session = services.session_create(user=lifter, program=program, name="Push", day_of_week=0)
    bench = ExerciseFactory(name="Bench", muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5})
    services.session_exercise_add(user=lifter, session=session, exercise=bench, sets=3)
    client.force_login(lifter)
    body = client.get(reverse("programs:detail", kwargs={"program_id": program.pk})).content.decode()
    assert "DOMAIN.md" not in body
    assert "minimum effective volume" in body and "maximum recoverable volume" in body
    assert "counts fully for the main muscle and partly" in body  # fractional sets, inline
    assert reverse("programs:volume_guide") in body
    # Glutes (MEV 0) get no set here: "Not trained", never "0 sets · Productive".
    glutes = body[body.index('id="muscle-glutes"') :]
    glutes = glutes[: glutes.index("</summary>")]
    assert "Not trained" in glutes and "Productive" not in glutes
    # The sticky summary names the muscles below MEV.
    assert 'id="volume-summary"' in body and "below MEV" in body
    # "Volume (JSON)" is no button: exports sit in the More menu with plain names.
    assert "Volume (JSON)" not in body


@pytest.mark.django_db
def test_the_volume_guide_explains_every_landmark_with_sources(client):
    body = client.get(reverse("programs:volume_guide")).content.decode()
    for term in (
        "MV: maintenance volume",
        "MEV: minimum effective volume",
        "MAV: maximum adaptive volume",
        "MRV: maximum recoverable volume",
        "Fractional sets",
        "Direct sets",
    ):
        assert term in body
    assert "Schoenfeld" in body and "Pelland" in body
    assert body.count('data-label="MEV"') == len(DEFAULT_LANDMARKS)
