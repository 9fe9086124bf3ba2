"""Weekly volume reads: one aggregate SQL statement for one or many programs, and the user's
counting rule and landmarks, turned into :class:`programs.volume.ProgramVolume`."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from accounts.models import User, Viewer
from accounts.preferences import CountingRule
from accounts.selectors import user_preferences_for
from accounts.tiers import signed_in
from programs.models import TrainingProgram, VolumePreference
from programs.volume import (
    CONTRIBUTOR_LEVEL,
    MUSCLE_LEVEL,
    SESSION_LEVEL,
    Landmarks,
    ProgramRows,
    ProgramVolume,
    VolumeRow,
    program_volume,
    rows_by_program,
)

# --- Volume ----------------------------------------------------------------------------------------

# The whole volume of one or many programs in ONE statement. For every (non-deleted) session of the
# programs, each (non-deleted) session exercise is expanded over jsonb_each(muscle_contributions);
# sets × contribution is then summed with GROUPING SETS at three levels:
#   (session)                       -> session row (total sets are summed in Python from the
#                                      contributor rows: each session exercise appears there)
#   (session, muscle)               -> fractional and direct sets the session gives the muscle
#   (session, muscle, exercise row) -> the contributors list ("which exercise gives how much")
# Empty sessions still produce a session row thanks to the LEFT JOINs. The programs are the root
# (LEFT JOIN sessions) so that every program, even one with no session, gives its content_version
# (migration 0005) in the same statement, hence the same snapshot, as its rows: a program without
# sessions gives rows whose session id is NULL, which carry only that.
VOLUME_SQL = """
WITH s AS (
    SELECT tp.id AS program_id, tp.content_version, ws.id, ws.name, ws.order_index, ws.day_of_week
    FROM training_programs tp
    LEFT JOIN workout_sessions ws ON ws.program_id = tp.id AND NOT ws.is_deleted
    WHERE tp.id = ANY(%(program_ids)s)
),
c AS (
    SELECT se.session_id, se.id AS se_id, se.order_index AS se_order, se.sets, e.name AS exercise,
           se.exercise_id, e.equipment, se.reps, se.rest_seconds, se.notes, se.created_at AS se_created,
           m.key AS muscle, m.value::float8 AS contribution
    FROM s
    JOIN session_exercises se ON se.session_id = s.id AND NOT se.is_deleted
    JOIN exercises e ON e.id = se.exercise_id
    CROSS JOIN LATERAL jsonb_each(e.muscle_contributions) AS m
)
SELECT s.program_id::text, s.id::text, s.name, s.order_index, s.day_of_week,
       GROUPING(c.muscle, c.se_id) AS level,
       c.muscle, c.se_id::text, MAX(c.exercise) AS exercise, MAX(c.sets) AS sets,
       MAX(c.contribution) AS contribution,
       COALESCE(SUM(c.sets * c.contribution), 0) AS fractional,
       COALESCE(SUM(c.sets) FILTER (WHERE c.contribution = 1), 0)::float8 AS direct,
       MIN(c.se_order) AS se_order,
       -- the session exercise's own columns (one value per se_id), so the builder needs no
       -- second query to list the exercises of every session
       MAX(c.exercise_id::text) AS exercise_id, MAX(c.equipment) AS equipment, MAX(c.reps) AS reps,
       MAX(c.rest_seconds) AS rest_seconds, MAX(c.notes) AS notes, s.content_version
