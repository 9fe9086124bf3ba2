"""Tenant isolation: every URL that takes an object id answers 404 for another tenant's objects.

The test walks the project's whole URL resolver. Each ``<uuid:...>`` kwarg is filled from the
mapping ``KWARG_OBJECTS`` with objects that belong to tenant B (another organization), while user
A (an organization owner, so role checks can't hide a missing scope) is logged in. GET and POST
must both answer 404; 405 is accepted only as a method mismatch, and at least one method has to
reach the view and answer 404. With several ids in one URL, it also tries A's own ids with one of
B's, so "the program is mine but the session is not" is caught too.

A new view with an id kwarg this file doesn't know fails the test: add a mapping below.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import UUIDConverter

from accounts.models import Invitation, OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from notifications.models import NotificationKind
from notifications.services import notification_create
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory
from training.imports.models import HistoryImport, ImportStatus
from training.imports.services import import_prepare
from training.services import workout_start
from training.tests.factories import SetLogFactory

# Staff-only (Django admin uses its own ``<path:object_id>`` and permission checks).
SKIPPED_NAMESPACES = {"admin"}


@dataclass
class Tenant:
    """One organization's objects: an owner, a member, a program with a session and an exercise
    in it, a custom exercise, an open invitation and a workout of the owner's (from that session)
    with one set."""

    owner: Any
    member: Any
    program: Any
    session: Any
    session_exercise: Any
    custom_exercise: Any
    invitation: Any
    workout: Any
    entry: Any
    set_log: Any
    notification: Any
    history_import: Any = None


def make_tenant(label: str) -> Tenant:
    import datetime as dt

    from django.utils import timezone

    organization = OrganizationFactory(name=f"Tenant {label}", subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=organization, role=Role.OWNER, email=f"owner-{label}@example.com")
    member = UserFactory(organization=organization, role=Role.MEMBER, email=f"member-{label}@example.com")
    custom = ExerciseFactory(is_global=False, created_by=owner, name=f"Custom press {label}")
    session_exercise = SessionExerciseFactory(
        session__program__user=owner, session__program__name=f"Program {label}", exercise=custom
    )
    session = session_exercise.session
    invitation = Invitation.objects.create(
        organization=organization,
        email=f"invitee-{label}@example.com",
        role=Role.MEMBER,
        invited_by=owner,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    workout = workout_start(user=owner, session=session)
    entry = workout.exercises.get()
    set_log = SetLogFactory(workout_log=workout, workout_exercise=entry, exercise=custom)
    return Tenant(
        owner=owner,
        member=member,
        program=session.program,
        session=session,
        session_exercise=session_exercise,
        custom_exercise=custom,
        invitation=invitation,
        workout=workout,
        entry=entry,
        set_log=set_log,
        notification=notification_create(
            user=owner, kind=NotificationKind.MEMBER_JOINED, title=f"Someone joined {label}"
        ),
        history_import=_history_import(owner),
    )


def _history_import(owner: Any) -> Any:
    """An import of the owner's waiting for review (confirm would queue it)."""
    data = b"title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe\n"
    data += b'"Push","13 Mar 2026, 15:22","13 Mar 2026, 16:30","","Pull-Up",,"",0,normal,0,8,,,\n'
    return import_prepare(user=owner, data=data, file_name="hevy.csv", semantic=False)


def _undone_import(tenant: Tenant) -> Any:
    """A finished import of the tenant's (undo would remove its workouts)."""
    history_import = _history_import(tenant.owner)
    HistoryImport.objects.filter(pk=history_import.pk).update(status=ImportStatus.DONE)
    history_import.refresh_from_db()
    return history_import


def _deleted_template() -> Any:
    template = TrainingProgramFactory(user=None, is_template=True, name="Retired template")
    template.mark_deleted()
    template.save()
    return template


def _measurements(tenant: Tenant) -> list[Any]:
    """The owner's body weight of a day, and one in the trash (Undo looks those up)."""
    from body.tests.factories import MeasurementFactory

    alive = MeasurementFactory(user=tenant.owner)
    trashed = MeasurementFactory(user=tenant.owner)
    trashed.mark_deleted()
    trashed.save()
    return [alive, trashed]


