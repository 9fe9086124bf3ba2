"""training_programs.content_version, raised by the database whenever what a program shows changes.

The builder keys its cached fragments by it (programs/fragments.py), so no service has to remember
to bump anything: every statement that writes a program's sessions or session exercises, or edits
an exercise they use, raises the program's version in the same transaction.

* workout_sessions: INSERT / UPDATE / DELETE raise the programs of the old and new rows.
* session_exercises: INSERT / UPDATE / DELETE raise the programs of the old and new rows' sessions.
* exercises: an UPDATE raises every program with a session exercise using the row (deleted
  sessions and rows included: cheap, and restoring them shows the exercise as it is now), unless
  the statement changed only the embedding (a background job's refresh, never shown).

Statement-level triggers with transition tables: a bulk_create of 36 rows raises its program once.
Each bump is one UPDATE of training_programs that touches only content_version (not updated_at, so
the program lists' "last edited" order is unchanged); no trigger fires from it but the BEFORE
UPDATE guard below, which keeps a full save() carrying a stale version from lowering it.
Triggers run inside the writing statement: Django sees no extra query.
"""

from django.db import migrations, models

_SQL = """
CREATE FUNCTION training_programs_version_bump(program_ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  UPDATE training_programs SET content_version = content_version + 1 WHERE id = ANY(program_ids);
$$;

CREATE FUNCTION training_programs_version_keep() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.content_version := GREATEST(OLD.content_version, NEW.content_version);
  RETURN NEW;
END
$$;
CREATE TRIGGER trg_training_programs_version_keep
  BEFORE UPDATE OF content_version ON training_programs
  FOR EACH ROW EXECUTE FUNCTION training_programs_version_keep();

CREATE FUNCTION workout_sessions_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM training_programs_version_bump(ARRAY(SELECT DISTINCT program_id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM training_programs_version_bump(ARRAY(
      SELECT program_id FROM new_rows UNION SELECT program_id FROM old_rows));
  ELSE
    PERFORM training_programs_version_bump(ARRAY(SELECT DISTINCT program_id FROM old_rows));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_workout_sessions_version_insert AFTER INSERT ON workout_sessions
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION workout_sessions_version();
CREATE TRIGGER trg_workout_sessions_version_update AFTER UPDATE ON workout_sessions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION workout_sessions_version();
CREATE TRIGGER trg_workout_sessions_version_delete AFTER DELETE ON workout_sessions
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION workout_sessions_version();

CREATE FUNCTION session_exercises_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM training_programs_version_bump(ARRAY(
      SELECT DISTINCT ws.program_id FROM workout_sessions ws
      WHERE ws.id IN (SELECT session_id FROM new_rows)));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM training_programs_version_bump(ARRAY(
      SELECT DISTINCT ws.program_id FROM workout_sessions ws
      WHERE ws.id IN (SELECT session_id FROM new_rows UNION SELECT session_id FROM old_rows)));
  ELSE
    -- A session deleted in the same statement (ON DELETE CASCADE) is gone already: its own
    -- trigger raised the program.
    PERFORM training_programs_version_bump(ARRAY(
      SELECT DISTINCT ws.program_id FROM workout_sessions ws
      WHERE ws.id IN (SELECT session_id FROM old_rows)));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_session_exercises_version_insert AFTER INSERT ON session_exercises
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION session_exercises_version();
CREATE TRIGGER trg_session_exercises_version_update AFTER UPDATE ON session_exercises
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION session_exercises_version();
CREATE TRIGGER trg_session_exercises_version_delete AFTER DELETE ON session_exercises
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION session_exercises_version();

CREATE FUNCTION exercises_version() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM training_programs_version_bump(ARRAY(
    SELECT DISTINCT ws.program_id
    FROM new_rows n
    JOIN old_rows o ON o.id = n.id
    JOIN session_exercises se ON se.exercise_id = n.id
    JOIN workout_sessions ws ON ws.id = se.session_id
    WHERE to_jsonb(n) - 'embedding' - 'embedding_hash'
          IS DISTINCT FROM to_jsonb(o) - 'embedding' - 'embedding_hash'));
  RETURN NULL;
END
$$;
CREATE TRIGGER trg_exercises_version_update AFTER UPDATE ON exercises
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION exercises_version();
"""

_REVERSE_SQL = """
DROP TRIGGER IF EXISTS trg_exercises_version_update ON exercises;
DROP FUNCTION IF EXISTS exercises_version();
DROP TRIGGER IF EXISTS trg_session_exercises_version_insert ON session_exercises;
DROP TRIGGER IF EXISTS trg_session_exercises_version_update ON session_exercises;
DROP TRIGGER IF EXISTS trg_session_exercises_version_delete ON session_exercises;
DROP FUNCTION IF EXISTS session_exercises_version();
DROP TRIGGER IF EXISTS trg_workout_sessions_version_insert ON workout_sessions;
DROP TRIGGER IF EXISTS trg_workout_sessions_version_update ON workout_sessions;
DROP TRIGGER IF EXISTS trg_workout_sessions_version_delete ON workout_sessions;
DROP FUNCTION IF EXISTS workout_sessions_version();
DROP TRIGGER IF EXISTS trg_training_programs_version_keep ON training_programs;
DROP FUNCTION IF EXISTS training_programs_version_keep();
DROP FUNCTION IF EXISTS training_programs_version_bump(uuid[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_counting_moved"),
        ("exercises", "0005_exercise_needs"),
    ]

    operations = [
        migrations.AddField(
            model_name="trainingprogram",
            name="content_version",
            field=models.BigIntegerField(db_default=1, default=1, editable=False),
        ),
        migrations.RunSQL(sql=_SQL, reverse_sql=_REVERSE_SQL),
    ]
