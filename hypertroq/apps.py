from django.apps import AppConfig


class HypertroqConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hypertroq"
    verbose_name = "HypertroQ core"
