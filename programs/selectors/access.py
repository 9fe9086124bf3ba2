"""Programs, sessions, session exercises and templates the requesting user may see.

Tenant isolation lives here: every view resolves a ``program_id``/``session_id``/
``session_exercise_id``/``template_id``/``member_id`` through one of these functions, which raise
``Http404`` for anything the requesting user may not see.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Max, Min, Model, Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import User, Viewer
from accounts.permissions import can_coach
from accounts.selectors import member_get_for_coach
from accounts.tiers import signed_in
from exercises.models import Exercise
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from programs.rules import session_ordering

# --- Programs --------------------------------------------------------------------------------------


# The owner, their organization (read-only check) and their volume preferences come with the
# program in the same query, so the builder and every edit stay within their query budgets.
_PROGRAM_OWNER = ("user__organization", "user__preferences", "user__volume_preference", "assigned_by")

_Row = TypeVar("_Row", bound=Model)


def _owner_related(qs: QuerySet[TrainingProgram]) -> QuerySet[TrainingProgram]:
    return qs.select_related(*_PROGRAM_OWNER)


def _one_or_404(qs: QuerySet[_Row], pk: uuid.UUID | str, message: str) -> _Row:
    """The row ``pk`` of ``qs`` (already scoped to the requesting user); ``Http404`` otherwise.
    (No ORDER BY for one row by its key: ``first()`` would add the model's ordering to build.)"""
    found = next(iter(qs.filter(pk=pk).order_by()[:1]), None)
    if found is None:
        raise Http404(message)
    return found


def program_list_for_user(*, user: User) -> QuerySet[TrainingProgram]:
    """The user's (non-deleted) programs, most recently edited first, with session counts."""
    return (
        TrainingProgram.objects.filter(user=user, is_template=False)
        .select_related("assigned_by")
        .annotate(session_count=Count("sessions", filter=Q(sessions__is_deleted=False)))
        .order_by("-updated_at")
    )


def program_trash_for_user(*, user: User) -> QuerySet[TrainingProgram]:
    """The user's deleted programs (restorable), most recently deleted first."""
    return (
        TrainingProgram.all_objects.filter(user=user, is_template=False, is_deleted=True)
        .annotate(session_count=Count("sessions", filter=Q(sessions__is_deleted=False)))
        .order_by("-deleted_at")
    )


def program_count_active(*, user: User) -> int:
    return TrainingProgram.objects.filter(user=user, is_template=False).count()


def program_count_using_exercise(*, user: Viewer | None, exercise: Exercise) -> int:
    """How many of ``user``'s (non-deleted) programs have a (non-deleted) session using ``exercise``;
    0 for an anonymous visitor. The exercise pages show it through ``{% programs_using_exercise %}``."""
    if not signed_in(user):
        return 0
    return (
        TrainingProgram.objects.filter(
            user=user,
            sessions__is_deleted=False,
            sessions__exercises__is_deleted=False,
            sessions__exercises__exercise=exercise,
        )
        .distinct()
        .count()
    )


def _owned_by(program: TrainingProgram, user: User) -> TrainingProgram:
    """``program.user`` is the signed-in user object itself, which came with its organization and
    preferences in the request's user query (``AUTH_USER_SELECT_RELATED``): the program's query
    need not join and build them again (issue 18)."""
    program.user = user
    return program


def program_get_for_owner(*, user: User, program_id: uuid.UUID | str) -> TrainingProgram:
    """One of ``user``'s own programs (not deleted, not a template); 404 otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such program.")
    program = _one_or_404(
        TrainingProgram.objects.filter(user=user, is_template=False).select_related("assigned_by"),
        program_id,
        "No such program.",
    )
    return _owned_by(program, user)


def program_get_deleted_for_owner(*, user: User, program_id: uuid.UUID | str) -> TrainingProgram:
    """One of ``user``'s deleted programs (for restore); 404 otherwise."""
    return _one_or_404(
        _owner_related(TrainingProgram.all_objects.filter(user=user, is_template=False, is_deleted=True)),
        program_id,
        "No such program in the trash.",
    )


def coach_member_get(*, viewer: User, member_id: uuid.UUID | str) -> Any:
    """A user of the viewer's organization whose programs the viewer may see; else 404.

    Who sees whom is ``accounts.permissions.can_coach``: owners everyone else in the
    organization, coaches the users with the ``member`` role.
    """
    if not getattr(viewer, "is_authenticated", False):
        raise Http404("No such member.")
    return member_get_for_coach(viewer=viewer, member_id=member_id)


def program_list_for_member(*, viewer: User, member: User) -> QuerySet[TrainingProgram]:
    """``member``'s programs when ``viewer`` may see them (``can_coach``); none otherwise."""
    if not can_coach(viewer, member):
        return TrainingProgram.objects.none()
    return program_list_for_user(user=member)


def program_get_for_member(*, viewer: User, member: User, program_id: uuid.UUID | str) -> TrainingProgram:
    """One of ``member``'s programs when ``viewer`` may see them (``can_coach``); 404 otherwise."""
    if not can_coach(viewer, member):
        raise Http404("No such program.")
    return _one_or_404(
        _owner_related(TrainingProgram.objects.filter(user=member, is_template=False)),
        program_id,
        "No such program.",
    )


def program_get_for_viewer(*, user: User, program_id: uuid.UUID | str) -> TrainingProgram:
    """A program the user may look at: their own, or one they may see as coach (``can_coach``)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such program.")
    program = _one_or_404(
        TrainingProgram.objects.filter(is_template=False, user__isnull=False).select_related(
            "user__organization", "assigned_by"
        ),
        program_id,
        "No such program.",
    )
    if program.user_id == user.pk:
        return _owned_by(program, user)
    if can_coach(user, program.user):
        return program
    raise Http404("No such program.")


def session_get_for_owner(
    *,
    user: User,
    session_id: uuid.UUID | str,
    program: TrainingProgram | None = None,
    program_id: uuid.UUID | str | None = None,
) -> WorkoutSession:
    """A (non-deleted) session of one of the user's (non-deleted) programs, of ``program`` /
    ``program_id`` when given (a session id from another program is a 404). The program, its owner,
    organization and preferences come in the same query (``session.program``)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such session.")
    qs = WorkoutSession.objects.filter(
        program__user=user, program__is_template=False, program__is_deleted=False
    )
    if program is not None:
        qs = qs.filter(program=program)
    if program_id is not None:
        qs = qs.filter(program_id=program_id)
    return _one_or_404(
        qs.select_related(*(f"program__{r}" for r in _PROGRAM_OWNER)), session_id, "No such session."
    )


def session_ends(*, session: WorkoutSession) -> tuple[bool, bool]:
    """Whether ``session`` (already resolved through ``session_get_for_owner``) is the first and
    the last of its program's sessions as the builder lists them: by weekday (sessions without one
    last) in a weekly program, by rotation place in a cyclic one. A session's actions page offers
    Move up / Move down as the builder's menu does (one query)."""
    ordering = session_ordering(weekly=session.program.structure_type == StructureType.WEEKLY)
    ids = list(
        WorkoutSession.objects.filter(program_id=session.program_id)
        .order_by(*ordering)
        .values_list("pk", flat=True)
    )
    return (bool(ids) and ids[0] == session.pk, bool(ids) and ids[-1] == session.pk)


def session_get_deleted_for_owner(
    *, user: User, session_id: uuid.UUID | str, program_id: uuid.UUID | str
) -> WorkoutSession:
    """A deleted session of one of the user's programs (for Undo); 404 otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such deleted session.")
    qs = WorkoutSession.all_objects.filter(
        program_id=program_id,
        program__user=user,
        program__is_template=False,
        program__is_deleted=False,
        is_deleted=True,
    )
    return _one_or_404(
        qs.select_related(*(f"program__{r}" for r in _PROGRAM_OWNER)), session_id, "No such deleted session."
    )


def session_exercise_get_for_owner(
    *,
    user: User,
    session_exercise_id: uuid.UUID | str,
    program: TrainingProgram | None = None,
    program_id: uuid.UUID | str | None = None,
) -> SessionExercise:
    """A session exercise in one of the user's programs (of ``program``/``program_id`` when
    given), with its exercise, session, program, owner and preferences in the same query."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such exercise in this program.")
    qs = SessionExercise.objects.filter(
        session__is_deleted=False,
        session__program__user=user,
        session__program__is_template=False,
        session__program__is_deleted=False,
    )
    if program is not None:
        qs = qs.filter(session__program=program)
    if program_id is not None:
        qs = qs.filter(session__program_id=program_id)
    return _one_or_404(
        qs.select_related("exercise", *(f"session__program__{r}" for r in _PROGRAM_OWNER)).defer(
            "exercise__embedding"
        ),
        session_exercise_id,
        "No such exercise in this program.",
    )


