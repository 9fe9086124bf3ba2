"""The exercise library in a real browser: results follow typing and filters (htmx, no page load),
the URL follows so the view can be bookmarked, the same form works without JavaScript, and axe-core
finds no serious problems on the library and exercise pages."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from exercises.tests.factories import ExerciseFactory


@pytest.fixture
def library(db):
    return [
        ExerciseFactory(name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5}),
        ExerciseFactory(
            name="Dumbbell Bench Press",
            equipment="DUMBBELL",
            muscle_contributions={"CHEST": 1.0, "TRICEPS": 0.5},
        ),
        ExerciseFactory(name="Cable Fly", equipment="CABLE", muscle_contributions={"CHEST": 1.0}),
        ExerciseFactory(
            name="Seated Cable Row", equipment="CABLE", muscle_contributions={"TRAPS_RHOMBOIDS": 1.0}
        ),
    ]


def results(page: Page):
    return page.locator("#exercise-results")


def serious_violations(page: Page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']}" for v in found if v.get("impact") in ("serious", "critical")]


def test_typing_and_filters_update_results_and_url(page: Page, live_server, library):
    page.goto(f"{live_server.url}/exercises/")
    page.evaluate("window.__sameDocument = true")
    name = page.get_by_label("Name", exact=True)
    page.wait_for_function(
        "el => el.form && el.form['htmx-internal-data'] !== undefined", arg=name.element_handle()
    )
    name.fill("benhc pres")
    expect(results(page).get_by_role("link", name="Barbell Bench Press")).to_be_visible()
    expect(results(page).get_by_role("link", name="Cable Fly")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=benhc(\+|%20)pres"))
    page.get_by_text("Filters").click()
    page.get_by_label("Dumbbell").check()
    expect(results(page).get_by_role("link", name="Barbell Bench Press")).to_have_count(0)
    expect(results(page).get_by_role("link", name="Dumbbell Bench Press")).to_be_visible()
    expect(page).to_have_url(re.compile(r"equipment=DUMBBELL"))
    assert page.evaluate("window.__sameDocument") is True  # no full page load happened
    # The URL is a bookmark: opening it shows the same view.
    page.goto(page.url)
    expect(results(page).get_by_role("link", name="Dumbbell Bench Press")).to_be_visible()
    expect(results(page).get_by_role("link", name="Barbell Bench Press")).to_have_count(0)
    expect(page.get_by_label("Name", exact=True)).to_have_value("benhc pres")


def test_form_works_without_javascript(browser, live_server, library):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/exercises/")
    page.get_by_label("Name", exact=True).fill("cable")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=cable"))
    expect(results(page).get_by_role("link", name="Seated Cable Row")).to_be_visible()
    expect(results(page).get_by_role("link", name="Barbell Bench Press")).to_have_count(0)
    context.close()


def test_library_and_exercise_pages_pass_axe(page: Page, live_server, library):
    page.goto(f"{live_server.url}/exercises/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Barbell Bench Press").click()
    expect(page.get_by_role("heading", name="Barbell Bench Press", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Dumbbell Bench Press")).to_be_visible()  # a substitute
    assert serious_violations(page) == []
