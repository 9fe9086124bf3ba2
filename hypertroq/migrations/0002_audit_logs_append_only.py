"""audit_logs in the database: ON DELETE SET NULL for its references, and append-only.

The trigger refuses every DELETE and every UPDATE, with one exception: an UPDATE whose only change
is ``actor_id``, ``organization_id`` or ``target_content_type_id`` becoming NULL. That is exactly
what ``ON DELETE SET NULL`` (and Django's emulation of it) does when a user, organization or content
type is deleted, so deleting an account is never blocked by its history, while no statement can
rewrite what an entry says (action, target, data, time, address) or point it at someone else.
TRUNCATE (a DBA wiping the table, test-database flushes) is a statement-level operation and is not
covered by these row triggers.
"""

from django.db import migrations

from hypertroq.migration_ops import ForeignKeyOnDelete

_TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit_logs is append-only: DELETE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - 'actor_id' - 'organization_id' - 'target_content_type_id')
       IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id' - 'organization_id' - 'target_content_type_id')
     OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id)
     OR (NEW.organization_id IS NOT NULL AND NEW.organization_id IS DISTINCT FROM OLD.organization_id)
     OR (NEW.target_content_type_id IS NOT NULL
         AND NEW.target_content_type_id IS DISTINCT FROM OLD.target_content_type_id) THEN
    RAISE EXCEPTION 'audit_logs is append-only: UPDATE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER trg_audit_logs_append_only
  BEFORE UPDATE OR DELETE ON audit_logs
  FOR EACH ROW EXECUTE FUNCTION audit_logs_append_only();
"""

_DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS trg_audit_logs_append_only ON audit_logs;
DROP FUNCTION IF EXISTS audit_logs_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("hypertroq", "0001_audit_logs")]

    operations = [
        ForeignKeyOnDelete(
            table="audit_logs", column="actor_id", references="users",
            action="SET NULL", name="fk_audit_logs_actor_id",
        ),
        ForeignKeyOnDelete(
            table="audit_logs", column="organization_id", references="organizations",
            action="SET NULL", name="fk_audit_logs_organization_id",
        ),
        ForeignKeyOnDelete(
            table="audit_logs", column="target_content_type_id", references="django_content_type",
            action="SET NULL", name="fk_audit_logs_target_content_type_id",
        ),
        migrations.RunSQL(sql=_TRIGGER_SQL, reverse_sql=_DROP_TRIGGER_SQL),
    ]
