"""Bad-input sweep: no URL of the project answers 500 to garbage, and a refusal changes nothing.

The test walks the project's whole URL resolver (like test_tenant_isolation.py) and fills every
``<uuid:...>`` kwarg with the logged-in user's OWN objects (an organization owner on the pro tier
with a program, sessions, session exercises, a custom exercise, a member and an open invitation),
so each request reaches the view's real work instead of stopping at a 404. Per URL, as the owner:

- GET with garbage query strings (non-numeric/negative/huge pages, a 2000-character search,
  unknown filter values, NUL bytes, unicode, repeated keys);
- POST with an empty body, with every form field of the project set to one garbage value
  ('abc', '-5', '', 30 nines, '<script>', a NUL byte, unicode, several values at once), with
  half-valid values (an own exercise id but absurd numbers), and with JSON bodies of the wrong
  types or no valid JSON at all;

each plain and as an htmx request. Issue 13 added the classes an outside test found: Unicode
digits ("²"), a 4,301-digit number (past Python's int() limit), CR/LF in text that ends up in mail
headers (and an owner whose stored name already holds one), an email address with "/" (valid, and
it must not break a link), UTF-8 of a lone surrogate in a raw body, and import documents with
Infinity/-Infinity/NaN/1e400, non-string notes and "\\ud800" escapes. Side effects registered with
``transaction.on_commit`` (mail) run after each request, so a failure there counts as a 500 too.
Every answer must be below 500, and after any 4xx the
database must be exactly as before (programs, sessions, session exercises, exercises, users,
organizations, invitations: counts and the user-visible fields). ``<str:token>`` routes get
tampered tokens too, logged in and anonymous. Django admin is skipped (staff only, Django's own).

A URL with a kwarg this file cannot fill fails the test: add it to KWARG_OBJECTS or TOKEN_KWARGS.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Invitation, Organization, OrganizationTier, Role, User
from accounts.preferences import UserPreferences
from accounts.tests.factories import OrganizationFactory, UserFactory
from accounts.tokens import email_verification_token, invitation_token
from exercises.models import Exercise
from exercises.tests.factories import ExerciseFactory
from notifications.models import NotificationKind
from notifications.services import notification_create, unsubscribe_token
from portability.services import data_export_request
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from programs.tests.factories import (
    SessionExerciseFactory,
    TrainingProgramFactory,
    WorkoutSessionFactory,
)
from training.imports.services import import_prepare
from training.models import SetLog, TrainingPreferences, WorkoutExercise, WorkoutLog
from training.services import workout_start
from training.tests.factories import SetLogFactory

SKIPPED_NAMESPACES = {"admin"}
# Staff-only pages outside the admin namespace (they answer 302/403 to the owner anyway).
SKIPPED_VIEWS = {"ops_admin_metrics"}

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Route:
    view_name: str
    route: str
    kwargs: list[str]


def walk_routes(patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            spaces = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            if SKIPPED_NAMESPACES.intersection(spaces):
                continue
            yield from walk_routes(pattern.url_patterns, prefix + str(pattern.pattern), spaces)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            view_name = ":".join((*namespaces, pattern.name or "<unnamed>"))
            if view_name in SKIPPED_VIEWS:
                continue
            yield Route(view_name, route, [m.group("name") for m in _ROUTE_PARAM.finditer(route)])


ROUTES = {route.view_name: route for route in walk_routes(get_resolver().url_patterns)}


# ---------------------------------------------------------------- the owner's world


@dataclass
class World:
    owner: Any
    member: Any
    member_program: Any
    program: Any
    cyclic_program: Any
    session: Any
    other_session: Any
    session_exercise: Any
    other_session_exercise: Any
    custom_exercise: Any
    global_exercise: Any
    trashed_program: Any
    trashed_session: Any
    template: Any
    invitation: Any
    workout: Any
    member_workout: Any
    entry: Any
    set_log: Any
    notification: Any
    measurement: Any = None
    trashed_measurement: Any = None
    measurement_category: Any = None
    photo: Any = None
    history_import: Any = None
    data_export: Any = None


@pytest.fixture
def world(db, monkeypatch) -> World:
    from exercises.tests.fakes import FakeModel, install_runtime

    # Description search and custom exercises embed text: a fake model keeps the sweep fast.
    install_runtime(monkeypatch, FakeModel)

    organization = OrganizationFactory(name="Sweep gym", subscription_tier=OrganizationTier.PRO)
    # A stored name with CR/LF (older rows, the admin): every mail that shows it must still send.
    owner = UserFactory(
        organization=organization,
        role=Role.OWNER,
        email="owner@example.com",
        full_name="Sweep Owner\r\nBcc: everyone@example.com",
    )
    member = UserFactory(organization=organization, role=Role.MEMBER, email="member@example.com")
    custom = ExerciseFactory(is_global=False, created_by=owner, name="Sweep custom press")
    global_exercise = ExerciseFactory(is_global=True, name="Sweep global squat")
    program = TrainingProgramFactory(user=owner, name="Sweep program", structure_type=StructureType.WEEKLY)
    session = WorkoutSessionFactory(program=program, name="Push day", day_of_week=0, order_index=0)
    other_session = WorkoutSessionFactory(program=program, name="Legs day", day_of_week=2, order_index=1)
    session_exercise = SessionExerciseFactory(session=session, exercise=custom, order_index=0)
    other = SessionExerciseFactory(session=session, exercise=global_exercise, order_index=1)
    SessionExerciseFactory(session=other_session, exercise=global_exercise, order_index=0)
    cyclic = TrainingProgramFactory(
        user=owner, name="Sweep rotation", structure_type=StructureType.CYCLIC, frequency=4
    )
    WorkoutSessionFactory(program=cyclic, name="Day A", order_index=0)
    trashed_session = WorkoutSessionFactory(program=program, name="Old day", day_of_week=4, order_index=2)
    trashed_session.mark_deleted()
    trashed_session.save()
    trashed = TrainingProgramFactory(user=owner, name="Sweep trashed")
    trashed.mark_deleted()
    trashed.save()
    template = TrainingProgramFactory(user=None, is_template=True, name="Sweep template")
    SessionExerciseFactory(session__program=template, session__name="Full body", exercise=global_exercise)
    member_program = TrainingProgramFactory(user=member, name="Member program", assigned_by=owner)
    invitation = Invitation.objects.create(
        organization=organization,
        email="invitee@example.com",
        role=Role.MEMBER,
        invited_by=owner,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    workout = workout_start(user=owner, session=session)
    entry = workout.exercises.get(exercise=custom)
    set_log = SetLogFactory(workout_log=workout, workout_exercise=entry, exercise=custom)
    member_workout = SetLogFactory(workout_log__user=member, exercise=global_exercise).workout_log
    from body.tests.factories import MeasurementCategoryFactory, MeasurementFactory

    trashed_measurement = MeasurementFactory(user=owner)
    trashed_measurement.mark_deleted()
    trashed_measurement.save()
    import io

    from body.photo_services import photo_upload
    from body.tests.photos import jpeg_with_exif

    jpeg = jpeg_with_exif()
    today = timezone.localdate()
    photo = photo_upload(
        user=owner, upload=io.BytesIO(jpeg), size=len(jpeg), taken_on=today, pose="FRONT", today=today
    )
    return World(
        photo=photo,
        measurement=MeasurementFactory(user=owner),
        trashed_measurement=trashed_measurement,
        measurement_category=MeasurementCategoryFactory(user=owner),
        owner=owner,
        member=member,
        member_program=member_program,
        program=program,
        cyclic_program=cyclic,
        session=session,
        other_session=other_session,
        session_exercise=session_exercise,
        other_session_exercise=other,
        custom_exercise=custom,
        global_exercise=global_exercise,
        trashed_program=trashed,
        trashed_session=trashed_session,
        template=template,
        invitation=invitation,
        workout=workout,
        member_workout=member_workout,
        entry=entry,
        set_log=set_log,
        notification=notification_create(user=owner, kind=NotificationKind.MEMBER_JOINED, title="Ana joined"),
        history_import=import_prepare(
            user=owner,
            data=b"Date,Exercise,Category,Weight,Weight Unit,Reps,Distance,Distance Unit,Time,Comment\n"
            b"2024-05-06,Sweep global squat,Legs,80.0,kgs,8,,,,\n",
            file_name="fitnotes.csv",
            semantic=False,
        ),
        data_export=data_export_request(user=owner),
    )


KWARG_OBJECTS = {
    "program_id": "program",
    "session_id": "session",
    "session_exercise_id": "session_exercise",
    "exercise_id": "custom_exercise",
    "member_id": "member",
    "invitation_id": "invitation",
    "template_id": "template",
    "workout_id": "workout",
    "entry_id": "entry",
    "set_id": "set_log",
    "notification_id": "notification",
    "measurement_id": "measurement",
    "category_id": "measurement_category",
    "photo_id": "photo",
    "import_id": "history_import",
    "export_id": "data_export",
}
# Views whose id must be a particular one of the owner's objects to get past the lookup.
VIEW_OBJECTS = {
    "programs:restore": {"program_id": "trashed_program"},
    "programs:session_restore": {"session_id": "trashed_session"},
    "programs:member_program": {"program_id": "member_program"},
    "exercises:detail": {"exercise_id": "global_exercise"},  # visitors see it too
    "training:member_workout": {"workout_id": "member_workout"},
    "training:member_exercise": {"exercise_id": "global_exercise"},
    "body:measurement_restore": {"measurement_id": "trashed_measurement"},
}
# "kind" is a measurement's slug (body:series), "muscle" a muscle's (programs:volume_muscle):
# filled like a token, and tampered with too.
TOKEN_KWARGS = {"token", "uidb64", "kind", "muscle"}
# Pages for visitors (a signed-in owner is redirected away from some): swept anonymously too.
PUBLIC_VIEWS = {
    "home",
    "accounts:signup",
    "accounts:login",
    "accounts:password_reset",
    "exercises:list",
    "exercises:detail",
    "programs:template_list",
}


def _valid_tokens(world: World) -> dict[str, dict[str, str]]:
    return {
        "accounts:verify_email": {"token": email_verification_token(world.owner)},
        "accounts:invitation_accept": {"token": invitation_token(world.invitation)},
        "notifications:unsubscribe": {
            "token": unsubscribe_token(user=world.owner, kind=NotificationKind.WEEKLY_DIGEST)
        },
        "accounts:password_reset_confirm": {
            "uidb64": urlsafe_base64_encode(force_bytes(world.owner.pk)),
            "token": default_token_generator.make_token(world.owner),
        },
        "body:series": {"kind": "body-weight"},
        "programs:volume_muscle": {"muscle": "chest"},
    }


def _tampered(value: str) -> list[str]:
    flipped = value[:-1] + ("A" if value[-1] != "A" else "B")
    return [flipped, value.split(":")[0] + ":x", "x" * 600, "%00", "%C3%A9%E2%9C%93:..%2F.."]


def _urls(route: Route, world: World) -> list[str]:
    """The route filled with the owner's objects, plus tampered variants of any token."""
    objects = {k: getattr(world, v) for k, v in KWARG_OBJECTS.items()}
    objects.update({k: getattr(world, v) for k, v in VIEW_OBJECTS.get(route.view_name, {}).items()})
    tokens = _valid_tokens(world).get(route.view_name, {})

    def fill(values: dict[str, str]) -> str:
        return "/" + _ROUTE_PARAM.sub(lambda m: values[m.group("name")], route.route)

    base = {k: str(objects[k].pk) for k in route.kwargs if k in objects}
    base.update(tokens)
    urls = [fill(base)]
    for kwarg in route.kwargs:
        if kwarg in TOKEN_KWARGS:
            urls += [fill({**base, kwarg: bad}) for bad in _tampered(base[kwarg])]
    return urls


