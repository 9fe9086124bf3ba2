"""Coach writes: the program review (one AI query), applying a fix, generating a program (one AI query).

The pure logic lives in ``coach.review`` and ``coach.generator``; this module reads the
program and library once (``coach.selectors``), counts the AI query (``accounts.quota.ai_query_consume``, the atomic
gate) and writes through the builder's services (``programs.services``), so every builder rule
(ownership, read-only organizations, tier limits, prescription validation) applies unchanged.

Bad input (days, equipment, muscles, someone else's program, a spent quota, the free tier's
program limit) is refused *before* the AI query is counted, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from accounts.quota import AIQuotaExceeded, ai_query_consume, ai_quota_status
from accounts.tiers import READ_ONLY_MESSAGE, is_read_only, max_active_programs
from coach.generator import (
    GeneratedPlan,
    GeneratorInputError,
    GeneratorRequest,
    generate_plan,
    validate_request,
)
from coach.plan import (
    ADD,
    REMOVE,
    SET_REPS,
    SET_REST,
    SET_SETS,
    Change,
    Fix,
)
from coach.review import Finding, review_program
from coach.selectors import (
    exercises_by_id,
    fix_exercise_get,
    fix_session_exercise_get,
    fix_session_get,
    library_for,
    program_snapshot,
    session_has_exercise,
)
from programs import services
from programs.models import StructureType, TrainingProgram
from programs.selectors import program_count_active, volume_settings_for
from programs.volume import ProgramVolume


class StaleFix(ValidationError):
    """The program changed since the review: the fix no longer applies as described."""


# ---------------------------------------------------------------- review


@dataclass(frozen=True)
class ReviewResult:
    program: TrainingProgram
    findings: list[Finding]
    volume: ProgramVolume


def _ensure_own_program(*, user: User, program: TrainingProgram) -> None:
    if program.is_template or program.user_id is None or program.user_id != user.pk:
        raise ValidationError("You can only review your own programs.", code="not_owner")
    if program.is_deleted:
        raise ValidationError("This program is in the trash; restore it first.", code="deleted")


def ensure_ai_quota_left(*, user: User) -> None:
    """Tell the user before anything runs that the month's AI queries are spent."""
    status = ai_quota_status(user=user)
    if status.remaining == 0:
        raise AIQuotaExceeded(status.spent_message, code="ai_quota_exceeded")


@transaction.atomic
def program_review_run(*, user: User, program: TrainingProgram) -> ReviewResult:
    """Review ``program`` for its owner; counts ONE AI query (rolled back if the review fails)."""
    _ensure_own_program(user=user, program=program)
    ensure_ai_quota_left(user=user)
    ai_query_consume(user=user)
    snapshot, volume = program_snapshot(program=program, user=user)
    findings = review_program(snapshot, volume, library_for(user=user))
    return ReviewResult(program=program, findings=findings, volume=volume)


# ---------------------------------------------------------------- applying a fix


def _stale(reason: str) -> StaleFix:
    return StaleFix(
        f"This suggestion no longer fits your program: {reason}. Nothing was changed; run the review "
        "again for up-to-date suggestions.",
        code="stale_fix",
    )


def _apply_change(*, user: User, program: TrainingProgram, change: Change) -> None:
    if change.kind == ADD:
        session = fix_session_get(program=program, session_id=change.session_id)
        if session is None:
            raise _stale("the session it adds to is gone")
        exercise = fix_exercise_get(user=user, exercise_id=change.exercise_id)
        if exercise is None:
            raise _stale("the exercise it adds is no longer in your library")
        if session_has_exercise(session=session, exercise=exercise):
            raise _stale(f"{exercise.name} is already in {session.name}")
        services.session_exercise_add(
            user=user,
            session=session,
            exercise=exercise,
            sets=int(change.sets or 0),
            reps=change.reps,
            rest_seconds=change.rest_seconds,
        )
        return
    se = fix_session_exercise_get(program=program, session_exercise_id=change.session_exercise_id)
    if se is None:
        raise _stale("an exercise it changes is no longer in the program")
    where = f"{se.exercise.name} in {se.session.name}"
    if change.kind in (SET_SETS, REMOVE):
        if se.sets != change.expected:
            raise _stale(f"{where} now has {se.sets} sets, not {change.expected}")
        if change.kind == REMOVE:
            services.session_exercise_remove(user=user, session_exercise=se)
        else:
            services.session_exercise_update(user=user, session_exercise=se, sets=change.sets)
    elif change.kind == SET_REST:
        if se.rest_seconds != change.expected:
            raise _stale(f"the rest after {where} changed")
        services.session_exercise_update(user=user, session_exercise=se, rest_seconds=change.rest_seconds)
    elif change.kind == SET_REPS:
        if se.reps != change.expected:
            raise _stale(f"the reps of {where} changed")
        services.session_exercise_update(user=user, session_exercise=se, reps=change.reps)
    else:  # pragma: no cover - Change.from_dict refuses other kinds
        raise _stale("it is of an unknown kind")


