"""Reads of programs, scoped to the requesting user.

Tenant isolation lives here: every view resolves a ``program_id``/``session_id``/
``session_exercise_id``/``template_id``/``member_id`` through one of these functions, which raise
``Http404`` for anything the requesting user may not see.

Split by concept: ``access`` (the scoped look-ups above, templates included) and ``volume`` (the
weekly-volume aggregate query and the user's volume settings). Import from ``programs.selectors``;
the names below are re-exported here.
"""

from __future__ import annotations

from programs.selectors.access import (
    coach_member_get,
    program_count_active,
    program_count_using_exercise,
    program_get_deleted_for_owner,
    program_get_for_member,
    program_get_for_owner,
    program_get_for_viewer,
    program_list_for_member,
    program_list_for_user,
    program_session_exercises,
    program_trash_for_user,
    program_with_structure,
    session_ends,
    session_exercise_ends,
    session_exercise_get_for_owner,
    session_get_deleted_for_owner,
    session_get_for_owner,
    template_get,
    template_list,
    template_list_stamp,
)
from programs.selectors.volume import (
    VOLUME_SQL,
    VolumeSettings,
    program_rows_with_version,
    program_volume_for,
    program_volume_rows,
    program_volume_rows_and_versions,
    program_volume_settings,
    program_volume_with_sessions,
    programs_volume_for,
    volume_from_rows,
    volume_preference_for,
    volume_settings_for,
)

__all__ = [
    "VOLUME_SQL",
    "VolumeSettings",
    "coach_member_get",
    "program_count_active",
    "program_count_using_exercise",
    "program_get_deleted_for_owner",
    "program_get_for_member",
    "program_get_for_owner",
    "program_get_for_viewer",
    "program_list_for_member",
    "program_list_for_user",
    "program_rows_with_version",
    "program_session_exercises",
    "program_trash_for_user",
    "program_volume_for",
    "program_volume_rows",
    "program_volume_rows_and_versions",
    "program_volume_settings",
    "program_volume_with_sessions",
    "program_with_structure",
    "programs_volume_for",
    "session_ends",
    "session_exercise_ends",
    "session_exercise_get_for_owner",
    "session_get_deleted_for_owner",
    "session_get_for_owner",
    "template_get",
    "template_list",
    "template_list_stamp",
    "volume_from_rows",
    "volume_preference_for",
    "volume_settings_for",
]