# ---------------------------------------------------------------- garbage

LONG = "x" * 2000
# Several bad parameters per query string (the list views read them all in one pass).
GARBAGE_QUERIES = [
    "page=abc&page=2&muscle=NOPE&equipment=NOPE&difficulty=NOPE&scope=NOPE&muscle_mode=NOPE",
    "page=-1&q=" + LONG + "&exclude_equipment=NOPE&exclude_equipment=",
    "page=99999&ask=" + LONG,
    "page=" + "9" * 40 + "&muscle=&equipment=&next=https://evil.example.com/&from=trash",
    "q=%00&ask=%00&page=%00&muscle=%00&scope=%00&next=%00&exclude_equipment=%00",
    "q=%C3%A9%E2%9C%93%F0%9F%92%AA&muscle=%E2%9C%93&exercise=abc&position=-5&direction=sideways",
    "q=%FF%FE&page=%FF&ask=%F0%9F%92%AA%20squat",
    "week=9998-W52&month=99999-99&muscle=%00",
    "week=0001-W01&month=2026-13",
    "week=2026-W53x&month=-5&week=1",
]

# Every field name a view or form of the project reads (forms and raw request.POST/GET reads).
FIELDS = [
    # accounts
    "email",
    "full_name",
    "password",
    "username",
    "old_password",
    "new_password1",
    "new_password2",
    "role",
    "next",
    # exercises
    "name",
    "description",
    "equipment",
    "difficulty",
    "image_url",
    "video_url",
    "contrib_CHEST",
    "contrib_QUADS",
    "contrib_LATS",
    # programs
    "structure_type",
    "frequency",
    "day_of_week",
    "sets",
    "reps",
    "rest_seconds",
    "notes",
    "exercise",
    "position",
    "direction",
    "counting",
    "CHEST__mv",
    "CHEST__mev",
    "CHEST__mav_low",
    "CHEST__mav_high",
    "CHEST__mrv",
    "QUADS__mrv",
    "text",
    "member",
    "from",
    # coach
    "finding",
    "days",
    "priority_muscles",
    "session_set_limit",
    "seed",
    "replaces",
    "q",
    "ask",
    # training
    "session",
    "tz",
    "weight",
    "rir",
    "set_type",
    "client_id",
    "side",
    "note",
    "logged_at",
    "skipped",
    "body_weight",
    "unit",
    "display_increment",
    "bar_weight",
    "plates",
    "rir_threshold",
    "time_zone",
    "current_program",
    "accept",
    "deleted",
]
GARBAGE_VALUES: list[Any] = [
    "abc",
    "-5",
    "",
    "9" * 30,
    "a\x00b",
    "<script>alert(1)</script>é✓💪" * 10,
    ["abc", "-5", "9" * 30],
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic digit: int() accepts it
    "9" * 4301,  # one digit past Python's int() conversion limit
    "Eve\r\nBcc: everyone@example.com",  # a header injection, if it reaches a mail header
    "a/b?c#d@example.com",  # a valid address that must not break a URL
]
# No view reads request.body, so a JSON body is an empty form with an API-like content type; one
# with wrong types and one broken body show the views don't trip over it.
WRONG_TYPE_JSON: list[Any] = [
    {**{name: [1, {"x": None}] for name in FIELDS}, "sets": 99999999999999999999999, "name": None},
]
BROKEN_BODIES = ["\x00" + '{"a": ' * 50]


