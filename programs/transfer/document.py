"""The export file as text: its format name and version, the limits on its size, and reading it
(``parse_import_text``) into data, or ImportProblems."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.core.exceptions import ValidationError

FORMAT_NAME = "hypertroq-program"
FORMAT_VERSION = 1
MAX_IMPORT_BYTES = 1024 * 1024  # 1 MB
# Bounds on the file's size, not building rules: a real export is far smaller.
MAX_SESSIONS = 14
MAX_IMPORT_EXERCISES_PER_SESSION = 30


class ImportProblems(ValidationError):
    """The file cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


def parse_import_text(text: str | bytes) -> Any:
    """JSON text -> data, or ImportProblems (too big, not UTF-8, invalid JSON, nested too deeply,
    a NUL character anywhere)."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportProblems(["The file is larger than 1 MB; a program export is far smaller."])
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportProblems(["The file is not UTF-8 text."]) from exc
    if not decoded.strip():
        raise ImportProblems(["The file is empty."])
    try:
        data = json.loads(decoded, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        raise ImportProblems([f"Invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."]) from exc
    except RecursionError as exc:  # e.g. 100 000 "[": the parser's stack runs out
        raise ImportProblems(["The JSON is nested far too deeply to be a program export."]) from exc
    except _NotFinite as exc:
        raise ImportProblems([f"The file holds the number {exc}, which no program value can be."]) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's conversion limit)
        raise ImportProblems(["The file holds a number far too long to be a program value."]) from exc
    problem = _bad_text(data)
    if problem:
        raise ImportProblems([problem])
    return data


class _NotFinite(ValueError):
    """NaN, Infinity, -Infinity, or a number too large for a float (1e400)."""


def _refuse_constant(name: str) -> Any:
    raise _NotFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotFinite(text[:40])
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _bad_text(data: Any) -> str:
    """Why some string (key or value) can't be stored, or "": U+0000 (PostgreSQL text can't hold
    it) or a lone surrogate such as "\\ud800" (valid in JSON escapes, not in UTF-8)."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return "The file contains a NUL character (\\u0000), which no program text can hold."
            if _SURROGATE.search(value):
                return (
                    "The file contains a lone surrogate escape (such as \\ud800), which is not a "
                    "character: no program text can hold it."
                )
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return ""