def _category(tenant: Tenant) -> list[Any]:
    from body.tests.factories import MeasurementCategoryFactory

    return [MeasurementCategoryFactory(user=tenant.owner)]


def _photo(tenant: Tenant) -> list[Any]:
    """A progress photo of the owner's; they share photos with their coach (A is no coach of B's)."""
    import io

    from body.photo_services import photo_upload
    from body.services import sharing_update
    from body.tests.photos import jpeg_with_exif

    data = jpeg_with_exif()
    sharing_update(user=tenant.owner, photos_with_coach=True)
    day = dt.date(2026, 6, 1)
    photo = photo_upload(
        user=tenant.owner, upload=io.BytesIO(data), size=len(data), taken_on=day, pose="FRONT", today=day
    )
    return [photo]


def _data_exports(tenant: Tenant) -> list[Any]:
    """The owner's data exports: one built (its file on disk) and one still being prepared."""
    from portability.models import DataExport
    from portability.runner import data_export_build
    from portability.services import data_export_request

    built = data_export_request(user=tenant.owner)
    data_export_build(export_id=built.pk)
    built.refresh_from_db()
    pending = DataExport.objects.create(user=tenant.member)
    return [built, pending]


def _deleted_program(tenant: Tenant) -> Any:
    """One of the tenant's programs in the trash (restore/trash views look those up)."""
    program = TrainingProgramFactory(user=tenant.owner, name=f"Trashed {tenant.owner.email}")
    program.mark_deleted()
    program.save()
    return program


# kwarg name -> how to pick tenant B's objects for it (a list: each candidate is tried).
# template_id: a deleted template and B's (non-template) program must both be unreachable.
KWARG_OBJECTS: dict[str, Callable[[Tenant], list[Any]]] = {
    "program_id": lambda t: [t.program, _deleted_program(t)],
    "session_id": lambda t: [t.session],
    "session_exercise_id": lambda t: [t.session_exercise],
    "exercise_id": lambda t: [t.custom_exercise],
    "member_id": lambda t: [t.member],
    "invitation_id": lambda t: [t.invitation],
    "template_id": lambda t: [_deleted_template(), t.program],
    "workout_id": lambda t: [t.workout],
    "entry_id": lambda t: [t.entry],
    "set_id": lambda t: [t.set_log],
    "notification_id": lambda t: [t.notification],
    "measurement_id": _measurements,
    "category_id": _category,
    "photo_id": _photo,
    "import_id": lambda t: [t.history_import, _undone_import(t)],
    "export_id": _data_exports,
}

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass
class IdRoute:
    view_name: str
    route: str
    uuid_kwargs: list[str]


def walk_id_routes(
    patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()
) -> Iterator[IdRoute]:
    """Every URL pattern (outside SKIPPED_NAMESPACES) with at least one ``<uuid:...>`` kwarg."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            spaces = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            if SKIPPED_NAMESPACES.intersection(spaces):
                continue
            yield from walk_id_routes(pattern.url_patterns, prefix + str(pattern.pattern), spaces)
        elif isinstance(pattern, URLPattern):
            converters = {**getattr(pattern.pattern, "converters", {})}
            route = prefix + str(pattern.pattern)
            uuid_kwargs = [name for name, conv in converters.items() if isinstance(conv, UUIDConverter)]
            uuid_kwargs += [  # converters of enclosing include()s
                m.group("name")
                for m in _ROUTE_PARAM.finditer(prefix)
                if m.group("converter") == "uuid" and m.group("name") not in uuid_kwargs
            ]
            if uuid_kwargs:
                view_name = ":".join((*namespaces, pattern.name or "<unnamed>"))
                yield IdRoute(view_name=view_name, route=route, uuid_kwargs=uuid_kwargs)


def route_problems(routes: list[IdRoute]) -> list[str]:
    problems = []
    for route in routes:
        for kwarg in route.uuid_kwargs:
            if kwarg not in KWARG_OBJECTS:
                problems.append(
                    f"{route.view_name} ({route.route}) takes <uuid:{kwarg}>, which the tenant-isolation "
                    f"test doesn't know: add '{kwarg}' to KWARG_OBJECTS in {__name__} (a factory for "
                    "another tenant's object), or use one of the agreed kwarg names "
                    f"{sorted(KWARG_OBJECTS)}."
                )
    return problems


def _fill(route: str, values: dict[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        return str(values[name].pk) if name in values else "x"

    return "/" + _ROUTE_PARAM.sub(replace, route)


def _combinations(
    route: IdRoute, a: dict[str, list[Any]], b: dict[str, list[Any]]
) -> Iterator[dict[str, Any]]:
    """All of B's ids; and, with several ids, A's ids with exactly one of B's."""
    for kwarg in route.uuid_kwargs:
        for candidate in b[kwarg]:
            values = {k: b[k][0] for k in route.uuid_kwargs if k != kwarg}
            values[kwarg] = candidate
            yield values
            if len(route.uuid_kwargs) > 1:
                own = {k: a[k][0] for k in route.uuid_kwargs if k != kwarg}
                yield {**own, kwarg: candidate}