def session_exercise_ends(*, session_exercise: SessionExercise) -> tuple[bool, bool]:
    """Whether the row is first and whether it is last of its session's live rows (one query): the
    row's own page offers Move up / Move down only where the row can move."""
    ends = SessionExercise.objects.filter(session_id=session_exercise.session_id).aggregate(
        low=Min("order_index"), high=Max("order_index")
    )
    order = session_exercise.order_index
    return ends["low"] is None or order <= ends["low"], ends["high"] is None or order >= ends["high"]


def program_session_exercises(*, program: TrainingProgram) -> list[SessionExercise]:
    """All (non-deleted) session exercises of the program with their exercises, in order."""
    return list(
        SessionExercise.objects.filter(session__program=program, session__is_deleted=False)
        .select_related("exercise")
        .defer("exercise__embedding")
        .order_by("order_index", "created_at")
    )


def program_with_structure(queryset: QuerySet[TrainingProgram]) -> QuerySet[TrainingProgram]:
    """Prefetch sessions -> session exercises -> exercises in three queries."""
    return queryset.prefetch_related(
        Prefetch(
            "sessions",
            queryset=WorkoutSession.objects.order_by("order_index", "created_at").prefetch_related(
                Prefetch(
                    "exercises",
                    queryset=SessionExercise.objects.select_related("exercise")
                    .defer("exercise__embedding")
                    .order_by("order_index", "created_at"),
                )
            ),
        )
    )