def _half_valid(world: World) -> list[dict[str, Any]]:
    """Real ids with absurd numbers, so the request gets past the id checks."""
    own = str(world.custom_exercise.pk)
    return [
        {
            "exercise": own,
            "sets": "9" * 30,
            "rest_seconds": "-1",
            "reps": "12-8",
            "position": "9" * 30,
            "name": "Valid name",
            "day_of_week": "9",
            "structure_type": StructureType.CYCLIC,
            "frequency": "0",
            "member": str(world.member.pk),
            "role": "SUPERUSER",
            "email": "not-an-email",
            "direction": "up\x00",
            "finding": "-1",
            "days": "99",
            "seed": "9" * 400,
            "session_set_limit": "-3",
            "equipment": ["BARBELL", "NOPE"],
            "priority_muscles": ["CHEST", "\x00"],
            "counting": "WEIRD",
            "CHEST__mv": "60",
            "CHEST__mrv": "0",
            "text": '{"program": {"name": "x"}}',
            "replaces": str(world.program.pk),
        },
        {
            "exercise": str(world.global_exercise.pk),
            "sets": "3",
            "reps": "8" * 20,
            "rest_seconds": "9" * 30,
            "notes": "n" * 5000,
            "name": "ab",
            "description": "d" * 50000,
            "frequency": "9" * 30,
            "day_of_week": "-1",
            "member": str(world.owner.pk),
            "image_url": "javascript:alert(1)",
            "video_url": "http://" + "a" * 600 + ".com",
            "contrib_CHEST": "0.75",
            "contrib_QUADS": "2",
            "text": json.dumps({"format": "hypertroq.program", "version": 1, "program": []}),
            "days": "3",
            "structure_type": "WEEKLY",
            "equipment": ["BARBELL"],
            "seed": "-1",
            "session_set_limit": "9" * 30,
        },
        {  # all valid but one huge number per form (position, seed, finding)
            "exercise": str(world.global_exercise.pk),
            "sets": "3",
            "reps": "8-12",
            "rest_seconds": "90",
            "notes": "",
            "position": "9" * 30,
            "name": "Valid name",
            "day_of_week": "6",
            "frequency": "3",
            "structure_type": "WEEKLY",
            "direction": "down",
            "finding": "9" * 30,
            "days": "3",
            "equipment": ["BARBELL", "DUMBBELL", "CABLE", "MACHINE"],
            "session_set_limit": "20",
            "seed": "9" * 3000,
            "counting": "fractional",
            "CHEST__mv": "0",
            "CHEST__mrv": "60",
            "role": Role.COACH,
        },
    ]


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("program.json", content, content_type="application/json")


