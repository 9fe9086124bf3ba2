"""Form errors land in their form, the page around them stays (issue 15 item 9).

Under ``make run`` (DEBUG on) django-htmx's debug helper used to replace the whole document with
any 400 answer, so a form error on New exercise left a bare form without header or navigation.
Here DEBUG is on as under ``make run``; every htmx form's error answer must keep the page's
header and show the message inside the form.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from accounts.models import OrganizationTier
from accounts.tests.factories import OrganizationFactory, UserFactory
from exercises.tests.factories import ExerciseFactory
from programs import services

PASSWORD = "correct-horse-battery"


def submit_unchecked(page: Page, button: str) -> None:
    submit = page.get_by_role("button", name=button, exact=True)
    submit.evaluate("b => { b.form.noValidate = true; }")
    submit.click()


@pytest.fixture
def pro(db):
    return UserFactory(
        email="errors@example.com", organization=OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    )


@override_settings(DEBUG=True)
def test_form_errors_keep_the_page_under_debug(page: Page, live_server, login, pro):
    ExerciseFactory(name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0})
    program = services.program_create(user=pro, name="Errors", structure_type="WEEKLY")
    session = services.session_create(user=pro, program=program, name="Push", day_of_week=0)
    login(pro.email, PASSWORD)

    def assert_page_kept() -> None:
        expect(page.locator(".site-header")).to_be_visible()
        expect(page.locator("footer.site-footer")).to_be_visible()

    # New exercise: no muscles, then a 2-letter name.
    page.goto(f"{live_server.url}/exercises/new/")
    page.evaluate("window.__marker = 1")
    page.get_by_label("Name").fill("Good name")
    submit_unchecked(page, "Add exercise")
    expect(page.locator("#exercise-form .errorlist, #contributions-errors").first).to_be_visible()
    assert_page_kept()
    page.get_by_label("Name").fill("ab")
    submit_unchecked(page, "Add exercise")
    expect(page.locator("#exercise-form").get_by_text("at least", exact=False).first).to_be_visible()
    assert_page_kept()
    assert page.evaluate("window.__marker") == 1  # swapped in place, no page load

    # The builder's forms (rename the program with a 2-letter name, a session with no name).
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    page.get_by_text("Edit name").click()
    page.locator("#program-name").fill("ab")
    submit_unchecked(page, "Save program")
    expect(page.locator("#program-settings .errorlist").first).to_be_visible()
    assert_page_kept()
    page.locator("#new-session-name").fill("")
    submit_unchecked(page, "Add session")
    expect(page.locator("#session-add-form .errorlist").first).to_be_visible()
    assert_page_kept()
    expect(page.locator(f"#session-{session.pk}")).to_be_visible()


def test_long_text_is_refused_with_its_limit_never_cut_silently(page: Page, live_server, login, pro):
    bench = ExerciseFactory(name="Barbell Bench Press", muscle_contributions={"CHEST": 1.0})
    program = services.program_create(user=pro, name="Long words", structure_type="WEEKLY")
    session = services.session_create(user=pro, program=program, name="Push", day_of_week=0)
    row = services.session_exercise_add(user=pro, session=session, exercise=bench, sets=3)
    login(pro.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")

    # 600 characters of notes: the counter says how far over, Save is refused with the limit,
    # and what was typed is still there (the row's form, opened in place).
    page.locator(f"#se-{row.pk} a.se-open").click()
    notes = page.locator(f"#notes-{row.pk}")
    notes.fill("n" * 600)
    expect(page.locator(f"#notes-{row.pk}-count")).to_contain_text("100 characters over the limit of 500")
    notes.press("Enter")
    expect(page.locator(f"#se-{row.pk} .errorlist")).to_contain_text("500")
    expect(page.locator(f"#notes-{row.pk}")).to_have_value("n" * 600)

    # A 2,100-character description: counted and refused the same way.
    page.get_by_text("Edit name").click()
    page.locator("#program-description").fill("d" * 2100)
    expect(page.locator("#program-description-count")).to_contain_text("over the limit of 2000")
    page.get_by_role("button", name="Save program").click()
    expect(page.locator("#program-settings .errorlist").first).to_contain_text("2000")
    program.refresh_from_db()
    assert not program.description  # nothing was saved, nothing cut
