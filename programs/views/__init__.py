"""Program pages (split by concept: programs, builder, data in/out, members' programs)."""

from programs.views.builder import (
    program_detail,
    program_update,
    session_add,
    session_delete,
    session_move,
    session_picker,
    session_restore,
    session_update,
)
from programs.views.builder_rows import (
    session_exercise_add,
    session_exercise_edit,
    session_exercise_move,
    session_exercise_remove,
    session_exercise_substitutes,
    session_exercise_swap,
    session_exercise_update,
)
from programs.views.data import export_json, program_import_view, program_print, volume_json, volume_muscle
from programs.views.guide import volume_guide
from programs.views.members import member_program, member_programs, program_give
from programs.views.programs import (
    preferences,
    program_create,
    program_delete,
    program_duplicate,
    program_list,
    program_restore,
    program_trash,
    template_detail,
    template_list_view,
    template_use,
)

__all__ = [
    "export_json",
    "member_program",
    "member_programs",
    "preferences",
    "program_create",
    "program_delete",
    "program_detail",
    "program_duplicate",
    "program_give",
    "program_import_view",
    "program_list",
    "program_print",
    "program_restore",
    "program_trash",
    "program_update",
    "session_add",
    "session_delete",
    "session_exercise_add",
    "session_exercise_edit",
    "session_exercise_move",
    "session_exercise_remove",
    "session_exercise_substitutes",
    "session_exercise_swap",
    "session_exercise_update",
    "session_move",
    "session_picker",
    "session_restore",
    "session_update",
    "template_detail",
    "template_list_view",
    "template_use",
    "volume_guide",
    "volume_json",
    "volume_muscle",
]
