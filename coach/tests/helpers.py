"""Helpers for the coach tests that go through the database: a program built through the builder's
services, the AI-query counter, the program's rows, the coach URLs and generator form data."""

from __future__ import annotations

from django.urls import reverse

from accounts.quota import current_month
from exercises.domain import Fitting
from programs import services
from programs.models import SessionExercise

HTMX = {"HX-Request": "true"}


def build_program(user, library, *, calves=True, sessions=2):
    """A WEEKLY program through the builder's services; without calves it is below their MEV."""
    program = services.program_create(user=user, name="My split", structure_type="WEEKLY")
    plan = [
        (
            "Upper",
            0,
            [
                ("Barbell Bench Press", 3),
                ("Lat Pulldown", 4),
                ("Dumbbell Lateral Raise", 4),
                ("Barbell Curl", 3),
            ],
        ),
        (
            "Lower",
            3,
            [("Barbell Back Squat", 4), ("Romanian Deadlift", 3)]
            + ([("Standing Calf Raise", 4)] if calves else []),
        ),
    ][:sessions]
    for name, day, rows in plan:
        session = services.session_create(user=user, program=program, name=name, day_of_week=day)
        for exercise, sets in rows:
            services.session_exercise_add(
                user=user,
                session=session,
                exercise=library[exercise],
                sets=sets,
                reps="8-12",
                rest_seconds=120,
            )
    return program


def used(user) -> int:
    user.refresh_from_db()
    return user.ai_queries_used


def spend_quota(user) -> None:
    user.ai_queries_used = user.ai_queries_limit
    user.ai_queries_month = current_month()
    user.save(update_fields=["ai_queries_used", "ai_queries_month"])


def program_state(program) -> list[tuple[str, str, int, str | None, int | None]]:
    return sorted(
        (str(se.session_id), se.exercise.name, se.sets, se.reps, se.rest_seconds)
        for se in SessionExercise.objects.filter(session__program=program).select_related("exercise")
    )


def review_url(program) -> str:
    return reverse("coach:coach_review", kwargs={"program_id": program.pk})


def apply_url(program) -> str:
    return reverse("coach:coach_review_apply", kwargs={"program_id": program.pk})


def finding_index(client, program, code, muscle_word=""):
    review = client.session[f"coach_review:{program.pk}"]
    for i, f in enumerate(review["findings"]):
        if f["code"] == code and muscle_word in f["title"]:
            return i
    raise AssertionError(f"no {code} finding: {[f['code'] for f in review['findings']]}")


def generate_data(**overrides):
    data = {
        "days": "4",
        "structure_type": "WEEKLY",
        "equipment": ["BARBELL", "DUMBBELL", "CABLE", "MACHINE", "BODYWEIGHT"],
        # The form ticks every fitting by default (a gym has them all).
        "fittings": list(Fitting.values),
        "priority_muscles": ["SIDE_DELTS"],
        "session_set_limit": "24",
        "seed": "11",
    }
    data.update(overrides)
    return data
