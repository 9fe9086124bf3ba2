"""Phone layout: no page scrolls sideways at 390 px, and its controls are big enough to tap.

The pages are listed from the project's URL patterns (as hypertroq/tests/test_tenant_isolation.py
walks them), so a new app's pages are measured without touching this file. Every route is opened
as a visitor, a solo lifter and a coach (the owner of a pro organization with a member); a route
parameter is filled from ``PARAMS`` with an object that role may see. A route whose parameter this
file doesn't know fails the test with a message saying where to add it.

Only answers that are HTML pages count (POST-only views answer 405, JSON and health endpoints are
skipped by their content type). For each page the test reads
``document.documentElement.scrollWidth`` at a 390 x 844 viewport (an iPhone 12-15) and the size of
every visible button, field, summary and navigation link (>= 44 px tall; buttons and links also
>= 44 px wide, WCAG 2.5.5's target size).

Run with ``-s`` to see the width of every page: ``pytest tests/browser/test_phone_layout.py -s``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page

from accounts import tokens
from accounts.models import Invitation, OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from notifications.models import NotificationKind
from notifications.services import notification_create
from programs import services
from programs.models import SessionExercise, TrainingProgram
from training.models import WorkoutExercise
from training.tests.factories import SetLogFactory, TrainingPreferencesFactory, WorkoutLogFactory

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44

# Staff-only (Django admin has its own look and is not for phones).
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_VIEWS = {"ops_admin_metrics"}

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class Route:
    view_name: str
    route: str
    params: list[str]


def walk_routes(patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    """Every URL pattern outside SKIPPED_NAMESPACES, with the names of its route parameters."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            spaces = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            if SKIPPED_NAMESPACES.intersection(spaces):
                continue
            yield from walk_routes(pattern.url_patterns, prefix + str(pattern.pattern), spaces)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            if route.startswith("^"):  # a regex pattern (none today): not walkable
                continue
            name = ":".join((*namespaces, pattern.name or "<unnamed>"))
            if name in SKIPPED_VIEWS:
                continue
            params = [m.group("name") for m in _ROUTE_PARAM.finditer(route)]
            yield Route(view_name=name, route=route, params=params)


@dataclass
class World:
    """What the three roles can open: objects created once for the whole walk."""

    lifter: Any
    coach: Any
    member: Any
    program: Any
    session: Any
    session_exercise: Any
    member_program: Any
    coach_program: Any
    coach_session: Any
    coach_session_exercise: Any
    custom_exercise: Any
    global_exercise: Any
    template: Any
    deleted_program: Any
    invitation: Any
    workout: Any = None
    coach_workout: Any = None
    member_workout: Any = None
    notifications: dict[str, Any] | None = None
    body: dict[str, dict[str, Any]] | None = None  # role -> that role's measurement, category, photo
    imports: dict[str, Any] | None = None  # role -> that role's history import
    exports: dict[str, Any] | None = None  # role -> that role's "Download my data" archive


# Route parameter -> (role, world) -> value. Roles: "visitor", "lifter", "coach".
PARAMS: dict[str, Callable[[str, World], Any]] = {
    "notification_id": lambda role, w: (w.notifications or {})[role].pk,
    "program_id": lambda role, w: (w.member_program if role == "coach" else w.program).pk,
    "session_id": lambda role, w: w.session.pk,
    "session_exercise_id": lambda role, w: w.session_exercise.pk,
    "exercise_id": lambda role, w: (w.custom_exercise if role == "coach" else w.global_exercise).pk,
    "template_id": lambda role, w: w.template.pk,
    "member_id": lambda role, w: w.member.pk,
    "invitation_id": lambda role, w: w.invitation.pk,
    "workout_id": lambda role, w: (w.coach_workout if role == "coach" else w.workout).pk,
    "entry_id": lambda role, w: _entry(w.coach_workout if role == "coach" else w.workout).pk,
    "set_id": lambda role, w: (w.coach_workout if role == "coach" else w.workout).sets.first().pk,
    "measurement_id": lambda role, w: (w.body or {})[role]["measurement"].pk,
    "category_id": lambda role, w: (w.body or {})[role]["category"].pk,
    "photo_id": lambda role, w: (w.body or {})[role]["photo"].pk,
    "import_id": lambda role, w: (w.imports or {})[role].pk,
    "export_id": lambda role, w: (w.exports or {})[role].pk,
    "kind": lambda role, w: "body-weight",
    "muscle": lambda role, w: "chest",
    "token": lambda role, w: tokens.invitation_token(w.invitation),
    "uidb64": lambda role, w: urlsafe_base64_encode(force_bytes(w.lifter.pk)),
}


