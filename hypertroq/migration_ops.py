"""Migration operations for what Django 5.2 cannot declare: ``ON DELETE`` actions in the database.

Django emulates ``on_delete`` in Python and creates foreign keys with no action, so a row deleted
in plain SQL would be refused. ``ForeignKeyOnDelete`` replaces the constraint Django made with one
that carries the schema's rule. Keep this module stable: migrations import it.
"""

from __future__ import annotations

from django.db import migrations

_DROP_COLUMN_FKS = """
DO $$
DECLARE c record;
BEGIN
  FOR c IN
    SELECT con.conname FROM pg_constraint con
    JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = ANY (con.conkey)
    WHERE con.contype = 'f' AND con.conrelid = '{table}'::regclass AND att.attname = '{column}'
  LOOP
    EXECUTE format('ALTER TABLE {table} DROP CONSTRAINT %I', c.conname);
  END LOOP;
END $$;
"""


def ForeignKeyOnDelete(
    *, table: str, column: str, references: str, action: str, name: str
) -> migrations.RunSQL:
    """Give ``table.column`` -> ``references.id`` the ``ON DELETE action`` rule, reversibly."""
    if action not in {"CASCADE", "RESTRICT", "SET NULL"}:
        raise ValueError(f"unsupported ON DELETE action {action!r}")
    drop = _DROP_COLUMN_FKS.format(table=table, column=column)
    add = (
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column}) "
        f"REFERENCES {references} (id) ON DELETE {action} DEFERRABLE INITIALLY DEFERRED;"
    )
    restore = (
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column}) "
        f"REFERENCES {references} (id) DEFERRABLE INITIALLY DEFERRED;"
    )
    return migrations.RunSQL(sql=drop + add, reverse_sql=drop + restore)
