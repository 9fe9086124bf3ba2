"""What Django cannot declare: ON DELETE rule, a 31-character index name, the jsonpath check."""

from django.db import migrations

from hypertroq.migration_ops import ForeignKeyOnDelete

# Mirror of exercises.domain.validate_muscle_contributions, frozen here: an object of known
# muscles, every value one of 0.25/0.5/0.75/1, at least one 1.
MUSCLE_CONTRIBUTIONS_CHECK = (
    'jsonb_typeof(muscle_contributions) = \'object\' AND muscle_contributions <> \'{}\'::jsonb AND (muscle_contributions - ARRAY[\'CHEST\', \'FRONT_DELTS\', \'SIDE_DELTS\', \'TRICEPS\', \'REAR_DELTS\', \'LATS\', \'TRAPS_RHOMBOIDS\', \'ELBOW_FLEXORS\', \'FOREARMS\', \'SPINAL_ERECTORS\', \'ABS\', \'OBLIQUES\', \'GLUTES\', \'QUADRICEPS\', \'HAMSTRINGS\', \'ADDUCTORS\', \'CALVES\']::text[]) = \'{}\'::jsonb AND NOT jsonb_path_exists(muscle_contributions, \'$.* ? (@.type() != "number" || (@ != 0.25 && @ != 0.5 && @ != 0.75 && @ != 1))\') AND jsonb_path_exists(muscle_contributions, \'$.* ? (@ == 1)\')'
)


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial"), ("accounts", "0002_database_rules")]

    operations = [
        ForeignKeyOnDelete(
            table="exercises", column="created_by_user_id", references="users",
            action="SET NULL", name="fk_exercises_created_by_user_id",
        ),
        migrations.RunSQL(
            "CREATE INDEX ix_exercises_created_by_user_id ON exercises (created_by_user_id);",
            "DROP INDEX ix_exercises_created_by_user_id;",
        ),
        migrations.RunSQL(
            "ALTER TABLE exercises ADD CONSTRAINT chk_exercises_muscle_contributions_valid "
            f"CHECK ({MUSCLE_CONTRIBUTIONS_CHECK});",
            "ALTER TABLE exercises DROP CONSTRAINT chk_exercises_muscle_contributions_valid;",
        ),
    ]