def _entry(workout: Any) -> Any:
    """The workout's first exercise entry (the factory-made workouts have sets only)."""
    entry = workout.exercises.first()
    if entry is None:
        first = workout.sets.first()
        entry = WorkoutExercise.objects.create(
            workout_log=workout, exercise_id=first.exercise_id, order_index=0
        )
    return entry


def _params_for(role: str, route: Route, world: World) -> dict[str, Any]:
    values = {name: PARAMS[name](role, world) for name in route.params}
    if role == "coach":
        # The coach's own program, unless the route is about a member's program.
        if "member_id" not in route.params and "program_id" in route.params:
            values["program_id"] = world.coach_program.pk
        if "session_id" in route.params:
            values["session_id"] = world.coach_session.pk
        if "session_exercise_id" in route.params:
            values["session_exercise_id"] = world.coach_session_exercise.pk
        if "member_id" in route.params and "workout_id" in route.params:
            values["workout_id"] = world.member_workout.pk
        if "member_id" in route.params and "exercise_id" in route.params:
            values["exercise_id"] = world.global_exercise.pk
    if "uidb64" in route.params and "token" in route.params:
        values["token"] = default_token_generator.make_token(world.lifter)
    return values


def fill(route: Route, values: dict[str, Any]) -> str:
    return "/" + _ROUTE_PARAM.sub(lambda m: str(values[m.group("name")]), route.route)


def unknown_params(routes: list[Route]) -> list[str]:
    return [
        f"{route.view_name} ({route.route}) takes <{name}>, which the phone-layout test doesn't know: "
        f"add '{name}' to PARAMS in {__name__} (an object each role may open)."
        for route in routes
        for name in route.params
        if name not in PARAMS
    ]


