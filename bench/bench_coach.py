"""Coach speed: the program review and the program generator, each must answer within 1 s warm.

Run: `.venv/bin/python bench/bench_coach.py` (or `make bench`). Works in a dedicated, throw-away
database (test_hypertroq_bench_coach, created and dropped here) with the seeded exercise library
(exercises/data/exercises.toml, bulk-inserted; neither feature uses the embedding model).

Prints medians (after warm-up) of:
- the review through HTTP (htmx POST: AI-query count, one aggregate query, the library, the rules,
  the findings partial) on a 6-session × 6-exercise program, and the pure rules alone;
- the generator through HTTP (POST /programs/generate/: AI-query count, planning, saving the
  program through the builder's services) and the pure planner for every days × structure.
"""

from __future__ import annotations

import statistics
import time

import _django

_django.setup("_bench_coach")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

settings.DEBUG = False
settings.TEMPLATES[0].setdefault("OPTIONS", {})["debug"] = False
settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

RUNS = 30
TARGET_MS = 1000.0
EQUIPMENT = ["BARBELL", "DUMBBELL", "CABLE", "MACHINE", "BODYWEIGHT"]


def median_ms(fn, runs: int = RUNS, warmup: int = 3) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def verdict(ms: float) -> str:
    return "OK" if ms <= TARGET_MS else "SLOW"


def main() -> None:
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from accounts.tests.factories import UserFactory
        from coach.generator import exercises_from_seed_data, generate_plan, validate_request
        from coach.review import review_program
        from coach.selectors import library_for, program_snapshot
        from exercises.models import Exercise
        from exercises.seed import load_exercises
        from programs.models import SessionExercise, TrainingProgram, WorkoutSession

        Exercise.objects.bulk_create(item.as_exercise() for item in load_exercises())
        exercises = list(Exercise.objects.order_by("name").defer("embedding"))
        user = UserFactory(subscription_tier="pro")  # unlimited AI queries and programs
        client = Client()
        client.force_login(user)

        program = TrainingProgram.objects.create(
            user=user, name="Bench 6x6", structure_type="WEEKLY", frequency=6
        )
        sessions = WorkoutSession.objects.bulk_create(
            WorkoutSession(program=program, name=f"Day {i + 1}", day_of_week=i, order_index=i)
            for i in range(6)
        )
        SessionExercise.objects.bulk_create(
            SessionExercise(
                session=session,
                exercise=exercises[(i * 37 + j * 11) % len(exercises)],
                order_index=j,
                sets=3 + (i + j) % 3,
                reps="8-12",
                rest_seconds=45 if j == 0 else 120,
            )
            for i, session in enumerate(sessions)
            for j in range(6)
        )

        review_url = f"/programs/{program.pk}/review/"
        first = client.post(review_url, headers={"HX-Request": "true"})
        assert first.status_code == 200, first.status_code
        review_http = median_ms(lambda: client.post(review_url, headers={"HX-Request": "true"}))
        snapshot, volume = program_snapshot(program=program, user=user)
        library = library_for(user=user)
        findings = review_program(snapshot, volume, library)
        review_pure = median_ms(lambda: review_program(snapshot, volume, library), runs=100)

        seeds = iter(range(10**6))

        def generate_http() -> None:
            response = client.post(
                "/programs/generate/",
                {
                    "days": "5",
                    "structure_type": "WEEKLY",
                    "equipment": EQUIPMENT,
                    "priority_muscles": ["CHEST", "SIDE_DELTS"],
                    "session_set_limit": "24",
                    "seed": str(next(seeds)),
                },
            )
            assert response.status_code == 302, response.status_code

        generate_http_ms = median_ms(generate_http, runs=20)

        seed_library = exercises_from_seed_data(load_exercises())
        print(f"Coach (median after warm-up; target ≤ {TARGET_MS:.0f} ms each)")
        print(f"  review, HTTP (6 sessions × 6 exercises)  {review_http:8.2f} ms  {verdict(review_http)}")
        print(f"  review rules only ({len(findings)} findings)         {review_pure:8.2f} ms")
        print(
            f"  generate + save, HTTP (5 days, 2 prio)   {generate_http_ms:8.2f} ms  {verdict(generate_http_ms)}"
        )
        print()
        print("Generator planning alone (pure, seeded library of", len(seed_library), "exercises)")
        print(f"  {'days':>4}  {'WEEKLY ms':>10}  {'CYCLIC ms':>10}")
        worst = 0.0
        for days in range(2, 7):
            row = []
            for structure in ("WEEKLY", "CYCLIC"):
                request = validate_request(
                    days=days,
                    structure_type=structure,
                    equipment=EQUIPMENT,
                    priority_muscles=["SIDE_DELTS"],
                    session_set_limit=30 if days == 2 else 24,
                    seed=1,
                )
                ms = median_ms(lambda request=request: generate_plan(request, seed_library), runs=15)
                worst = max(worst, ms)
                row.append(ms)
            print(f"  {days:>4}  {row[0]:>10.2f}  {row[1]:>10.2f}")
        print(f"  slowest {worst:.2f} ms  {verdict(worst)}")
    finally:
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    main()