def _import_document(**program: Any) -> str:
    base: dict[str, Any] = {"name": "Imported plan", "structure_type": "WEEKLY", "sessions": []}
    return json.dumps({"format": "hypertroq-program", "version": 1, "program": {**base, **program}})


_BAD_EXERCISE = {
    "exercise": {"name": "Brand new \x00 press", "equipment": "NOPE", "muscle_contributions": {"CHEST": "a"}},
    "sets": "9" * 30,
    "reps": 5,
    "rest_seconds": [1],
    "notes": {},
}
_NEW_EXERCISE = {
    "exercise": {
        "name": "Brand new\x00 press",
        "equipment": "BARBELL",
        "muscle_contributions": {"CHEST": 1.0},
    },
    "sets": 3,
}
# Documents for the import page (its "text" field): structurally JSON, wrong inside.
IMPORT_DOCUMENTS = [
    _import_document(sessions=[{"name": "Day one", "day_of_week": "x", "exercises": [_BAD_EXERCISE]}]),
    _import_document(sessions=[{"name": "Day one", "day_of_week": 0, "exercises": [_NEW_EXERCISE]}]),
    _import_document(
        name=["x"], structure_type=None, frequency=1e300, sessions=[{"name": 5, "day_of_week": 1e300}]
    ),
    _import_document(sessions=[{"name": "Day \x00", "day_of_week": True, "exercises": "nope"}] * 3),
    _import_document(
        sessions=[{"name": "Day one", "day_of_week": 0, "exercises": [{"exercise": "x", "sets": 3.5}]}]
    ),
    json.dumps({"format": "hypertroq-program", "version": True, "program": {}}),
    json.dumps({"version": "1", "program": "nope"}),
    '{"version": 1e999, "program": {"name": NaN}}',
    # Non-finite numbers where a whole number goes (int(inf) raises OverflowError).
    _import_document(
        sessions=[
            {"name": "Day one", "day_of_week": 0, "exercises": [{**_NEW_EXERCISE, "sets": float("inf")}]}
        ]
    ),  # json.dumps writes inf as Infinity
    '{"format": "hypertroq-program", "version": 1, "program": {"name": "Plan", "structure_type": "CYCLIC", '
    '"frequency": -Infinity, "sessions": [{"name": "Day one", "exercises": [{"exercise": {"name": "Bench '
    'Press"}, "sets": 1e400, "rest_seconds": Infinity}]}]}}',
    # Notes that are not text.
    *(
        _import_document(
            sessions=[{"name": "Day one", "day_of_week": 0, "exercises": [{**_NEW_EXERCISE, "notes": notes}]}]
        )
        for notes in (5, [1, 2], {"a": 1}, True)
    ),
    # Lone surrogates, escaped (valid JSON; not encodable as UTF-8, so not storable).
    _import_document(
        name="Plan \ud800", sessions=[{"name": "Day \udfff", "day_of_week": 0, "exercises": []}]
    ),
    _import_document(
        sessions=[
            {
                "name": "Day one",
                "day_of_week": 0,
                "exercises": [{**_NEW_EXERCISE, "notes": "\ud83d", "exercise": {"name": "X \udc00"}}],
            }
        ]
    ),
    '{"format": "hypertroq-program", "version": 1, "program": {"name": "' + "\\ud800" * 3 + '"}}',
    # A number of 4,301 digits (Python's json refuses to convert it: ValueError).
    '{"format": "hypertroq-program", "version": 1, "program": {"name": "Plan", "frequency": '
    + "9" * 4301
    + "}}",
    "[" * 100_000,
    '{"version": 1, "program": {"name": "' + "n" * 200_000 + '"}}',
]
# Route-specific bodies (besides the shared garbage) for views that read structured input.
VIEW_POSTS: dict[str, list[dict[str, Any]]] = {
    "programs:import": [{"text": doc} for doc in IMPORT_DOCUMENTS]
    + [{"file": _upload(doc.encode()), "text": ""} for doc in IMPORT_DOCUMENTS[:2] + IMPORT_DOCUMENTS[-2:]],
    # Valid sign-ups whose address holds "/" and "?": the verification link must still build.
    "accounts:signup": [
        {"email": "sweep/slash@example.com", "full_name": "Sweep Slash", "password": "plates-and-chalk-2026"},
        {
            "email": "sweep?q=1@example.com",
            "full_name": "Sweep\r\nBcc: x@example.com",
            "password": "plates-and-chalk-2026",
        },
    ],
    "accounts:invitation_create": [
        {"email": "invitee/slash@example.com", "role": Role.MEMBER},
        {"email": "new\r\nBcc: x@example.com", "role": Role.MEMBER},
    ],
    "coach:coach_generate": [
        {"days": "²", "structure_type": "WEEKLY", "equipment": ["BARBELL"], "seed": "9" * 4301},
        {"days": "3", "structure_type": "WEEKLY", "equipment": ["BARBELL"], "session_set_limit": "٢٠"},
    ],
}


