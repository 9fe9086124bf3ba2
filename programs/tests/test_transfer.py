"""Export -> import round trip, and every way an import file can be wrong."""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import UserTier
from accounts.tests.factories import UserFactory
from exercises.models import Exercise
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import SessionExercise, TrainingProgram
from programs.transfer import ImportProblems, program_export_data, program_import

pytestmark = pytest.mark.django_db
IMPORT = reverse("programs:import")


def shape(program):
    """Everything a user would call "the program", independent of ids and timestamps."""
    data = program_export_data(program=program)
    data.pop("exported_at")
    return data


@pytest.fixture
def program(user):
    bench = ExerciseFactory(name="Barbell Bench Press")
    row = ExerciseFactory(name="Barbell Row", muscle_contributions={"LATS": 1.0, "ELBOW_FLEXORS": 0.5})
    program = services.program_create(
        user=user, name="Upper twice", description="Two uppers.", structure_type="WEEKLY"
    )
    for name, day in (("Upper A", 0), ("Upper B", 3)):
        session = services.session_create(user=user, program=program, name=name, day_of_week=day)
        services.session_exercise_add(
            user=user, session=session, exercise=bench, sets=4, reps="6-8", rest_seconds=180, notes="Pause"
        )
        services.session_exercise_add(user=user, session=session, exercise=row, sets=3, reps="AMRAP")
    return TrainingProgram.objects.get(pk=program.pk)


def upload(client, data, name="program.json"):
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(IMPORT, {"file": _named(body, name)})


def _named(body, name):
    handle = io.BytesIO(body)
    handle.name = name
    return handle


def test_export_then_import_gives_an_equal_program(user_client, user, program):
    response = user_client.get(reverse("programs:export", kwargs={"program_id": program.pk}))
    assert response["Content-Disposition"].startswith('attachment; filename="upper-twice')
    exported = json.loads(response.content)
    assert exported["version"] == 1 and exported["format"] == "hypertroq-program"
    services.program_delete(user=user, program=program)  # room under the free limit is not the point
    response = upload(user_client, response.content)
    assert response.status_code == 302, response.content.decode()
    imported = TrainingProgram.objects.exclude(pk=program.pk).get(user=user)
    # Everything is equal but the name, which tells the copy from the original (issue 15).
    assert imported.name == "Upper twice (imported)"
    expected = shape(program)
    expected["program"]["name"] = "Upper twice (imported)"
    assert shape(imported) == expected
    assert imported.frequency == 2


