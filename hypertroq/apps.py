from django.apps import AppConfig


class HypertroqConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hypertroq"
    verbose_name = "HypertroQ core"

    def ready(self) -> None:
        from hypertroq import admin_audit, admin_jobs, signals  # noqa: F401  (registers admin and receivers)