# ---------------------------------------------------------------- state


SNAPSHOT_FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "programs": (
        TrainingProgram,
        ("id", "user", "name", "description", "structure_type", "frequency", "is_deleted"),
    ),
    "sessions": (WorkoutSession, ("id", "program", "name", "day_of_week", "order_index", "is_deleted")),
    "session exercises": (
        SessionExercise,
        ("id", "session", "exercise", "order_index", "sets", "reps", "rest_seconds", "notes", "is_deleted"),
    ),
    "exercises": (Exercise, ("id", "name", "description", "equipment", "muscle_contributions", "is_deleted")),
    "users": (
        User,
        ("id", "organization", "email", "full_name", "role", "is_active", "is_deleted", "password"),
    ),
    "organizations": (Organization, ("id", "name")),
    "invitations": (Invitation, ("id", "email", "role", "used_at", "revoked_at")),
    "workouts": (
        WorkoutLog,
        ("id", "user", "session", "finished_at", "notes", "body_weight_kg", "is_deleted"),
    ),
    "workout exercises": (WorkoutExercise, ("id", "exercise", "swapped_from", "skipped", "order_index")),
    "set logs": (
        SetLog,
        ("id", "exercise", "weight_kg", "reps", "rir", "set_type", "side", "note", "is_deleted"),
    ),
    "training preferences": (TrainingPreferences, ("id", "current_program")),
    "preferences": (
        UserPreferences,
        (
            "id",
            "unit",
            "display_increment",
            "bar_weight",
            "plates",
            "rir_threshold",
            "time_zone",
            "week_start",
            "default_rest_seconds",
            "counting",
        ),
    ),
}


