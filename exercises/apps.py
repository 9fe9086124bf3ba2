from typing import Any

from django.apps import AppConfig


def _set_trigram_threshold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Name search uses ``name %> query`` (served by the GIN trigram index); its threshold is a
    per-connection setting, so set it whenever a PostgreSQL connection opens."""
    if connection.vendor != "postgresql":
        return
    from exercises.selectors import NAME_WORD_SIMILARITY_THRESHOLD

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
            [str(NAME_WORD_SIMILARITY_THRESHOLD)],
        )


class ExercisesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exercises"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        connection_created.connect(_set_trigram_threshold, dispatch_uid="exercises_trigram_threshold")