def build_world() -> World:
    library = {
        "bench": ExerciseFactory(
            name="Barbell Bench Press Medium Grip With A Long Name",
            muscle_contributions={"CHEST": 1.0, "FRONT_DELTS": 0.5, "TRICEPS": 0.5},
        ),
        "fly": ExerciseFactory(
            name="Cable Fly", equipment="CABLE", muscle_contributions={"CHEST": 1.0, "FRONT_DELTS": 0.25}
        ),
        "curl": ExerciseFactory(
            name="Dumbbell Curl", equipment="DUMBBELL", muscle_contributions={"ELBOW_FLEXORS": 1.0}
        ),
    }
    lifter = UserFactory(email="phone-lifter@example.com", full_name="Lena Lifter With A Long Surname")
    program = services.program_create(
        user=lifter, name="Upper Lower Four Days A Week", structure_type="WEEKLY"
    )
    session = services.session_create(user=lifter, program=program, name="Upper body heavy", day_of_week=0)
    services.session_exercise_add(
        user=lifter, session=session, exercise=library["bench"], sets=4, reps="6-8", notes="Pause on chest"
    )
    services.session_exercise_add(user=lifter, session=session, exercise=library["curl"], sets=3)
    lower = services.session_create(user=lifter, program=program, name="Lower body", day_of_week=3)
    services.session_exercise_add(user=lifter, session=lower, exercise=library["fly"], sets=3)
    trashed = services.program_create(user=lifter, name="Old plan", structure_type="CYCLIC", frequency=3)
    services.program_delete(user=lifter, program=trashed)

    organization = OrganizationFactory(name="Iron Club Athletics", subscription_tier=OrganizationTier.PRO)
    coach = UserFactory(
        email="phone-coach-with-a-long-address@example.com", full_name="Olga Owner", organization=organization
    )
    member = UserFactory(
        email="phone-member-with-a-long-address@example.com",
        full_name="Mel Member",
        organization=organization,
        role=Role.MEMBER,
    )
    invitation = Invitation.objects.create(
        organization=organization,
        email="invitee-with-a-long-address@example.com",
        role=Role.MEMBER,
        invited_by=coach,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
    custom = ExerciseFactory(
        name="Landmine Press", is_global=False, created_by=coach, muscle_contributions={"FRONT_DELTS": 1.0}
    )
    coach_program = services.program_create(
        user=coach, name="Coach split", structure_type="CYCLIC", frequency=3
    )
    coach_session = services.session_create(user=coach, program=coach_program, name="Day A")
    coach_se = services.session_exercise_add(user=coach, session=coach_session, exercise=custom, sets=3)
    member_program = services.program_create(user=member, name="Mel's Split", structure_type="WEEKLY")
    services.session_create(user=member, program=member_program, name="Full body", day_of_week=2)

    template = TrainingProgram.objects.create(
        user=None, is_template=True, name="Full Body 3x", structure_type="CYCLIC", frequency=3
    )
    workouts = {
        who: log_workouts(
            who, [library["bench"], library["curl"]], session=session if who == lifter else None
        )
        for who in (lifter, coach, member)
    }
    TrainingPreferencesFactory(user=lifter, current_program=program)
    body = {role: _body_things(user) for role, user in (("lifter", lifter), ("coach", coach))}
    body["visitor"] = body["coach"]
    imports = {"lifter": _import_waiting(lifter), "coach": _import_done(coach)}
    imports["visitor"] = imports["coach"]
    exports = {"lifter": _export_ready(lifter), "coach": _export_ready(coach)}
    exports["visitor"] = exports["coach"]
    return World(
        body=body,
        imports=imports,
        exports=exports,
        lifter=lifter,
        coach=coach,
        member=member,
        program=program,
        session=session,
        session_exercise=SessionExercise.objects.filter(session=session).first(),
        member_program=member_program,
        coach_program=coach_program,
        coach_session=coach_session,
        coach_session_exercise=coach_se,
        custom_exercise=custom,
        global_exercise=library["bench"],
        template=template,
        deleted_program=trashed,
        invitation=invitation,
        workout=workouts[lifter],
        coach_workout=workouts[coach],
        member_workout=workouts[member],
        notifications={
            # Each role's own notification (a visitor is sent to log in whichever id it is).
            role: notification_create(
                user=user, kind=NotificationKind.MEMBER_JOINED, title="Mel joined Iron Club"
            )
            for role, user in (("visitor", coach), ("lifter", lifter), ("coach", coach))
        },
    )


IMPORT_FILES = Path(__file__).resolve().parents[2] / "training" / "tests" / "import_files"


def _import_waiting(user: Any) -> Any:
    """A Strong file waiting for review (the unit question and the exercise table)."""
    from training.imports.services import import_prepare

    data = (IMPORT_FILES / "strong.csv").read_bytes()
    return import_prepare(
        user=user, data=data, file_name="strong-export-2020-12-30-with-a-long-file-name.csv", semantic=False
    )


def _import_done(user: Any) -> Any:
    """A Hevy file imported (the counts and Undo)."""
    from training.imports.runner import import_run
    from training.imports.services import MAP, Decision, import_confirm, import_prepare

    data = (IMPORT_FILES / "hevy_kg.csv").read_bytes()
    waiting = import_prepare(user=user, data=data, file_name="hevy_workouts.csv", semantic=False)
    decisions = {e["name"]: Decision(MAP, e["exercise_id"]) for e in waiting.names if e["exercise_id"]}
    import_confirm(user=user, history_import=waiting, decisions=decisions, enqueue=False)
    return import_run(import_id=waiting.pk)


def _export_ready(user: Any) -> Any:
    """A built "Download my data" archive of ``user`` (its page lists it; the download is a ZIP)."""
    from portability.runner import data_export_build
    from portability.services import data_export_request

    export = data_export_request(user=user)
    data_export_build(export_id=export.pk)  # no-op if the queue already built it
    export.refresh_from_db()
    return export


def _body_things(user: Any) -> dict[str, Any]:
    """A body weight, an own measurement with a long name, and a progress photo of ``user``."""
    import io

    from body.photo_services import photo_upload
    from body.tests.factories import MeasurementCategoryFactory, MeasurementFactory
    from body.tests.photos import jpeg_with_exif

    today = timezone.localdate()
    data = jpeg_with_exif(size=(600, 800), orientation=1)
    return {
        "measurement": MeasurementFactory(user=user, measured_on=today),
        "category": MeasurementCategoryFactory(user=user, name="Skinfold at the triceps, left side"),
        "photo": photo_upload(
            user=user, upload=io.BytesIO(data), size=len(data), taken_on=today, pose="FRONT", today=today
        ),
    }


def log_workouts(user: Any, exercises: list[Any], session: Any = None) -> Any:
    """A month of workouts (the latest with long names and notes); returns the latest."""
    now = timezone.now()
    workouts = []
    for i in range(12):
        started = now - timezone.timedelta(days=3 * i + 1)
        long_names = {
            "session": session,
            "session_name": "Upper body heavy with a rather long session name",
            "program_name": "Upper Lower Four Days A Week",
            "notes": "Felt strong; left elbow a little sore on the last set of curls.",
        }
        workouts.append(
            WorkoutLogFactory(
                user=user,
                started_at=started,
                finished_at=started + timezone.timedelta(minutes=70),
                **(long_names if i == 0 else {}),
            )
        )
        for order, exercise in enumerate(exercises * 3):
            SetLogFactory(
                workout_log=workouts[-1],
                exercise=exercise,
                weight_kg=Decimal(100 - i),
                reps=8 + order % 3,
                order_index=order,
                note="Paused every rep on the chest" if order == 0 else "",
            )
    return workouts[0]


MEASURE = """(min) => {
    const small = [];
    const sel = 'button, a.button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), '
              + 'select, textarea, summary, .site-nav a';
    for (const el of document.querySelectorAll(sel)) {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
        if (el.closest('.visually-hidden, .skip-link')) continue;
        const wide = el.matches('button, a.button, .site-nav a');
        if (box.height < min - 0.5 || (wide && box.width < min - 0.5)) {
            const text = (el.innerText || el.getAttribute('aria-label') || el.name || el.id || '').trim();
            small.push(`${el.tagName.toLowerCase()} "${text.slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
    }
    return {width: document.documentElement.scrollWidth, small: small};
}"""


def measure_role(page: Page, base: str, role: str, routes: list[Route], world: World) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for route in routes:
        path = fill(route, _params_for(role, route, world))
        # Ask first (same cookies): a POST-only view (405), JSON or a health check is no page, and
        # navigating to an empty error answer would leave the tab on Chromium's error page.
        probe = page.request.get(f"{base}{path}")
        if probe.status == 405 or "text/html" not in (probe.headers.get("content-type") or ""):
            continue
        assert probe.status < 500, f"{role} {path} answered {probe.status}"
        response = page.goto(f"{base}{path}")
        assert response is not None
        landed = page.url.removeprefix(base)
        where = path if landed == path else f"{path} -> {landed}"
        results[f"{role} {where} ({route.view_name}, {response.status})"] = page.evaluate(MEASURE, MIN_TARGET)
    return results


def login(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/accounts/$"))


def test_every_route_parameter_is_known():
    routes = list(walk_routes(get_resolver().url_patterns))
    assert len(routes) > 20, "the URL walk found almost nothing: it is broken"
    problems = unknown_params(routes)
    assert not problems, "\n".join(problems)


def test_an_unknown_parameter_is_reported():
    from django.urls import path

    def view(request, **kwargs):  # pragma: no cover - never called
        raise AssertionError

    problems = unknown_params(list(walk_routes([path("things/<uuid:gizmo_id>/", view, name="gizmo")])))
    assert len(problems) == 1 and "add 'gizmo_id' to PARAMS" in problems[0]


def test_no_page_scrolls_sideways_at_390px_and_targets_are_tappable(browser, live_server):
    routes = list(walk_routes(get_resolver().url_patterns))
    problems = unknown_params(routes)
    if problems:
        pytest.fail("\n".join(problems))
    world = build_world()
    base = live_server.url
    results: dict[str, Any] = {}
    for role, email in (("visitor", None), ("lifter", world.lifter.email), ("coach", world.coach.email)):
        context = browser.new_context(viewport=PHONE, device_scale_factor=1)
        page = context.new_page()
        if email:
            login(page, base, email)
        results.update(measure_role(page, base, role, routes, world))
        context.close()

    for label, found in results.items():
        print(f"{found['width']:5d} px  {label}")
    assert len(results) > 30, f"only {len(results)} pages were measured: the walk is broken"
    too_wide = {label: found["width"] for label, found in results.items() if found["width"] > PHONE["width"]}
    small = {label: found["small"] for label, found in results.items() if found["small"]}
    assert not too_wide, f"pages wider than {PHONE['width']} px: {too_wide}"
    assert not small, f"controls under {MIN_TARGET} px: {small}"
