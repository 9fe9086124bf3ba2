"""Rewrite audit entries written before hypertroq.audit stopped keeping addresses.

Until now an invitation's entry was labelled with ``str(invitation)`` ("x@example.org → Gym", the
address masked only when it matched a narrow pattern), and ``data`` values were masked with that
same pattern. The log is append-only and can never be erased, so it must not hold addresses: this
migration relabels every entry whose target row carries an email (users, invitations) as
``<model> <id>`` and replaces anything shaped like ``local@domain`` left in ``target_repr`` or in
``data`` with ``[email]``.

The append-only trigger (0002) refuses these UPDATEs, as it should for the application. The
migration, run by the table's owner, switches the trigger off for its own transaction only
(``ALTER TABLE`` holds an exclusive lock on the table until commit, so no other session can write
meanwhile) and back on before committing. Nothing else in an entry is touched; no row is deleted.
"""

from django.db import migrations

_SCRUB_SQL = r"""
SET CONSTRAINTS ALL IMMEDIATE;  -- ALTER TABLE refuses to run with deferred checks pending
ALTER TABLE audit_logs DISABLE TRIGGER trg_audit_logs_append_only;

UPDATE audit_logs AS a
   SET target_repr = ct.model || ' ' || a.target_id
  FROM django_content_type AS ct
 WHERE a.target_content_type_id = ct.id
   AND ct.app_label = 'accounts' AND ct.model IN ('user', 'invitation')
   AND a.target_repr IS DISTINCT FROM ct.model || ' ' || a.target_id;

UPDATE audit_logs
   SET target_repr = regexp_replace(target_repr, '\S*@\S+', '[email]', 'g')
 WHERE target_repr LIKE '%@%';

-- Inside the JSON text a match stops at quotes and backslashes, so the result is still JSON.
UPDATE audit_logs
   SET data = regexp_replace(data::text, '[^\s@"\\]*@[^\s@"\\]+', '[email]', 'g')::jsonb
 WHERE data::text LIKE '%@%';

ALTER TABLE audit_logs ENABLE TRIGGER trg_audit_logs_append_only;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("hypertroq", "0002_audit_logs_append_only"),
        ("accounts", "0003_invitation"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunSQL(sql=_SCRUB_SQL, reverse_sql=migrations.RunSQL.noop)]
