"""``manage.py seed``: the library and templates from the data files, idempotent, edits in place,
and the content rules of the issue (library size and coverage, every template at or above MEV)."""

from __future__ import annotations

import functools
import io
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from exercises import seed as exercise_seed
from exercises.domain import Equipment, Muscle
from exercises.models import Exercise
from programs import seed as template_seed
from programs.management.commands import seed as seed_command
from programs.models import SessionExercise, TrainingProgram, WorkoutSession
from programs.volume import DEFAULT_LANDMARKS, SessionMuscleSets, SessionVolume, program_volume

# The muscles every template must train at least at MEV (fractional sets, DOMAIN.md maths).
MEV_MUSCLES = [
    Muscle.CHEST,
    Muscle.LATS,
    Muscle.TRAPS_RHOMBOIDS,
    Muscle.SIDE_DELTS,
    Muscle.REAR_DELTS,
    Muscle.ELBOW_FLEXORS,
    Muscle.TRICEPS,
    Muscle.QUADRICEPS,
    Muscle.HAMSTRINGS,
    Muscle.GLUTES,
    Muscle.CALVES,
]
REQUIRED_TEMPLATES = [
    "Full Body 3-day",
    "Upper/Lower 4-day",
    "Push/Pull/Legs 6-day",
    "Bro split 5-day",
    "Arnold split 6-day",
]


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "exercises": Exercise.all_objects.count(),
        "templates": TrainingProgram.all_objects.filter(is_template=True).count(),
        "sessions": WorkoutSession.all_objects.count(),
        "session_exercises": SessionExercise.all_objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction that is rolled back at the end; each test
    runs in a savepoint within it (like Django's setUpTestData)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            output = run_seed()
            yield output
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


# --- idempotence and edits ------------------------------------------------------------------------------


def test_first_run_creates_everything_in_the_files(seeded):
    exercises = exercise_seed.load_exercises()
    templates = template_seed.load_templates()
    assert f"exercises: {len(exercises)} created, 0 updated, 0 unchanged" in seeded
    assert f"templates: {len(templates)} created, 0 updated, 0 unchanged" in seeded
    assert Exercise.objects.filter(is_global=True).count() == len(exercises)
    assert TrainingProgram.objects.filter(is_template=True, user=None).count() == len(templates)


def test_second_run_changes_nothing(seeded):
    before = counts()
    stamps = dict(Exercise.all_objects.values_list("pk", "updated_at"))
    template_stamps = dict(TrainingProgram.all_objects.values_list("pk", "updated_at"))
    session_ids = set(WorkoutSession.all_objects.values_list("pk", flat=True))
    output = run_seed()
    assert re.search(r"exercises: 0 created, 0 updated, \d+ unchanged", output), output
    assert re.search(r"templates: 0 created, 0 updated, \d+ unchanged", output), output
    assert counts() == before
    assert dict(Exercise.all_objects.values_list("pk", "updated_at")) == stamps
    assert dict(TrainingProgram.all_objects.values_list("pk", "updated_at")) == template_stamps
    assert set(WorkoutSession.all_objects.values_list("pk", flat=True)) == session_ids


def _patched_files(
    monkeypatch, tmp_path: Path, exercises_text: str | None = None, templates_text: str | None = None
):
    if exercises_text is not None:
        path = tmp_path / "exercises.toml"
        path.write_text(exercises_text, encoding="utf-8")
        monkeypatch.setattr(
            seed_command, "load_exercises", functools.partial(exercise_seed.load_exercises, path)
        )
    if templates_text is not None:
        path = tmp_path / "templates.toml"
        path.write_text(templates_text, encoding="utf-8")
        monkeypatch.setattr(
            seed_command, "load_templates", functools.partial(template_seed.load_templates, path)
        )


def test_editing_an_exercise_entry_updates_the_row_in_place(seeded, monkeypatch, tmp_path):
    text = exercise_seed.EXERCISES_FILE.read_text(encoding="utf-8")
    first = tomllib.loads(text)["exercise"][0]
    exercise = Exercise.objects.get(is_global=True, name=first["name"])
    old_description = first["description"].strip()
    assert old_description in text
    edited = text.replace(old_description, "Edited: brace, lower under control, press.", 1)
    before = counts()
    _patched_files(monkeypatch, tmp_path, exercises_text=edited)
    output = run_seed()
    assert "exercises: 0 created, 1 updated" in output
    exercise.refresh_from_db()
    assert exercise.description == "Edited: brace, lower under control, press."
    assert counts() == before  # same row, same id: nothing added
    assert "exercises: 0 created, 0 updated" in run_seed()


def test_editing_a_template_entry_updates_it_in_place(seeded, monkeypatch, tmp_path):
    text = template_seed.TEMPLATES_FILE.read_text(encoding="utf-8")
    first = tomllib.loads(text)["template"][0]
    template = TrainingProgram.objects.get(is_template=True, name=first["name"])
    marker = "sets = 3\n"
    assert marker in text
    edited = text.replace(marker, "sets = 2\n", 1)
    _patched_files(monkeypatch, tmp_path, templates_text=edited)
    output = run_seed()
    assert "templates: 0 created, 1 updated" in output
    assert TrainingProgram.objects.get(is_template=True, name=first["name"]).pk == template.pk
    assert TrainingProgram.objects.filter(is_template=True).count() == len(tomllib.loads(text)["template"])
    assert "templates: 0 created, 0 updated" in run_seed()


def test_a_deleted_library_exercise_is_restored_by_the_seed(seeded):
    exercise = Exercise.objects.filter(is_global=True).first()
    exercise.mark_deleted()
    exercise.save()
    assert "exercises: 0 created, 1 updated" in run_seed()
    assert Exercise.objects.filter(pk=exercise.pk).exists()


# --- the library ---------------------------------------------------------------------------------------


def test_library_has_at_least_150_exercises_on_all_nine_equipment_types(seeded):
    library = Exercise.objects.filter(is_global=True)
    assert library.count() >= 150
    assert set(library.values_list("equipment", flat=True)) == set(Equipment.values)


def test_every_muscle_is_prime_mover_of_at_least_three_exercises(seeded):
    prime = Counter()
    for contributions in Exercise.objects.filter(is_global=True).values_list(
        "muscle_contributions", flat=True
    ):
        for muscle, level in contributions.items():
            if float(level) == 1.0:
                prime[muscle] += 1
    short = {m: prime[m] for m in Muscle.values if prime[m] < 3}
    assert not short, f"muscles with fewer than 3 prime-mover exercises: {short}"


def test_every_exercise_has_a_short_description_and_a_difficulty(seeded):
    exercises = list(Exercise.objects.filter(is_global=True))
    assert len(exercises) >= 150  # the loop below checks the whole seeded library
    for exercise in exercises:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", exercise.description or "") if s.strip()]
        assert 1 <= len(sentences) <= 3, exercise.name
        assert exercise.difficulty in {"BEGINNER", "INTERMEDIATE", "ADVANCED"}


# --- the templates --------------------------------------------------------------------------------------


def test_the_required_templates_exist_plus_a_cyclic_one(seeded):
    templates = TrainingProgram.objects.filter(is_template=True)
    names = {name.lower() for name in templates.values_list("name", flat=True)}
    assert templates.count() >= 6
    for required in REQUIRED_TEMPLATES:
        assert required.lower() in names
    assert templates.filter(structure_type="CYCLIC").exists()
    weekly = list(templates.filter(structure_type="WEEKLY"))
    assert weekly
    for template in weekly:
        days = [s.day_of_week for s in template.sessions.all()]
        assert None not in days and len(days) == template.frequency, template.name


def template_volume(template: TrainingProgram):
    """Weekly volume from the seeded rows: fractional = sets × contribution, direct = sets at 1.0."""
    sessions = []
    for session in template.sessions.order_by("order_index"):
        fractional: Counter[str] = Counter()
        direct: Counter[str] = Counter()
        total = 0
        for row in session.exercises.select_related("exercise"):
            total += row.sets
            for muscle, level in row.exercise.muscle_contributions.items():
                fractional[muscle] += row.sets * float(level)
                if float(level) == 1.0:
                    direct[muscle] += row.sets
        sessions.append(
            SessionVolume(
                session_id=str(session.pk),
                name=session.name,
                order_index=session.order_index,
                day_of_week=session.day_of_week,
                total_sets=total,
                muscles={
                    m: SessionMuscleSets(fractional=fractional[m], direct=direct[m]) for m in fractional
                },
            )
        )
    return program_volume(
        structure_type=template.structure_type, frequency=template.frequency, sessions=sessions
    )


def test_every_template_reaches_mev_for_the_major_muscles(seeded):
    below = []
    templates = list(TrainingProgram.objects.filter(is_template=True))
    assert len(templates) >= 6
    for template in templates:
        volume = template_volume(template)
        for muscle in MEV_MUSCLES:
            sets = volume.muscle(muscle).fractional_sets
            if sets < DEFAULT_LANDMARKS[muscle].mev:
                below.append(f"{template.name}: {muscle} {sets} < MEV {DEFAULT_LANDMARKS[muscle].mev}")
    assert not below, "\n".join(below)


def test_templates_have_sensible_prescriptions(seeded):
    rows = list(SessionExercise.objects.filter(session__program__is_template=True).select_related("exercise"))
    templates = list(TrainingProgram.objects.filter(is_template=True))
    assert len(templates) >= 6 and len(rows) >= 6 * 4
    for row in rows:
        assert 1 <= row.sets <= 8, row
        assert row.reps, row
        assert row.rest_seconds is not None and 30 <= row.rest_seconds <= 300, row
    for template in templates:
        assert not template_volume(template).warnings, template.name
