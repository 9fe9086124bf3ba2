"""python manage.py seed: load the global exercise library and program templates.

It lives in ``programs``, the app that needs both kinds of data: the exercise library belongs to
``exercises`` (read by ``exercises.seed``), the templates to ``programs`` (``programs.seed``).
Idempotent: a second run changes nothing; edits to the data files update rows in place.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from exercises.seed import load_exercises
from exercises.services import exercise_upsert_global
from programs.seed import load_templates
from programs.services import template_upsert


class Command(BaseCommand):
    help = "Load the exercise library and program templates from the data files (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            exercise_outcomes: Counter[str] = Counter()
            for data in load_exercises():
                _, outcome = exercise_upsert_global(data=data)
                exercise_outcomes[outcome] += 1
            template_outcomes: Counter[str] = Counter()
            for template in load_templates():
                _, outcome = template_upsert(data=template)
                template_outcomes[outcome] += 1
        self.stdout.write(
            "exercises: {created} created, {updated} updated, {unchanged} unchanged".format(
                **{k: exercise_outcomes.get(k, 0) for k in ("created", "updated", "unchanged")}
            )
        )
        self.stdout.write(
            "templates: {created} created, {updated} updated, {unchanged} unchanged".format(
                **{k: template_outcomes.get(k, 0) for k in ("created", "updated", "unchanged")}
            )
        )
