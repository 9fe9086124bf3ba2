"""The training analysis pages in a real browser at 390 px: axe finds nothing serious, the charts
are images with a name and a text table, and the week/muscle pickers work without JavaScript."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from programs.tests.factories import SessionExerciseFactory, TrainingProgramFactory, WorkoutSessionFactory
from training.models import SetType
from training.tests.factories import SetLogFactory, TrainingPreferencesFactory, WorkoutLogFactory

PASSWORD = "correct-horse-battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def gym(db):
    organization = OrganizationFactory(name="Insight Gym", subscription_tier=OrganizationTier.PRO)
    coach = UserFactory(email="insight-coach@example.com", organization=organization, role=Role.COACH)
    lifter = UserFactory(
        email="insight-lifter@example.com",
        full_name="Lina Lifter",
        organization=organization,
        role=Role.MEMBER,
    )
    bench = ExerciseFactory(name="Insight Bench Press")
    squat = ExerciseFactory(name="Insight Squat", muscle_contributions={"QUADRICEPS": 1.0, "GLUTES": 0.5})
    program = TrainingProgramFactory(user=lifter, name="Insight Upper Lower")
    upper = WorkoutSessionFactory(program=program, name="Upper", day_of_week=0, order_index=0)
    lower = WorkoutSessionFactory(program=program, name="Lower", day_of_week=3, order_index=1)
    SessionExerciseFactory(session=upper, exercise=bench, sets=4)
    SessionExerciseFactory(session=lower, exercise=squat, sets=4)
    TrainingPreferencesFactory(user=lifter, current_program=program)
    now = timezone.now()
    monday = (now - dt.timedelta(days=now.weekday())).replace(hour=7, minute=0, second=0, microsecond=0)
    for week in range(10):
        started = monday - dt.timedelta(weeks=week)
        workout = WorkoutLogFactory(
            user=lifter,
            program=program,
            session=upper,
            session_name="Upper",
            program_name=program.name,
            started_at=started,
            finished_at=started + dt.timedelta(minutes=60),
        )
        SetLogFactory(
            workout_log=workout,
            exercise=bench,
            set_type=SetType.WARMUP,
            weight_kg=Decimal(40),
            reps=10,
            rir=None,
            order_index=0,
        )
        for i in range(4):
            SetLogFactory(
                workout_log=workout,
                exercise=bench,
                weight_kg=Decimal(80 - week),
                reps=8 + i % 2,
                rir=None if i == 3 else Decimal(2),
                order_index=i + 1,
            )
    return {"coach": coach, "lifter": lifter, "bench": bench, "workout": workout}


def login(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/accounts/")


def serious(page: Page, label: str) -> list[str]:
    return [
        f"{label}: {v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_analysis_pages_pass_axe_and_fit_a_phone(browser, live_server, gym):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    base = live_server.url
    login(page, base, gym["lifter"].email)
    problems: list[str] = []
    for label, path in {
        "volume": "/training/volume/",
        "history": "/training/history/",
        "workout": f"/training/history/{gym['workout'].pk}/",
        "exercises": "/training/exercises/",
        "exercise history": f"/training/exercises/{gym['bench'].pk}/",
    }.items():
        page.goto(base + path)
        problems += serious(page, label)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(f"{label}: {width} px wide")
    # The charts are named images that point at their text tables.
    page.goto(f"{base}/training/exercises/{gym['bench'].pk}/")
    chart = page.get_by_role("img", name="Estimated 1RM and top set load of Insight Bench Press")
    expect(chart).to_be_visible()
    expect(page.locator("#exercise-table")).to_contain_text("80 kg × 9")
    context.close()

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    login(page, base, gym["coach"].email)
    page.goto(f"{base}/training/members/")
    problems += serious(page, "coach adherence")
    expect(page.get_by_role("row").filter(has_text="Lina Lifter")).to_contain_text("Skipped: Lower")
    page.get_by_role("link", name="Lina Lifter").click()
    expect(page.get_by_role("note")).to_contain_text("read-only")
    problems += serious(page, "member history")
    context.close()
    assert not problems, "\n".join(problems)


def test_volume_page_pickers_work_without_javascript(browser, live_server, gym):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    base = live_server.url
    login(page, base, gym["lifter"].email)
    page.goto(f"{base}/training/volume/")
    expect(page.get_by_role("heading", name="Planned vs done", level=1)).to_be_visible()
    this_week = page.get_by_role("heading", level=2).first.inner_text()
    page.get_by_role("link", name="← Week before").click()
    expect(page.get_by_role("heading", level=2).first).not_to_have_text(this_week)
    page.get_by_label("Muscle", exact=True).select_option("QUADRICEPS")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Last 12 weeks: Quadriceps")).to_be_visible()
    expect(page.get_by_role("img", name="Weekly hard sets for Quadriceps")).to_be_visible()
    context.close()
