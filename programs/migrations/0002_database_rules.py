"""ON DELETE rules of the schema and the two index names longer than Django allows."""

from django.db import migrations

from hypertroq.migration_ops import ForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("exercises", "0002_database_rules"),
        ("accounts", "0002_database_rules"),
    ]

    operations = [
        ForeignKeyOnDelete(
            table="training_programs", column="user_id", references="users",
            action="CASCADE", name="fk_training_programs_user_id",
        ),
        ForeignKeyOnDelete(
            table="training_programs", column="assigned_by_id", references="users",
            action="SET NULL", name="fk_training_programs_assigned_by_id",
        ),
        ForeignKeyOnDelete(
            table="training_programs", column="source_id", references="training_programs",
            action="SET NULL", name="fk_training_programs_source_id",
        ),
        ForeignKeyOnDelete(
            table="workout_sessions", column="program_id", references="training_programs",
            action="CASCADE", name="fk_workout_sessions_program_id",
        ),
        ForeignKeyOnDelete(
            table="session_exercises", column="session_id", references="workout_sessions",
            action="CASCADE", name="fk_session_exercises_session_id",
        ),
        ForeignKeyOnDelete(
            table="session_exercises", column="exercise_id", references="exercises",
            action="RESTRICT", name="fk_session_exercises_exercise_id",
        ),
        migrations.RunSQL(
            "CREATE INDEX ix_session_exercises_session_id ON session_exercises (session_id);",
            "DROP INDEX ix_session_exercises_session_id;",
        ),
        migrations.RunSQL(
            "CREATE INDEX ix_session_exercises_exercise_id ON session_exercises (exercise_id);",
            "DROP INDEX ix_session_exercises_exercise_id;",
        ),
    ]
