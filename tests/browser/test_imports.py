"""Importing history in a real browser, at phone size (390 px) and desktop (1280 px): upload a
Strong file, answer the unit question, check the exercise table, import, read the counts, undo;
a broken file shows its problems. Every page fits 390 px with 44 px targets; axe finds nothing
serious. Screenshots go to the system temp directory (imports-*.png) for a person to look at.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from exercises.tests.factories import ExerciseFactory
from tests.browser.test_training import MEASURE, PASSWORD
from training.models import SetLog

FILES = Path(__file__).resolve().parents[2] / "training" / "tests" / "import_files"
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def lifter(db):
    user = UserFactory(email="importer@example.com", full_name="Ida Importer")
    user.set_password(PASSWORD)
    user.save()
    ExerciseFactory(name="Barbell Bench Press")
    ExerciseFactory(name="Dumbbell Lateral Raise", equipment="DUMBBELL")
    ExerciseFactory(name="Barbell Back Squat")
    return user


def check_fits(page: Page, name: str) -> None:
    result = page.evaluate(MEASURE)
    assert result["width"] <= page.viewport_size["width"], f"{name}: {result['width']} px wide"
    assert not result["small"], f"{name}: small targets {result['small']}"
    serious = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"{name}: {[v['id'] for v in serious]}"


@pytest.mark.parametrize("width", [390, 1280])
def test_import_a_strong_file_then_undo(page: Page, live_server, login, lifter, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("importer@example.com", PASSWORD)
    page.goto(f"{live_server.url}/training/history/")
    page.locator("main summary", has_text="More").click()  # download and import: the page's More menu
    page.get_by_role("link", name="Import from Strong, Hevy or FitNotes").click()
    expect(page.get_by_role("heading", name="Import training history")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"imports-index-{width}.png"), full_page=True)
    check_fits(page, "imports page")

    page.get_by_label("Export file (CSV, JSON or ZIP)").set_input_files(str(FILES / "broken_dates.csv"))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_text("“yesterday evening” is not a date")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"imports-problems-{width}.png"), full_page=True)
    check_fits(page, "problems")

    page.get_by_label("Export file (CSV, JSON or ZIP)").set_input_files(str(FILES / "strong.csv"))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("heading", name="Check the exercises")).to_be_visible()
    page.get_by_label("Pounds (lb)").check()
    expect(page.get_by_label("Use").first).to_have_value(page.get_by_label("Use").first.input_value())
    page.screenshot(path=str(SHOTS / f"imports-review-{width}.png"), full_page=True)
    check_fits(page, "review")
    page.get_by_role("button", name="Import", exact=True).click()

    expect(page.get_by_text("Workouts added")).to_be_visible()
    assert SetLog.objects.filter(workout_log__user=lifter).count() == 7
    page.screenshot(path=str(SHOTS / f"imports-done-{width}.png"), full_page=True)
    check_fits(page, "done")
    page.get_by_role("button", name="Undo this import").click()
    expect(page.get_by_text("Import undone: 2 workouts and 7 sets removed.")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"imports-list-{width}.png"), full_page=True)
    check_fits(page, "list")
    assert not SetLog.objects.filter(workout_log__user=lifter).exists()
