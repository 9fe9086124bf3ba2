"""``manage.py import_history --user EMAIL FILE``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from training.imports.models import HistoryImport, ImportNameChoice, ImportStatus
from training.models import SetLog

FILES = Path(__file__).parent / "import_files"


@pytest.fixture
def lifter(db):
    ExerciseFactory(name="Barbell Bench Press")
    ExerciseFactory(name="Dumbbell Lateral Raise")
    return UserFactory(email="ana@example.com")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_history", *args, "--no-semantic", stdout=out)
    return out.getvalue()


def test_accepts_sure_matches_and_reports_the_rest(lifter):
    out = run("--user", "ANA@example.com", str(FILES / "hevy_kg.csv"))
    assert "Rows read: 7" in out
    assert "Sets added: 5" in out  # bench 3 + lateral raise 2
    assert "Duplicates skipped: 0 workouts" in out
    assert "Names unmapped: 1 (1 sets skipped)" in out
    assert "Bent Over Row (Barbell) (1 sets)" in out
    assert SetLog.objects.filter(workout_log__user=lifter).count() == 5
    assert HistoryImport.objects.get(user=lifter).status == ImportStatus.DONE
    assert not ImportNameChoice.objects.exists()  # automatic choices are not remembered
    again = run("--user", "ana@example.com", str(FILES / "hevy_kg.csv"))
    assert "Sets added: 0" in again, again
    assert "Duplicates skipped: 1 workout (5 sets)" in again, again


def test_a_bad_file_is_reported_with_rows(lifter):
    with pytest.raises(CommandError, match="row 3, column “weight_kg”: the weight -20 is negative"):
        run("--user", "ana@example.com", str(FILES / "negative_weight.csv"))
    assert not HistoryImport.objects.exists()


def test_unknown_user(lifter):
    with pytest.raises(CommandError, match="No user with the email"):
        run("--user", "nobody@example.com", str(FILES / "hevy_kg.csv"))
