from django.apps import AppConfig


class BodyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "body"
    verbose_name = "Body: measurements and progress photos"

    def ready(self) -> None:
        # Deleting a photo row (one photo, an account purged past its grace period, an
        # organization removed) removes its files from storage once the transaction commits.
        from body import signals  # noqa: F401
