"""ON DELETE CASCADE in the database for user_preferences (as every table of the schema): a user
removed by SQL takes their preferences along. A migration of its own: Django adds the foreign key
of a new table at the end of the migration that creates it."""

from django.db import migrations

from hypertroq.migration_ops import ForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_user_preferences")]

    operations = [
        ForeignKeyOnDelete(
            table="user_preferences", column="user_id", references="users",
            action="CASCADE", name="fk_user_preferences_user_id",
        ),
    ]
