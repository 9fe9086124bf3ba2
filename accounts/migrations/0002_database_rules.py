"""ON DELETE rules of the schema, in the database itself."""

from django.db import migrations

from hypertroq.migration_ops import ForeignKeyOnDelete


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        ForeignKeyOnDelete(
            table="users", column="organization_id", references="organizations",
            action="CASCADE", name="fk_users_organization_id",
        ),
    ]