def test_pasted_json_works_too(user_client, user, program):
    text = json.dumps(program_export_data(program=program))
    response = user_client.post(IMPORT, {"text": text})
    assert response.status_code == 302
    assert TrainingProgram.objects.filter(user=user).count() == 2


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(version=2), "version: 2 is not supported"),
        (lambda d: d.pop("version"), "version: missing"),
        (lambda d: d.pop("program"), "program: missing"),
        (lambda d: d["program"].pop("sessions"), "program.sessions: missing"),
        (
            lambda d: d["program"]["sessions"][0]["exercises"][0].pop("sets"),
            "program.sessions[0].exercises[0].sets: missing",
        ),
        (
            lambda d: d["program"]["sessions"][1].update(day_of_week=0),
            "program.sessions[1].day_of_week: This program already has a session on Monday",
        ),
        (
            lambda d: d["program"]["sessions"][0]["exercises"][1].update(sets=21, reps="12-8"),
            "program.sessions[0].exercises[1].sets",
        ),
    ],
)
def test_tampered_files_are_refused_with_every_problem_listed(user_client, user, program, mutate, message):
    data = copy.deepcopy(program_export_data(program=program))
    mutate(data)
    before = (
        TrainingProgram.all_objects.count(),
        SessionExercise.all_objects.count(),
        Exercise.all_objects.count(),
    )
    response = user_client.post(IMPORT, {"text": json.dumps(data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        TrainingProgram.all_objects.count(),
        SessionExercise.all_objects.count(),
        Exercise.all_objects.count(),
    ) == before


def test_an_otherwise_valid_file_with_50_sets_is_a_listed_problem_not_a_database_error(user, program):
    """The builder refuses 50 sets; import checks with the same rule, so the database's check
    constraint is never what stops it (that would be an IntegrityError, a 500 for the user)."""
    data = copy.deepcopy(program_export_data(program=program))
    data["program"]["sessions"][1]["exercises"][0]["sets"] = 50
    services.program_delete(user=user, program=program)  # room under the free limit
    before = (TrainingProgram.all_objects.count(), SessionExercise.all_objects.count())
    with pytest.raises(ImportProblems) as refused:
        program_import(user=user, data=data)
    assert refused.value.problems == ["program.sessions[1].exercises[0].sets: Sets are 1 to 20."]
    assert (TrainingProgram.all_objects.count(), SessionExercise.all_objects.count()) == before
    # And through the page: a 400 listing it.
    client = Client()
    client.force_login(user)
    response = client.post(IMPORT, {"text": json.dumps(data)})
    assert response.status_code == 400
    assert "program.sessions[1].exercises[0].sets: Sets are 1 to 20." in response.content.decode()


def test_several_problems_are_all_listed(user_client, program):
    data = program_export_data(program=program)
    data["program"]["name"] = "x"
    data["program"]["sessions"][0]["exercises"][0]["sets"] = 0
    data["program"]["sessions"][1]["exercises"][0]["rest_seconds"] = -5
    body = user_client.post(IMPORT, {"text": json.dumps(data)}).content.decode()
    assert "3 problems" in body
    assert "program.name" in body and "exercises[0].sets" in body and "rest_seconds" in body


def test_invalid_json(user_client):
    response = upload(user_client, b'{"version": 1, "program": ')
    assert response.status_code == 400
    assert "Invalid JSON at line 1" in response.content.decode()


def test_deeply_nested_json_is_refused_not_a_server_error(user_client):
    response = upload(user_client, b"[" * 100_000)  # json.loads raised RecursionError: a 500
    assert response.status_code == 400
    assert "nested far too deeply" in response.content.decode()


@pytest.mark.parametrize("where", ["program", "session", "exercise"])
def test_nul_character_anywhere_is_refused_and_nothing_is_created(user_client, user, program, where):
    # PostgreSQL text can't hold U+0000: the name lookup or the insert failed with a 500.
    data = json.loads(user_client.get(reverse("programs:export", kwargs={"program_id": program.pk})).content)
    target = {
        "program": data["program"],
        "session": data["program"]["sessions"][0],
        "exercise": data["program"]["sessions"][0]["exercises"][0]["exercise"],
    }[where]
    target["name"] += "\x00"
    before = TrainingProgram.objects.count()
    response = user_client.post(IMPORT, {"text": json.dumps(data)})
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert TrainingProgram.objects.count() == before


def test_ten_megabytes_are_refused_without_being_read(user):
    """The view refuses on Content-Length: reading past the first byte would fail here."""
    from programs.views.data import program_import_view

    body = b"--x\r\n"  # what follows would be 10 MB
    request = RequestFactory().generic(
        "POST",
        IMPORT,
        data=body,
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )
    request.user = user
    request._dont_enforce_csrf_checks = False
    response = program_import_view(request)
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not TrainingProgram.objects.filter(user=user).exists()


def test_ten_megabytes_through_the_client(user_client, user):
    response = upload(user_client, b" " * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()


def test_import_checks_csrf(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(IMPORT, {"text": "{}"})
    assert response.status_code == 403


def unknown_exercise_file(program):
    data = program_export_data(program=program)
    data["program"]["sessions"][0]["exercises"][0]["exercise"] = {
        "name": "Landmine Press",
        "equipment": "BARBELL",
        "muscle_contributions": {"front_delts": 1.0, "CHEST": 0.5, "QUADS": 0.25},
    }
    data["program"]["sessions"][1]["exercises"][0]["exercise"]["name"] = "BARBELL bench PRESS"  # any case
    return data


def test_free_user_unknown_exercises_are_errors(user_client, user, program):
    response = user_client.post(IMPORT, {"text": json.dumps(unknown_exercise_file(program))})
    body = response.content.decode()
    assert response.status_code == 400
    assert "“Landmine Press” is not in the exercise library" in body
    # "BARBELL bench PRESS" matched the library's "Barbell Bench Press": only one problem.
    assert "Nothing was imported: 1 problem" in body


def test_pro_user_unknown_exercises_become_custom_exercises():
    pro = UserFactory(subscription_tier=UserTier.PRO)
    bench = ExerciseFactory(name="Barbell Bench Press")
    program = services.program_create(user=pro, name="Pressing", structure_type="CYCLIC", frequency=2)
    for name in ("A", "B"):
        session = services.session_create(user=pro, program=program, name=f"Press {name}")
        services.session_exercise_add(user=pro, session=session, exercise=bench, sets=3)
    from django.test import Client

    client = Client()
    client.force_login(pro)
    response = client.post(IMPORT, {"text": json.dumps(unknown_exercise_file(program))})
    assert response.status_code == 302, response.content.decode()
    custom = Exercise.objects.get(name="Landmine Press")
    assert (custom.is_global, custom.created_by_id) == (False, pro.pk)
    assert custom.muscle_contributions == {"FRONT_DELTS": 1.0, "CHEST": 0.5, "QUADRICEPS": 0.25}
    imported = TrainingProgram.objects.filter(user=pro).exclude(pk=program.pk).get()
    names = set(
        SessionExercise.objects.filter(session__program=imported).values_list("exercise__name", flat=True)
    )
    assert names == {"Landmine Press", "Barbell Bench Press"}


def test_pro_user_bad_contributions_are_listed():
    pro = UserFactory(subscription_tier=UserTier.PRO)
    data = {
        "version": 1,
        "program": {
            "name": "Odd",
            "structure_type": "CYCLIC",
            "frequency": 2,
            "sessions": [
                {
                    "name": "Only",
                    "exercises": [
                        {
                            "exercise": {
                                "name": "Mystery Move",
                                "equipment": "ROCK",
                                "muscle_contributions": {"WINGS": 1.0},
                            },
                            "sets": 3,
                        }
                    ],
                }
            ],
        },
    }
    from django.test import Client

    client = Client()
    client.force_login(pro)
    body = client.post(IMPORT, {"text": json.dumps(data)}).content.decode()
    assert "equipment: one of" in body and "WINGS" in body
    assert not Exercise.objects.filter(name="Mystery Move").exists()


def test_import_respects_the_program_limit(user_client, user, program):
    for n in range(2):
        services.program_create(user=user, name=f"Filler {n}", structure_type="WEEKLY")
    response = user_client.post(IMPORT, {"text": json.dumps(program_export_data(program=program))})
    assert response.status_code == 400
    assert "up to 3 active programs" in response.content.decode()
    assert TrainingProgram.objects.filter(user=user).count() == 3


def test_the_imported_name_fits_and_is_not_suffixed_twice():
    from programs.transfer import imported_name

    assert imported_name("Upper Lower") == "Upper Lower (imported)"
    assert imported_name("Upper Lower (imported)") == "Upper Lower (imported)"
    long = imported_name("x" * 100)
    assert len(long) == 100 and long.endswith("… (imported)")
