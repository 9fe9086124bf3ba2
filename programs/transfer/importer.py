"""Importing a program from export data: every problem listed (with where in the file it is), then
the whole program created in one transaction, or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from accounts.models import User
from accounts.tiers import can_create_custom_exercises
from exercises.domain import (
    Equipment,
    Muscle,
    clean_exercise_name,
    normalise_muscle_key,
    validate_muscle_contributions,
)
from exercises.models import Exercise
from exercises.selectors import exercise_visible_queryset
from exercises.services import CustomExerciseData, exercise_create_custom
from hypertroq.audit import AuditAction, audit_log
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from programs.rules import (
    DESCRIPTION_MAX,
    PRESCRIPTION_FIELDS,
    clean_frequency,
    clean_name,
    clean_prescription,
    session_order_index,
    weekly_frequency,
)
from programs.services import ensure_program_slot, ensure_writable
from programs.services.checks import clean_weekday, weekday_taken_message
from programs.transfer.document import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_IMPORT_EXERCISES_PER_SESSION,
    MAX_SESSIONS,
    ImportProblems,
)


@dataclass
class _PlannedExercise:
    key: str  # lower-case name
    name: str
    equipment: str
    contributions: dict[str, float] | None
    where: str
    values: dict[str, Any]


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {msg}" for field, errs in exc.message_dict.items() for msg in errs]
    return list(exc.messages)


def _check_contributions(raw: Any, where: str, problems: list[str]) -> dict[str, float] | None:
    if not isinstance(raw, dict) or not raw:
        problems.append(f"{where}.muscle_contributions: give the muscles this exercise trains.")
        return None
    contributions: dict[str, float] = {}
    for key, value in raw.items():
        muscle = normalise_muscle_key(str(key))
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{where}.muscle_contributions.{key}: must be 0.25, 0.5, 0.75 or 1.0.")
            continue
        contributions[muscle] = float(value)
    try:
        validate_muscle_contributions(contributions)
    except ValidationError as exc:
        problems.extend(f"{where}.muscle_contributions: {msg}" for msg in exc.messages)
        return None
    return contributions


IMPORTED_SUFFIX = " (imported)"


def imported_name(name: str, limit: int = 100) -> str:
    """The imported program's name, told apart from the original it was exported from (issue 15):
    "Upper Lower" -> "Upper Lower (imported)", shortened to fit 100 characters."""
    if name.endswith(IMPORTED_SUFFIX):
        return name
    room = limit - len(IMPORTED_SUFFIX)
    base = name if len(name) <= room else name[: room - 1].rstrip() + "…"
    return base + IMPORTED_SUFFIX


@transaction.atomic
def program_import(*, user: User, data: Any) -> TrainingProgram:
    """Create the program described by an export document, or raise ImportProblems listing all."""
    ensure_writable(user)
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ImportProblems(["The file must be a JSON object with “version” and “program”."])
    version = data.get("version")
    if "version" not in data:
        problems.append("version: missing (this HypertroQ reads version 1).")
    elif version != FORMAT_VERSION:
        raise ImportProblems(
            [f"version: {version!r} is not supported; this HypertroQ reads version {FORMAT_VERSION}."]
        )
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        problems.append(f"format: expected “{FORMAT_NAME}”.")
    program_data = data.get("program")
    if not isinstance(program_data, dict):
        problems.append("program: missing (the program's name, structure and sessions).")
        raise ImportProblems(problems)

    name = ""
    try:
        name = clean_name(program_data.get("name") if isinstance(program_data.get("name"), str) else None)
    except ValidationError as exc:
        problems.append(f"program.name: {' '.join(exc.messages)}")
    description = program_data.get("description") or ""
    if not isinstance(description, str) or len(description) > DESCRIPTION_MAX:
        problems.append(f"program.description: text of at most {DESCRIPTION_MAX} characters.")
        description = ""
    structure_type = program_data.get("structure_type")
    if structure_type not in StructureType.values:
        problems.append("program.structure_type: WEEKLY or CYCLIC.")
    frequency = 1
    if structure_type == StructureType.CYCLIC:
        try:
            frequency = clean_frequency(program_data.get("frequency"))
        except ValidationError as exc:
            problems.append(f"program.frequency: {' '.join(exc.messages)}")
    sessions_data = program_data.get("sessions")
    if not isinstance(sessions_data, list):
        problems.append("program.sessions: missing (a list of sessions).")
        sessions_data = []
    if len(sessions_data) > MAX_SESSIONS:
        problems.append(f"program.sessions: at most {MAX_SESSIONS} sessions.")
        sessions_data = []

    planned_sessions: list[tuple[str, int | None, list[_PlannedExercise]]] = []
    used_days: set[int] = set()
    for s_index, session_data in enumerate(sessions_data):
        where = f"program.sessions[{s_index}]"
        if not isinstance(session_data, dict):
            problems.append(f"{where}: must be an object with name, day_of_week and exercises.")
            continue
        session_name = ""
        try:
            session_name = clean_name(
                session_data.get("name") if isinstance(session_data.get("name"), str) else None,
                what="Session name",
            )
        except ValidationError as exc:
            problems.append(f"{where}.name: {' '.join(exc.messages)}")
        day: int | None = None
        try:
            day = clean_weekday(str(structure_type), session_data.get("day_of_week"))
        except ValidationError as exc:
            problems.append(f"{where}.day_of_week: {' '.join(exc.messages)}")
        if day is not None:
            if day in used_days:
                problems.append(f"{where}.day_of_week: {weekday_taken_message(day)}")
            used_days.add(day)
        exercises_data = session_data.get("exercises")
        if not isinstance(exercises_data, list):
            problems.append(f"{where}.exercises: missing (a list, possibly empty).")
            exercises_data = []
        if len(exercises_data) > MAX_IMPORT_EXERCISES_PER_SESSION:
            problems.append(f"{where}.exercises: at most {MAX_IMPORT_EXERCISES_PER_SESSION} per session.")
            exercises_data = []
        planned: list[_PlannedExercise] = []
        for e_index, item in enumerate(exercises_data):
            e_where = f"{where}.exercises[{e_index}]"
            if not isinstance(item, dict):
                problems.append(f"{e_where}: must be an object.")
                continue
            exercise = item.get("exercise")
            ex_name = exercise.get("name") if isinstance(exercise, dict) else None
            if not isinstance(ex_name, str) or not ex_name.strip():
                problems.append(f"{e_where}.exercise.name: missing.")
                continue
            missing = [k for k in ("sets",) if k not in item]
            if missing:
                problems.append(f"{e_where}.sets: missing.")
                continue
            try:
                values = clean_prescription({k: item.get(k) for k in PRESCRIPTION_FIELDS})
            except ValidationError as exc:
                problems.extend(f"{e_where}.{msg}" for msg in _messages(exc))
                continue
            assert isinstance(exercise, dict)  # noqa: S101  (narrowing for mypy)
            planned.append(
                _PlannedExercise(
                    key=" ".join(ex_name.split()).lower(),
                    name=" ".join(ex_name.split()),
                    equipment=str(exercise.get("equipment") or ""),
                    contributions=exercise.get("muscle_contributions"),
                    where=f"{e_where}.exercise",
                    values=values,
                )
            )
        planned_sessions.append((session_name, day, planned))

    # Match exercises by name (case-insensitive) against the user's visible library: one query.
    names = {p.key for _, _, items in planned_sessions for p in items}
    library: dict[str, Exercise] = {}
    for exercise in (
        exercise_visible_queryset(user=user).annotate(name_lower=Lower("name")).filter(name_lower__in=names)
    ):
        key = exercise.name.lower()
        # A user's own exercise wins over a library one of the same name.
        if key not in library or not exercise.is_global:
            library[key] = exercise
    unknown: dict[str, _PlannedExercise] = {}
    for _, _, items in planned_sessions:
        for p in items:
            if p.key not in library and p.key not in unknown:
                unknown[p.key] = p
    create_custom = can_create_custom_exercises(user)
    custom_plans: dict[str, tuple[_PlannedExercise, dict[str, float]]] = {}
    for key, p in unknown.items():
        if not create_custom:
            problems.append(
                f"{p.where}: “{p.name}” is not in the exercise library. Custom exercises are a pro "
                "feature: replace it with a library exercise, or upgrade."
            )
            continue
        before = len(problems)
        try:
            clean_exercise_name(p.name)
        except ValidationError as exc:
            problems.append(f"{p.where}.name: {' '.join(exc.messages)}")
        if p.equipment not in Equipment.values:
            problems.append(f"{p.where}.equipment: one of {', '.join(Equipment.values)}.")
        contributions = _check_contributions(p.contributions, p.where, problems)
        if len(problems) == before and contributions is not None:
            custom_plans[key] = (p, contributions)
    if problems:
        raise ImportProblems(problems)

    ensure_program_slot(user)
    for key, (p, contributions) in custom_plans.items():
        library[key] = exercise_create_custom(
            user=user,
            data=CustomExerciseData(
                name=p.name,
                equipment=p.equipment,
                difficulty="INTERMEDIATE",
                muscle_contributions={m: contributions[m] for m in Muscle.values if m in contributions},
                description="Imported with a program.",
            ),
        )
    weekday_count = sum(1 for _, day, _ in planned_sessions if day is not None)
    program = TrainingProgram(
        user=user,
        name=imported_name(name),
        description=description.strip() or None,
        structure_type=str(structure_type),
        frequency=weekly_frequency(weekday_count) if structure_type == StructureType.WEEKLY else frequency,
    )
    program.full_clean(exclude=["user", "assigned_by", "source"])
    program.save()
    sessions = [
        WorkoutSession(
            program=program,
            name=session_name,
            day_of_week=day,
            order_index=session_order_index(day_of_week=day, position=position),
        )
        for position, (session_name, day, _) in enumerate(planned_sessions)
    ]
    WorkoutSession.objects.bulk_create(sessions)
    SessionExercise.objects.bulk_create(
        [
            SessionExercise(session=session, exercise=library[p.key], order_index=order, **p.values)
            for session, (_, _, items) in zip(sessions, planned_sessions, strict=True)
            for order, p in enumerate(items)
        ]
    )
    audit_log(
        action=AuditAction.PROGRAM_IMPORTED,
        actor=user,
        target=program,
        data={"sessions": len(sessions), "exercises": sum(len(items) for _, _, items in planned_sessions)},
    )
    return program
