"""The preferences move (accounts 0006, training 0004, programs 0004) copies every row.

Runs the real migrations with the executor on rows written at the old schema, inside the test's
transaction (PostgreSQL DDL is transactional), so the test database is rolled back afterwards.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.preferences import UserPreferences
from accounts.tests.factories import UserFactory
from programs.models import VolumePreference
from programs.tests.factories import TrainingProgramFactory
from training.models import TrainingPreferences

pytestmark = pytest.mark.django_db

BEFORE = [
    ("accounts", "0005_user_sessions_revoked_at"),
    ("training", "0003_history_imports"),
    ("programs", "0003_volume_preferences"),
]
AFTER = [
    ("accounts", "0006_user_preferences"),
    ("training", "0004_preferences_moved"),
    ("programs", "0004_counting_moved"),
]
CHEST = {"mv": 4, "mev": 6, "mav_low": 12, "mav_high": 20, "mrv": 22}


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def test_the_move_copies_every_row_and_the_way_back_restores_them():
    both, volume_only, training_only, neither = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    program = TrainingProgramFactory(user=both)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        OldTraining = old.get_model("training", "TrainingPreferences")
        OldVolume = old.get_model("programs", "VolumePreference")
        OldTraining.objects.create(
            user_id=both.pk,
            unit="lb",
            display_increment=Decimal("1"),
            bar_weight=Decimal("45"),
            plates=[Decimal("45"), Decimal("25")],
            rir_threshold=Decimal("3"),
            time_zone="Europe/Berlin",
            current_program_id=program.pk,
        )
        OldVolume.objects.create(user_id=both.pk, counting="direct", landmark_overrides={"CHEST": CHEST})
        OldVolume.objects.create(user_id=volume_only.pk, counting="direct", landmark_overrides={})
        OldTraining.objects.create(user_id=training_only.pk, rir_threshold=Decimal("2.5"))

        _migrate(AFTER)
        rows = {p.user_id: p for p in UserPreferences.objects.all()}
        assert set(rows) == {both.pk, volume_only.pk, training_only.pk}  # nobody gets a row from nothing
        mine = rows[both.pk]
        assert (mine.unit, mine.display_increment, mine.bar_weight, mine.rir_threshold, mine.time_zone) == (
            "lb",
            Decimal("1.00"),
            Decimal("45.00"),
            Decimal("3.0"),
            "Europe/Berlin",
        )
        assert mine.plates == [Decimal("45"), Decimal("25")]
        assert (mine.counting, mine.week_start, mine.default_rest_seconds) == ("direct", 0, 120)
        assert (rows[volume_only.pk].counting, rows[volume_only.pk].unit) == ("direct", "kg")
        assert (rows[training_only.pk].counting, rows[training_only.pk].rir_threshold) == (
            "fractional",
            Decimal("2.5"),
        )
        # What stays where it was: the program followed and the landmark overrides.
        assert TrainingPreferences.objects.get(user=both).current_program_id == program.pk
        assert VolumePreference.objects.get(user=both).landmark_overrides == {"CHEST": CHEST}
        assert not UserPreferences.objects.filter(user=neither).exists()

        # Backwards: the old columns get the values back.
        old = _migrate(BEFORE).loader.project_state(BEFORE).apps
        back = old.get_model("training", "TrainingPreferences").objects.get(user_id=both.pk)
        assert (back.unit, back.time_zone, back.rir_threshold) == ("lb", "Europe/Berlin", Decimal("3.0"))
        counting = dict(
            old.get_model("programs", "VolumePreference").objects.values_list("user_id", "counting")
        )
        assert counting[both.pk] == counting[volume_only.pk] == "direct"
    finally:
        call_command("migrate", verbosity=0, interactive=False)  # never leave the schema half-built
