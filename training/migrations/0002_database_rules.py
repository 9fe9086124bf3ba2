"""ON DELETE rules in the database (Django only emulates them): deleting a program or session
keeps its workouts (SET NULL), an exercise used in a log cannot be deleted (RESTRICT)."""

from django.db import migrations

from hypertroq.migration_ops import ForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("programs", "0003_volume_preferences"),
        ("exercises", "0002_database_rules"),
        ("accounts", "0002_database_rules"),
    ]

    operations = [
        ForeignKeyOnDelete(
            table="workout_logs", column="user_id", references="users",
            action="CASCADE", name="fk_workout_logs_user_id",
        ),
        ForeignKeyOnDelete(
            table="workout_logs", column="program_id", references="training_programs",
            action="SET NULL", name="fk_workout_logs_program_id",
        ),
        ForeignKeyOnDelete(
            table="workout_logs", column="session_id", references="workout_sessions",
            action="SET NULL", name="fk_workout_logs_session_id",
        ),
        ForeignKeyOnDelete(
            table="workout_exercises", column="workout_log_id", references="workout_logs",
            action="CASCADE", name="fk_workout_exercises_workout_log_id",
        ),
        ForeignKeyOnDelete(
            table="workout_exercises", column="exercise_id", references="exercises",
            action="RESTRICT", name="fk_workout_exercises_exercise_id",
        ),
        ForeignKeyOnDelete(
            table="workout_exercises", column="swapped_from_id", references="exercises",
            action="RESTRICT", name="fk_workout_exercises_swapped_from_id",
        ),
        ForeignKeyOnDelete(
            table="workout_exercises", column="session_exercise_id", references="session_exercises",
            action="SET NULL", name="fk_workout_exercises_session_exercise_id",
        ),
        ForeignKeyOnDelete(
            table="set_logs", column="workout_log_id", references="workout_logs",
            action="CASCADE", name="fk_set_logs_workout_log_id",
        ),
        ForeignKeyOnDelete(
            table="set_logs", column="workout_exercise_id", references="workout_exercises",
            action="SET NULL", name="fk_set_logs_workout_exercise_id",
        ),
        ForeignKeyOnDelete(
            table="set_logs", column="exercise_id", references="exercises",
            action="RESTRICT", name="fk_set_logs_exercise_id",
        ),
        ForeignKeyOnDelete(
            table="training_preferences", column="user_id", references="users",
            action="CASCADE", name="fk_training_preferences_user_id",
        ),
        ForeignKeyOnDelete(
            table="training_preferences", column="current_program_id", references="training_programs",
            action="SET NULL", name="fk_training_preferences_current_program_id",
        ),
    ]
