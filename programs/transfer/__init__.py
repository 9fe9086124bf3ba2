"""Program export and import (format documented in programs/EXPORT_FORMAT.md).

Import either creates the whole program or nothing: the file is checked completely first and every
problem is listed (with where in the file it is), then everything is created in one transaction.
"""

from programs.transfer.document import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_EXERCISES_PER_SESSION,
    MAX_SESSIONS,
    ImportProblems,
    parse_import_text,
)
from programs.transfer.export import program_export_data
from programs.transfer.importer import IMPORTED_SUFFIX, imported_name, program_import

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "IMPORTED_SUFFIX",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_EXERCISES_PER_SESSION",
    "MAX_SESSIONS",
    "ImportProblems",
    "imported_name",
    "parse_import_text",
    "program_export_data",
    "program_import",
]
