"""Plain-SQL helpers for schema tests: rows written without Django's validation, as a DBA would."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from psycopg.types.json import Jsonb


def _param(value: Any) -> Any:
    return Jsonb(value) if isinstance(value, dict | list) else value


def insert(table: str, **columns: Any) -> Any:
    """INSERT one row with exactly ``columns``; returns its id."""
    names = ", ".join(columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id",
            [_param(v) for v in columns.values()],
        )
        return cursor.fetchone()[0]


def update(table: str, row_id: Any, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {assignments} WHERE id = %s",
            [*(_param(v) for v in columns.values()), row_id],
        )


def execute(sql: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.rowcount


def scalar(sql: str, params: list[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        row = cursor.fetchone()
        return None if row is None else row[0]


def violated_constraint(error: IntegrityError) -> str | None:
    """The constraint or unique index PostgreSQL named in the error."""
    cause = error.__cause__
    diag = getattr(cause, "diag", None)
    return getattr(diag, "constraint_name", None)


def assert_rejected(table: str, constraint: str | None, **columns: Any) -> IntegrityError:
    """The database itself refuses the row; ``constraint`` is the name it gives (None: NOT NULL)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        insert(table, **columns)
    assert violated_constraint(caught.value) == constraint, str(caught.value)
    return caught.value


def assert_update_rejected(table: str, row_id: Any, constraint: str, **columns: Any) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        update(table, row_id, **columns)
    assert violated_constraint(caught.value) == constraint, str(caught.value)
    return caught.value