# --- Templates -------------------------------------------------------------------------------------


def template_list() -> QuerySet[TrainingProgram]:
    """Published templates with their session count (one query, joining only the sessions)."""
    return (
        TrainingProgram.objects.filter(is_template=True)
        .annotate(session_count=Count("sessions", filter=Q(sessions__is_deleted=False)))
        .order_by("name")
    )


# Published templates' stamp, in one plain statement (no ORM query to build: the templates list
# runs it on every request and builds its ORM query only when its cards are not cached).
_TEMPLATES_STAMP_SQL = """
SELECT count(*), max(updated_at), coalesce(sum(content_version), 0)
FROM training_programs
WHERE is_template AND NOT is_deleted
"""


def template_list_stamp() -> tuple[Any, ...]:
    """Everything the templates list shows changes this: how many templates there are, the latest
    ``updated_at`` (a template's own columns: any save moves it past every other) and the sum of
    their ``content_version``, which PostgreSQL raises, never lowers, on every write to a template's
    sessions or session exercises and every update of an exercise they use, soft deletes and
    restores included (migration 0005's triggers), whoever writes: the admin, ``seed``, a script.
    The list caches its cards under it."""
    with connection.cursor() as cursor:
        cursor.execute(_TEMPLATES_STAMP_SQL)
        return tuple(cursor.fetchone())


def template_get(*, template_id: uuid.UUID | str) -> TrainingProgram:
    return _one_or_404(TrainingProgram.objects.filter(is_template=True), template_id, "No such template.")
