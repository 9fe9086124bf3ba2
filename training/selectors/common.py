"""The checks every training selector makes before it queries: a signed-in lifter, a well-formed id."""

from __future__ import annotations

import uuid
from typing import Any


def authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def valid_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return False
    return True
