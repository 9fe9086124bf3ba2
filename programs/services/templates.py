"""Templates: staff content loaded from a file (``template_upsert``) and "Use this template"."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower

from accounts.models import User
from exercises.models import Exercise
from programs.models import SessionExercise, StructureType, TrainingProgram, WorkoutSession
from programs.services.programs import program_copy


@dataclass(frozen=True)
class TemplateExerciseData:
    exercise: str
    sets: int
    reps: str | None = None
    rest_seconds: int | None = None
    notes: str | None = None


@dataclass(frozen=True)
class TemplateSessionData:
    name: str
    day_of_week: int | None = None
    exercises: tuple[TemplateExerciseData, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class TemplateData:
    name: str
    description: str
    structure_type: str
    frequency: int
    sessions: tuple[TemplateSessionData, ...]


def _template_shape(program: TrainingProgram) -> TemplateData:
    sessions = []
    for session in program.sessions.order_by("order_index"):
        sessions.append(
            TemplateSessionData(
                name=session.name,
                day_of_week=session.day_of_week,
                exercises=tuple(
                    TemplateExerciseData(
                        exercise=se.exercise.name,
                        sets=se.sets,
                        reps=se.reps,
                        rest_seconds=se.rest_seconds,
                        notes=se.notes,
                    )
                    for se in session.exercises.select_related("exercise").order_by("order_index")
                ),
            )
        )
    return TemplateData(
        name=program.name,
        description=program.description or "",
        structure_type=program.structure_type,
        frequency=program.frequency,
        sessions=tuple(sessions),
    )


@transaction.atomic
def template_upsert(*, data: TemplateData) -> tuple[TrainingProgram, str]:
    """Create or update the template named ``data.name`` so that it matches ``data`` exactly.

    Exercises are global library exercises found by name. Returns ``(template, outcome)`` with
    outcome ``"created"``, ``"updated"`` or ``"unchanged"``; an unchanged template is not touched.
    """
    names = {ex.exercise.lower() for s in data.sessions for ex in s.exercises}
    library = {
        e.name.lower(): e
        for e in Exercise.objects.filter(is_global=True)
        .annotate(name_lower=Lower("name"))
        .filter(name_lower__in=names)
        .defer("embedding")
    }
    missing = sorted(names - library.keys())
    if missing:
        raise ValidationError(
            f"Template “{data.name}” uses exercises not in the library: {', '.join(missing)}."
        )
    StructureType(data.structure_type)

    program = TrainingProgram.objects.filter(is_template=True, name=data.name).first()
    outcome = "created"
    if program is not None:
        if _template_shape(program) == data:
            return program, "unchanged"
        outcome = "updated"
        # Templates are staff content, not user data: their structure is rebuilt from the file.
        WorkoutSession.all_objects.filter(program=program).delete()
        program.description = data.description
        program.structure_type = data.structure_type
        program.frequency = data.frequency
        program.full_clean()
        program.save(update_fields=["description", "structure_type", "frequency", "updated_at"])
    else:
        program = TrainingProgram(
            name=data.name,
            description=data.description,
            structure_type=data.structure_type,
            frequency=data.frequency,
            is_template=True,
            user=None,
        )
        program.full_clean()
        program.save()
    for order, session_data in enumerate(data.sessions):
        session = WorkoutSession(
            program=program,
            name=session_data.name,
            order_index=order,
            day_of_week=session_data.day_of_week if data.structure_type == StructureType.WEEKLY else None,
        )
        session.full_clean()
        session.save()
        rows = []
        for ex_order, ex in enumerate(session_data.exercises):
            row = SessionExercise(
                session=session,
                exercise=library[ex.exercise.lower()],
                order_index=ex_order,
                sets=ex.sets,
                reps=ex.reps,
                rest_seconds=ex.rest_seconds,
                notes=ex.notes,
            )
            row.full_clean()
            rows.append(row)
        SessionExercise.objects.bulk_create(rows)
    return program, outcome


def template_use(*, user: User, template: TrainingProgram) -> TrainingProgram:
    """ "Use this template": a deep copy in the user's programs (tier limit applies)."""
    if not template.is_template:
        raise ValidationError("That is not a template.")
    return program_copy(program=template, to_user=user, name=template.name)