FROM s
LEFT JOIN c ON c.session_id = s.id
GROUP BY GROUPING SETS (
    (s.program_id, s.content_version, s.id, s.name, s.order_index, s.day_of_week),
    (s.program_id, s.content_version, s.id, s.name, s.order_index, s.day_of_week, c.muscle),
    (s.program_id, s.content_version, s.id, s.name, s.order_index, s.day_of_week, c.muscle, c.se_id)
)
ORDER BY s.program_id, s.order_index, s.id, level DESC, se_order, MIN(c.se_created), c.muscle
"""

# GROUPING(c.muscle, c.se_id): bit 1 = muscle aggregated away, bit 0 = se_id aggregated away.
_LEVELS = {3: SESSION_LEVEL, 1: MUSCLE_LEVEL, 0: CONTRIBUTOR_LEVEL}


def program_volume_rows(*, program_ids: Sequence[uuid.UUID | str]) -> list[VolumeRow]:
    """Run the aggregate query for the given programs (one statement, whatever their size)."""
    return program_volume_rows_and_versions(program_ids=program_ids)[0]


def program_volume_rows_and_versions(
    *, program_ids: Sequence[uuid.UUID | str]
) -> tuple[list[VolumeRow], dict[str, int]]:
    """The aggregate query's rows, and each program's ``content_version`` as the same statement saw
    it (so a version read with the rows always names exactly these rows)."""
    ids = [uuid.UUID(str(pid)) for pid in program_ids]
    if not ids:
        return [], {}
    with connection.cursor() as cursor:
        cursor.execute(VOLUME_SQL, {"program_ids": ids})
        raw = cursor.fetchall()
    rows = []
    versions: dict[str, int] = {}
    for (
        program_id,
        session_id,
        name,
        order_index,
        day_of_week,
        level,
        muscle,
        se_id,
        exercise,
        sets,
        contribution,
        fractional,
        direct,
        se_order,
        exercise_id,
        equipment,
        reps,
        rest_seconds,
        notes,
        content_version,
    ) in raw:
        versions[program_id] = content_version
        if session_id is None:
            continue  # a program without sessions: its version only
        kind = _LEVELS.get(level)
        if kind is None or (kind != SESSION_LEVEL and muscle is None):
            continue  # an empty session's (NULL muscle) rows
        rows.append(
            VolumeRow(
                program_id=program_id,
                session_id=session_id,
                session_name=name,
                order_index=order_index,
                day_of_week=day_of_week,
                level=kind,
                muscle=muscle,
                session_exercise_id=se_id,
                exercise=exercise,
                sets=sets,
                contribution=contribution,
                fractional=float(fractional or 0),
                direct=float(direct or 0),
                se_order=se_order,
                exercise_id=exercise_id,
                equipment=equipment,
                reps=reps,
                rest_seconds=rest_seconds,
                notes=notes,
            )
        )
    return rows, versions


@dataclass(frozen=True)
class VolumeSettings:
    counting: str
    landmarks: dict[str, Landmarks]


def volume_preferences_load(user: User) -> None:
    """Read the user's preferences row and volume preference in one query when neither came with
    the user (``select_related("user__preferences", "user__volume_preference")``), so reading both
    costs what reading the volume preference alone did before the counting rule moved."""
    cache = user._state.fields_cache
    if "preferences" in cache or "volume_preference" in cache:
        return
    loaded = User.objects.select_related("preferences", "volume_preference").filter(pk=user.pk).first()
    if loaded is not None:
        cache["preferences"] = loaded._state.fields_cache.get("preferences")
        cache["volume_preference"] = loaded._state.fields_cache.get("volume_preference")


def volume_settings_for(*, user: Viewer | None) -> VolumeSettings:
    """The user's counting rule and landmark overrides (defaults for anonymous users/no row).

    No query when the preferences came with the user through ``select_related``; one otherwise.
    """
    if not signed_in(user):
        return VolumeSettings(counting=CountingRule.FRACTIONAL, landmarks={})
    volume_preferences_load(user)
    counting = user_preferences_for(user=user).counting
    try:
        preference: VolumePreference | None = user.volume_preference
    except VolumePreference.DoesNotExist:
        preference = None
    overrides = preference.landmark_overrides if preference is not None else {}
    return VolumeSettings(
        counting=counting,
        landmarks={
            muscle: Landmarks(
                mv=marks["mv"],
                mev=marks["mev"],
                mav_low=marks["mav_low"],
                mav_high=marks["mav_high"],
                mrv=marks["mrv"],
            )
            for muscle, marks in (overrides or {}).items()
        },
    )


def _loaded_user(program: TrainingProgram, user: Viewer | None) -> Any:
    """The owner as loaded with the program (preferences included) when the viewer is the owner."""
    same = program.user_id is not None and program.user_id == getattr(user, "pk", None)
    if same and "user" in program._state.fields_cache:
        return program.user
    return user


def volume_from_rows(
    *, program: TrainingProgram, program_rows: ProgramRows | None, settings: VolumeSettings
) -> ProgramVolume:
    program_rows = program_rows or ProgramRows()
    return program_volume(
        structure_type=program.structure_type,
        frequency=program.frequency,
        sessions=program_rows.sessions,
        counting=settings.counting,
        landmarks=settings.landmarks,
        contributors=program_rows.contributors,
    )


def program_rows_with_version(*, program: TrainingProgram) -> tuple[ProgramRows, int]:
    """All sessions of the program as the aggregate query saw them (one query), with the program's
    ``content_version`` read in the same statement."""
    rows, versions = program_volume_rows_and_versions(program_ids=[program.pk])
    program_rows = rows_by_program(rows).get(str(program.pk), ProgramRows())
    return program_rows, versions.get(str(program.pk), program.content_version)


def program_volume_settings(*, program: TrainingProgram, user: Viewer | None) -> VolumeSettings:
    """``user``'s volume settings for looking at ``program``: no query when ``user`` owns it and the
    preferences came with the program (``programs.selectors.program_get_for_owner``)."""
    return volume_settings_for(user=_loaded_user(program, user))


def program_volume_with_sessions(
    *, program: TrainingProgram, user: Viewer | None
) -> tuple[ProgramVolume, ProgramRows]:
    """The volume (one query) plus all sessions of the program as the query saw them."""
    program_rows, _ = program_rows_with_version(program=program)
    volume = volume_from_rows(
        program=program,
        program_rows=program_rows,
        settings=program_volume_settings(program=program, user=user),
    )
    return volume, program_rows


def program_volume_for(*, program: TrainingProgram, user: Viewer | None) -> ProgramVolume:
    """The program's weekly volume by ``user``'s counting rule and landmarks: ONE aggregate query
    (plus one for the preferences unless they came with the user via select_related)."""
    return program_volume_with_sessions(program=program, user=user)[0]


def programs_volume_for(
    *, programs: Iterable[TrainingProgram], user: Viewer | None
) -> dict[str, ProgramVolume]:
    """Volumes of many programs (template cards) in one aggregate query."""
    programs = list(programs)
    grouped = rows_by_program(program_volume_rows(program_ids=[p.pk for p in programs]))
    settings = volume_settings_for(user=user)
    return {
        str(p.pk): volume_from_rows(program=p, program_rows=grouped.get(str(p.pk)), settings=settings)
        for p in programs
    }


def volume_preference_for(*, user: User) -> VolumePreference | None:
    return VolumePreference.objects.filter(user=user).first()