def test_every_id_kwarg_in_the_project_has_a_mapping():
    routes = list(walk_id_routes(get_resolver().url_patterns))
    assert routes, "no URL with a <uuid:...> kwarg found: the walk is broken"
    problems = route_problems(routes)
    assert not problems, "\n".join(problems)


def test_an_unknown_kwarg_name_is_reported():
    from django.urls import path

    def view(request, **kwargs):  # pragma: no cover - never called
        raise AssertionError

    fake = [path("things/<uuid:gizmo_id>/", view, name="gizmo")]
    problems = route_problems(list(walk_id_routes(fake)))
    assert len(problems) == 1
    assert "add 'gizmo_id' to KWARG_OBJECTS" in problems[0]


@pytest.mark.django_db
def test_another_tenants_ids_answer_404_everywhere(client):
    routes = list(walk_id_routes(get_resolver().url_patterns))
    problems = route_problems(routes)
    if problems:
        pytest.fail("\n".join(problems))
    a = make_tenant("a")
    b = make_tenant("b")
    a_objects = {kwarg: pick(a) for kwarg, pick in KWARG_OBJECTS.items()}
    b_objects = {kwarg: pick(b) for kwarg, pick in KWARG_OBJECTS.items()}
    client.force_login(a.owner)

    failures: list[str] = []
    checked = 0
    for route in routes:
        for values in _combinations(route, a_objects, b_objects):
            url = _fill(route.route, values)
            statuses = {}
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                statuses[method] = response.status_code
                if response.status_code not in (404, 405):
                    where = response.get("Location", "")
                    failures.append(
                        f"{method.upper()} {url} ({route.view_name}) answered {response.status_code} {where}".rstrip()
                    )
            if 404 not in statuses.values():
                failures.append(f"{url} ({route.view_name}) never reached a scoped lookup: {statuses}")
            checked += 1
    assert checked >= len(routes)
    assert not failures, "Another tenant's object was reachable:\n" + "\n".join(failures)

    # Nothing of B's changed through A's requests.
    b.program.refresh_from_db()
    b.member.refresh_from_db()
    b.invitation.refresh_from_db()
    assert not b.program.is_deleted
    assert b.member.organization_id == b.owner.organization_id and b.member.role == Role.MEMBER
    assert b.invitation.revoked_at is None
    b.workout.refresh_from_db()
    b.entry.refresh_from_db()
    assert not b.workout.is_deleted and b.workout.finished_at is None
    assert b.workout.sets.count() == 1 and not b.entry.skipped
    b.set_log.refresh_from_db()
    assert not b.set_log.is_deleted and b.set_log.reps == 10
    from body.models import Measurement, MeasurementCategory

    assert Measurement.objects.filter(user=b.owner).count() == 1
    assert MeasurementCategory.objects.filter(user=b.owner).count() == 1
    from body.models import ProgressPhoto

    assert ProgressPhoto.objects.filter(user=b.owner).count() == 1
    assert set(HistoryImport.objects.filter(user=b.owner).values_list("status", flat=True)) == {
        ImportStatus.REVIEW,
        ImportStatus.DONE,
    }