def _snapshot_sql() -> str:
    parts = []
    for model, fields in SNAPSHOT_FIELDS.values():
        columns = ", ".join(f'"{model._meta.get_field(f).column}"' for f in fields)
        parts.append(
            f"(SELECT count(*) || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f'FROM (SELECT {columns} FROM "{model._meta.db_table}") t)'
        )
    return "SELECT " + ", ".join(parts)


def snapshot() -> dict[str, str]:
    """What a user could notice, per table: row count (soft-deleted rows too) and a digest of the
    editable fields. One query, so it can run after every request."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_snapshot_sql())
        row = cursor.fetchone()
    return dict(zip(SNAPSHOT_FIELDS, row, strict=True))


def _diff(before: dict[str, str], after: dict[str, str]) -> str:
    return ", ".join(
        f"{name}: {before[name].split(':')[0]}→{after[name].split(':')[0]} rows"
        + (" (fields changed)" if before[name].split(":")[0] == after[name].split(":")[0] else "")
        for name in before
        if before[name] != after[name]
    )


# ---------------------------------------------------------------- requests


@dataclass
class Variant:
    label: str
    method: str
    kwargs: dict[str, Any]
    htmx: bool = True  # also sent with HX-Request (the htmx branch of a view differs)


def _variants(url: str, view_name: str, world: World, *, brief: bool = False) -> Iterator[Variant]:
    yield Variant(f"GET {url}", "get", {"path": url})
    if brief:  # a tampered token: the view stops at the token, a few requests show it does
        yield Variant(f"POST {url} (empty)", "post", {"path": url})
        yield Variant(f"POST {url} fields='abc'", "post", {"path": url, "data": dict.fromkeys(FIELDS, "abc")})
        return
    for i, query in enumerate(GARBAGE_QUERIES):
        yield Variant(f"GET {url}?{query[:60]}", "get", {"path": f"{url}?{query}"}, htmx=i in (0, 4))
    yield Variant(f"POST {url} (empty)", "post", {"path": url})
    for value in GARBAGE_VALUES:
        data = dict.fromkeys(FIELDS, value)
        yield Variant(
            f"POST {url} fields={str(value)[:30]!r}",
            "post",
            {"path": url, "data": data},
            htmx=value in ("abc", "a\x00b") or isinstance(value, list),
        )
    for i, data in enumerate(_half_valid(world)):
        yield Variant(f"POST {url} half-valid #{i}", "post", {"path": url, "data": data})
    for i, body in enumerate(WRONG_TYPE_JSON):
        yield Variant(
            f"POST {url} json={json.dumps(body)[:40]}",
            "post",
            {"path": url, "data": json.dumps(body), "content_type": "application/json"},
            htmx=i == 0,
        )
    for body in BROKEN_BODIES:
        yield Variant(
            f"POST {url} body={body[:20]!r}",
            "post",
            {"path": url, "data": body, "content_type": "application/json"},
            htmx=False,
        )
    yield Variant(
        f"POST {url} urlencoded %00/%FF",
        "post",
        {
            "path": url,
            "data": (
                "name=%00&sets=%FF&exercise=%00&email=%00&password=%00&finding=%FF"
                "&full_name=%ED%A0%80&notes=%ED%A0%80x&description=%ED%B0%80&q=%ED%A0%80"
            ),
            "content_type": "application/x-www-form-urlencoded",
        },
    )
    for i, data in enumerate(VIEW_POSTS.get(view_name, [])):
        yield Variant(f"POST {url} specific #{i}", "post", {"path": url, "data": data}, htmx=False)
    yield Variant(
        f"POST {url} file",
        "post",
        {"path": url, "data": {"file": _upload(b"\xff\xfe\x00 not json"), "text": ""}},
        htmx=False,
    )


class Sweeper:
    """Sends the variants and keeps the last known state to compare against after a refusal."""

    def __init__(self, client: Any, world: World, *, login: bool, on_commit: Any) -> None:
        self.on_commit = on_commit  # django_capture_on_commit_callbacks: runs mail etc. after each
        self.client = client
        self.world = world
        self.login = login
        self.failures: list[str] = []
        self.count = 0
        self.state = snapshot()
        self.logged_in = False

    def send(self, variant: Variant, *, htmx: bool) -> int | None:
        if self.login and not self.logged_in:
            self.client.force_login(self.world.owner)
            self.logged_in = True
        elif not self.login:
            self.client.logout()
        data = variant.kwargs.get("data")
        if isinstance(data, dict) and "file" in data:
            data["file"].seek(0)
        where = f"{variant.label}{' [htmx]' if htmx else ''}{'' if self.login else ' [anonymous]'}"
        headers = {"HX-Request": "true"} if htmx else {}
        self.count += 1
        try:
            with self.on_commit(execute=True):
                response = getattr(self.client, variant.method)(headers=headers, **variant.kwargs)
        except Exception as exc:  # the test client re-raises a view's exception: that's a 500
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
            frame = frames[-1] if frames else traceback.extract_tb(exc.__traceback__)[-1]
            self.failures.append(
                f"500 {where}: {type(exc).__name__}: {str(exc)[:160]} "
                f"({'/'.join(frame.filename.rsplit('/', 2)[-2:])}:{frame.lineno})"
            )
            self.state = snapshot()
            self.logged_in = False
            return None
        status = response.status_code
        # A logout (or a deleted account) ends the session: log in again before the next request.
        self.logged_in = self.logged_in and response.wsgi_request.user.is_authenticated
        if status >= 500:
            self.failures.append(f"{status} {where}")
        elif 400 <= status < 500:
            after = snapshot()
            if after != self.state:
                self.failures.append(f"{status} {where} but the data changed: {_diff(self.state, after)}")
            self.state = after
        elif variant.method != "get" or not self.login:
            self.state = snapshot()
        return status

    def sweep(self, view_name: str, urls: list[str]) -> None:
        for i, url in enumerate(urls):
            allowed = set()
            for variant in _variants(url, view_name, self.world, brief=i > 0):
                if variant.method not in allowed and allowed >= {"probed-" + variant.method}:
                    continue  # the view answered 405 to this method: its garbage can't reach it
                status = self.send(variant, htmx=False)
                if "probed-" + variant.method not in allowed:
                    allowed.add("probed-" + variant.method)
                    if status != 405:
                        allowed.add(variant.method)
                if variant.htmx and variant.method in allowed:
                    self.send(variant, htmx=True)


def test_every_route_can_be_filled():
    problems = [
        f"{r.view_name} ({r.route}) takes <{k}>: add it to KWARG_OBJECTS or TOKEN_KWARGS in {__name__}"
        for r in ROUTES.values()
        for k in r.kwargs
        if k not in KWARG_OBJECTS and k not in TOKEN_KWARGS
    ]
    assert len(ROUTES) > 30, "the URL walk found too few routes: it is broken"
    known = set(ROUTES)
    assert (PUBLIC_VIEWS | set(VIEW_OBJECTS) | set(VIEW_POSTS)) <= known, "a view name here is stale"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("view_name", sorted(ROUTES))
def test_bad_input_never_gives_a_server_error(client, world, view_name, django_capture_on_commit_callbacks):
    route = ROUTES[view_name]
    urls = _urls(route, world)
    on_commit = django_capture_on_commit_callbacks
    sweepers = [Sweeper(client, world, login=True, on_commit=on_commit)]
    if view_name in PUBLIC_VIEWS or any(k in TOKEN_KWARGS for k in route.kwargs):
        sweepers.append(Sweeper(client, world, login=False, on_commit=on_commit))
    for sweeper in sweepers:
        sweeper.sweep(view_name, urls)
    failures = [f for s in sweepers for f in s.failures]
    count = sum(s.count for s in sweepers)
    print(f"SWEEP {view_name} requests={count} server_errors={len(failures)}")
    assert count >= 2 * len(urls)
    assert not failures, f"{len(failures)} of {count} requests failed:\n" + "\n".join(failures)


def test_the_snapshot_notices_a_changed_field_and_a_new_row(world):
    before = snapshot()
    world.session_exercise.sets = 5
    world.session_exercise.save()
    changed = snapshot()
    rows = SessionExercise.all_objects.count()
    assert _diff(before, changed) == f"session exercises: {rows}→{rows} rows (fields changed)"
    TrainingProgramFactory(user=world.owner)
    programs = TrainingProgram.all_objects.count()
    assert _diff(changed, snapshot()) == f"programs: {programs - 1}→{programs} rows"