@transaction.atomic
def review_fix_apply(*, user: User, program: TrainingProgram, fix: Fix) -> TrainingProgram:
    """Apply every step of ``fix`` through the builder's services, all or nothing.

    Each step re-checks that the program still looks as the review saw it (the same sets, rest or
    reps; the session and exercise still there); otherwise :class:`StaleFix` with a clear message,
    and nothing changes. No AI query: the review already counted one.
    """
    _ensure_own_program(user=user, program=program)
    if is_read_only(user):
        raise ValidationError(READ_ONLY_MESSAGE, code="read_only")
    if not fix.changes:
        raise ValidationError("This suggestion has nothing to apply.", code="empty_fix")
    for change in fix.changes:
        _apply_change(user=user, program=program, change=change)
    return program


# ---------------------------------------------------------------- generator


@dataclass(frozen=True)
class GenerationResult:
    program: TrainingProgram
    plan: GeneratedPlan


def _ensure_program_slot(*, user: User, replaces: TrainingProgram | None) -> None:
    limit = max_active_programs(user)
    if limit is None:
        return
    active = program_count_active(user=user) - (1 if replaces is not None else 0)
    if active >= limit:
        raise ValidationError(services.program_limit_message(limit), code="program_limit")


def program_generate(
    *,
    user: User,
    days: object,
    structure_type: object,
    equipment: Iterable[object] | None,
    priority_muscles: Iterable[object] | None = (),
    session_set_limit: object = None,
    seed: object = 0,
    fittings: Iterable[object] | None = None,
    replaces: TrainingProgram | None = None,
) -> GenerationResult:
    """Build a program for ``user`` (ONE AI query) and save it through the builder's services.

    Everything that can be refused is checked first (input, read-only organization, tier limit,
    quota) so a refused request counts no query and changes nothing. ``replaces`` (the user's
    earlier generated program, for "Regenerate") goes to the trash in the same transaction, so a
    free user at the program limit can still ask for another variation.
    """
    try:
        request = validate_request(
            days=days,
            structure_type=structure_type,
            equipment=equipment,
            priority_muscles=priority_muscles,
            session_set_limit=session_set_limit,
            seed=seed,
            fittings=fittings,
        )
    except GeneratorInputError as exc:
        raise ValidationError({field: [message] for field, message in exc.errors.items()}) from exc
    if is_read_only(user):
        raise ValidationError(READ_ONLY_MESSAGE, code="read_only")
    if replaces is not None:
        _ensure_own_program(user=user, program=replaces)
    _ensure_program_slot(user=user, replaces=replaces)
    ensure_ai_quota_left(user=user)
    return _program_generate(user=user, request=request, replaces=replaces)


@transaction.atomic
def _program_generate(
    *, user: User, request: GeneratorRequest, replaces: TrainingProgram | None
) -> GenerationResult:
    ai_query_consume(user=user)
    settings = volume_settings_for(user=user)
    plan = generate_plan(
        request, library_for(user=user), counting=settings.counting, landmarks=settings.landmarks
    )
    if replaces is not None:
        services.program_delete(user=user, program=replaces)
    program = services.program_create(
        user=user,
        name=plan.name,
        description=plan.description,
        structure_type=plan.structure_type,
        frequency=plan.frequency if plan.structure_type == StructureType.CYCLIC else None,
    )
    exercises = exercises_by_id({item.exercise.id for s in plan.sessions for item in s.exercises})
    for planned in plan.sessions:
        session = services.session_create(
            user=user, program=program, name=planned.name, day_of_week=planned.day_of_week
        )
        session.program = program
        for item in planned.exercises:
            services.session_exercise_add(
                user=user,
                session=session,
                exercise=exercises[item.exercise.id],
                sets=item.sets,
                reps=item.reps,
                rest_seconds=item.rest_seconds,
            )
    program.refresh_from_db()
    return GenerationResult(program=program, plan=plan)
