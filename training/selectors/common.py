"""The checks every training selector makes before it queries: a signed-in lifter (here) and a
well-formed id (:func:`hypertroq.http.valid_uuid`)."""

from __future__ import annotations

from typing import Any


def authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))
