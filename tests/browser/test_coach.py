"""The coach in a real browser: "Review my program" then Apply updates the sessions and the volume
panel without a page load; the generator builds a program that opens in the builder; axe-core on
both pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services
from programs.models import TrainingProgram

PASSWORD = "correct-horse-battery"


@pytest.fixture
def lifter(db):
    return UserFactory(email="coach-browser@example.com")


@pytest.fixture
def library(db):
    def make(name, equipment, **contributions):
        return ExerciseFactory(name=name, equipment=equipment, muscle_contributions=contributions)

    return {
        "bench": make("Barbell Bench Press", "BARBELL", CHEST=1.0, FRONT_DELTS=0.5, TRICEPS=0.5),
        "pulldown": make(
            "Lat Pulldown", "CABLE", LATS=1.0, ELBOW_FLEXORS=0.5, TRAPS_RHOMBOIDS=0.5, REAR_DELTS=0.25
        ),
        "row": make("Cable Row", "CABLE", TRAPS_RHOMBOIDS=1.0, LATS=0.5, ELBOW_FLEXORS=0.5, REAR_DELTS=0.5),
        "lateral": make("Cable Lateral Raise", "CABLE", SIDE_DELTS=1.0, TRAPS_RHOMBOIDS=0.25),
        "face": make("Face Pull", "CABLE", REAR_DELTS=1.0, TRAPS_RHOMBOIDS=0.5),
        "curl": make("Cable Curl", "CABLE", ELBOW_FLEXORS=1.0, FOREARMS=0.25),
        "pushdown": make("Triceps Pushdown", "CABLE", TRICEPS=1.0),
        "squat": make("Barbell Back Squat", "BARBELL", QUADRICEPS=1.0, GLUTES=0.5, ADDUCTORS=0.5),
        "rdl": make("Romanian Deadlift", "BARBELL", HAMSTRINGS=1.0, GLUTES=0.5, SPINAL_ERECTORS=0.5),
        "calf": make("Standing Calf Raise", "MACHINE", CALVES=1.0),
        "seated_calf": make("Seated Calf Raise", "MACHINE", CALVES=1.0),
        "fly": make("Cable Fly", "CABLE", CHEST=1.0, FRONT_DELTS=0.25),
        "leg_curl": make("Lying Leg Curl", "MACHINE", HAMSTRINGS=1.0, CALVES=0.25),
        "leg_ext": make("Leg Extension", "MACHINE", QUADRICEPS=1.0),
    }


def serious(results) -> list[str]:
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_review_then_apply_updates_the_builder_without_a_page_load(
    page: Page, live_server, login, lifter, library
):
    program = services.program_create(user=lifter, name="No calves", structure_type="WEEKLY")
    for name, day, rows in (
        (
            "Upper",
            0,
            [("bench", 4), ("pulldown", 4), ("lateral", 4), ("curl", 3), ("pushdown", 3), ("face", 3)],
        ),
        ("Lower", 3, [("squat", 4), ("rdl", 3), ("row", 3), ("fly", 3)]),
    ):
        session = services.session_create(user=lifter, program=program, name=name, day_of_week=day)
        for key, sets in rows:
            services.session_exercise_add(
                user=lifter, session=session, exercise=library[key], sets=sets, reps="8-12", rest_seconds=120
            )
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.evaluate("window.__marker = 1")
    expect(page.locator("#muscle-calves")).to_have_attribute("data-sets", "0")

    page.get_by_role("button", name="Review my program").click()
    finding = page.locator("li.finding", has_text="Calves below MEV")
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("Calves gets 0.0 weekly sets, below its MEV of 8")
    expect(finding).to_contain_text("Evidence:")
    # The review spent one query, and the quota line says so at once (issue 15 item 7).
    expect(page.locator(".coach-quota")).to_have_text("9 of 10 AI queries left this month.")

    finding.get_by_role("button", name="Apply").click()
    expect(page.locator("#coach-review")).to_contain_text("Applied: Train calves directly")
    expect(page.locator("#muscle-calves")).not_to_have_attribute("data-sets", "0")
    expect(page.locator("#sessions-region .se-name", has_text="Calf Raise").first).to_be_visible()
    assert page.evaluate("window.__marker") == 1  # no page load
    assert float(page.locator("#muscle-calves").get_attribute("data-sets") or 0) >= 8

    assert serious(Axe().run(page)) == []


def test_the_generator_builds_a_program_that_opens_in_the_builder(
    page: Page, live_server, login, lifter, library
):
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/generate/")
    assert serious(Axe().run(page)) == []

    page.get_by_label("Training days per week").fill("3")
    page.get_by_label("Weekly: fixed weekdays").check()
    for equipment in ("Dumbbell", "Bodyweight"):
        page.get_by_label(equipment, exact=True).uncheck()
    page.get_by_role("button", name="Build my program").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("3-day full body")
    expect(page.get_by_role("button", name="Regenerate: a different variation")).to_be_visible()
    program = TrainingProgram.objects.get(user=lifter)
    assert program.sessions.count() == 3
    chest = float(page.locator("#muscle-chest").get_attribute("data-sets") or 0)
    assert chest >= 6


def test_bad_generator_input_is_shown_next_to_the_field(page: Page, live_server, login, lifter, library):
    login(lifter.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/generate/")
    for equipment in ("Barbell", "Dumbbell", "Cable", "Machine", "Bodyweight"):
        page.get_by_label(equipment, exact=True).uncheck()
    page.get_by_role("button", name="Build my program").click()

    expect(page.locator("#gen-equipment-error")).to_contain_text("Choose at least one kind of equipment")
    assert not TrainingProgram.objects.filter(user=lifter).exists()
