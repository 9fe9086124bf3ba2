"""ON DELETE CASCADE in the database for data_exports (as every table of the schema)."""

from django.db import migrations

from hypertroq.migration_ops import ForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("portability", "0001_initial")]

    operations = [
        ForeignKeyOnDelete(
            table="data_exports", column="user_id", references="users",
            action="CASCADE", name="fk_data_exports_user_id",
        ),
    ]
