"""programs.services.preferences: the counting rule and landmark overrides."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.selectors import program_volume_for
from programs.tests.factories import make_program

pytestmark = pytest.mark.django_db


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
