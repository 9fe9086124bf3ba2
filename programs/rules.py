"""The program-building rules, each defined once (DOMAIN.md "Prescription rules").

Pure constants and cleaners, no database: the models' validators and check constraints, the
forms, the builder's HTML inputs, the services, program import and the coach all import them from
here, so a limit changes in one place. Cleaners return the normalised value or raise
``ValidationError`` with the message a user reads.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

# Names of programs and sessions.
NAME_MIN = 3
NAME_MAX = 100
DESCRIPTION_MAX = 2000

# A session exercise's prescription.
MIN_SETS = 1
MAX_SETS = 20
MAX_REPS = 100
REPS_INPUT_MAX = 20  # characters a reps input takes ("8-12", " AMRAP ")
MAX_REST_SECONDS = 900
MAX_NOTES = 500
# What the database accepts in ``reps`` (the check constraint); ``clean_reps`` normalises to it.
REPS_PATTERN = r"^(AMRAP|[0-9]{1,3}(-[0-9]{1,3})?)$"
PRESCRIPTION_FIELDS = ("sets", "reps", "rest_seconds", "notes")

# Training days a week.
MIN_FREQUENCY = 1
MAX_FREQUENCY = 7

SETS_MESSAGE = f"Sets are {MIN_SETS} to {MAX_SETS}."
SETS_MAX_MESSAGE = f"At most {MAX_SETS} sets."
REPS_FORMAT_MESSAGE = "Reps are a number, a range like 8-12, or AMRAP."
REPS_RANGE_MESSAGE = f"Reps are between 1 and {MAX_REPS}."
REST_MESSAGE = f"Rest is 0 to {MAX_REST_SECONDS} seconds."
NOTES_MESSAGE = f"Notes are at most {MAX_NOTES} characters."
FREQUENCY_MESSAGE = f"A cyclic program trains {MIN_FREQUENCY} to {MAX_FREQUENCY} days a week."
WHOLE_NUMBER_MESSAGE = "Enter a whole number."

_REPS_RE = re.compile(r"^(?:(\d{1,3})(?:-(\d{1,3}))?|AMRAP)$")


def clean_name(value: str | None, *, what: str = "Name") -> str:
    """Spaces collapsed; ``NAME_MIN`` to ``NAME_MAX`` characters."""
    name = " ".join((value or "").split())
    if len(name) < NAME_MIN or len(name) > NAME_MAX:
        raise ValidationError(f"{what} must be {NAME_MIN} to {NAME_MAX} characters.", code="name_length")
    return name


def _whole_number(value: Any) -> int:
    """``int`` of a whole number given as int, numeric text or a float without fraction."""
    if isinstance(value, bool):
        raise ValidationError(WHOLE_NUMBER_MESSAGE, code="invalid")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(WHOLE_NUMBER_MESSAGE, code="invalid")
        return int(value)
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError) as exc:  # "abc", [1], Decimal("Infinity")
        raise ValidationError(WHOLE_NUMBER_MESSAGE, code="invalid") from exc


def clean_sets(value: Any) -> int:
    number = _whole_number(value)
    if not MIN_SETS <= number <= MAX_SETS:
        raise ValidationError(SETS_MESSAGE, code="sets_range")
    return number


def clean_reps(value: str | None) -> str | None:
    """``N``, ``N-M`` (1 ≤ N ≤ M ≤ 100) or ``AMRAP``; blank means none. Spaces are ignored."""
    if value is None:
        return None
    text = re.sub(r"\s+", "", str(value)).upper()
    text = text.replace("–", "-").replace("—", "-")
    if not text:
        return None
    match = _REPS_RE.match(text)
    if not match:
        raise ValidationError(REPS_FORMAT_MESSAGE, code="reps_format")
    if text == "AMRAP":
        return text
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) else low
    if not (1 <= low <= MAX_REPS and 1 <= high <= MAX_REPS):
        raise ValidationError(REPS_RANGE_MESSAGE, code="reps_range")
    if low > high:
        raise ValidationError(
            f"A rep range goes from low to high: {high}-{low}, not {low}-{high}.", code="reps_order"
        )
    return f"{low}-{high}" if match.group(2) else str(low)


def clean_rest_seconds(value: Any) -> int | None:
    if value is None or value == "":
        return None
    number = _whole_number(value)
    if not 0 <= number <= MAX_REST_SECONDS:
        raise ValidationError(REST_MESSAGE, code="rest_range")
    return number


def clean_notes(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationError("Notes are text.", code="invalid")
    text = (value or "").strip()
    if len(text) > MAX_NOTES:
        raise ValidationError(NOTES_MESSAGE, code="notes_length")
    return text or None


_CLEANERS = {
    "sets": clean_sets,
    "reps": clean_reps,
    "rest_seconds": clean_rest_seconds,
    "notes": clean_notes,
}


def clean_prescription(values: dict[str, Any]) -> dict[str, Any]:
    """Normalise and validate the given sets/reps/rest_seconds/notes; one field-keyed
    ``ValidationError`` lists every problem."""
    errors: dict[str, Any] = {}
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        cleaner = _CLEANERS.get(key)
        if cleaner is None:
            raise ValidationError(f"“{key}” cannot be changed here.")
        try:
            cleaned[key] = cleaner(value)
        except ValidationError as exc:
            errors[key] = exc
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_frequency(value: Any) -> int:
    """Training days a week of a CYCLIC program, 1 to 7."""
    try:
        number = _whole_number(value)
    except ValidationError:
        number = 0
    if not MIN_FREQUENCY <= number <= MAX_FREQUENCY:
        raise ValidationError(FREQUENCY_MESSAGE, code="frequency_range")
    return number


def weekly_frequency(weekday_count: int) -> int:
    """A WEEKLY program trains on the weekdays its sessions use: at least 1, at most 7."""
    return max(MIN_FREQUENCY, min(MAX_FREQUENCY, weekday_count))


def session_order_index(*, day_of_week: int | None, position: int) -> int:
    """WEEKLY sessions are ordered by weekday (``order_index = day_of_week``); CYCLIC sessions by
    their place in the rotation."""
    return day_of_week if day_of_week is not None else position


# The order of a program's sessions, wherever they are listed or moved: a WEEKLY program's by
# weekday (sessions without one last), then place; a CYCLIC program's by place in the rotation;
# ties by id. Once in Python (lists already read) and once for the ORM (``order_by``).
def session_sort_key(*, weekly: bool, day_of_week: int | None, order_index: int, id: Any) -> tuple[Any, ...]:
    if weekly:
        return (day_of_week is None, day_of_week or 0, order_index, str(id))
    return (order_index, str(id))


def session_ordering(*, weekly: bool) -> tuple[Any, ...]:
    """``session_sort_key`` as ``order_by`` arguments for ``WorkoutSession`` querysets."""
    from django.db.models import F  # an expression, not a query: the rules stay free of the database

    by_place = ("order_index", "id")
    return (F("day_of_week").asc(nulls_last=True), *by_place) if weekly else by_place
