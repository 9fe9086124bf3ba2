"""The preferences page and "Download my data" in a real browser: change a setting on a phone
(390 x 844) and see it kept; ask for the data download and get its link; both pages at 390 and
1280 px: no sideways scrolling, 44 px targets, nothing serious for axe. Screenshots go to the
temporary folder (``preferences-*.png``, ``data-*.png``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import Page, expect

from accounts.preferences import UserPreferences
from accounts.tests.factories import UserFactory
from tests.browser.test_training import PASSWORD, PHONE, layout_problems, serious_axe

DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(tempfile.gettempdir())


def _login(page: Page, base: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("prefs@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_preferences_on_a_phone_and_a_desktop(page: Page, live_server):
    user = UserFactory(email="prefs@example.com", full_name="Pat Refs")
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/training/preferences/")  # the old address lands on the section
    expect(page.get_by_role("heading", name="Units and training")).to_be_visible()
    page.get_by_label("Pounds (lb)").check()
    page.get_by_label("Week starts on").select_option("Sunday")
    page.get_by_label("Default rest (seconds)").fill("90")
    page.get_by_role("button", name="Save units and training").click()
    expect(page.get_by_text("Units and training saved.")).to_be_visible()
    prefs = UserPreferences.objects.get(user=user)
    assert (prefs.unit, prefs.week_start, prefs.default_rest_seconds) == ("lb", 6, 90)
    problems: list[str] = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(f"{base}/preferences/")
        page.screenshot(path=str(SHOTS / f"preferences-{label}.png"), full_page=True)
        if label == "phone":
            problems += layout_problems(page, "preferences")
        problems += serious_axe(page, f"preferences ({label})")
    assert problems == []


def test_download_my_data_on_a_phone(page: Page, live_server):
    UserFactory(email="prefs@example.com", full_name="Pat Refs")
    base = live_server.url
    _login(page, base)
    page.goto(f"{base}/preferences/")
    page.get_by_role("link", name="Download my data").click()
    expect(page.get_by_role("heading", name="Download my data", level=1)).to_be_visible()
    page.get_by_role("button", name="Prepare my download").click()  # the job runs in-process here
    expect(page.get_by_role("link", name="Download ZIP")).to_be_visible()
    problems: list[str] = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.goto(f"{base}/data/")
        page.screenshot(path=str(SHOTS / f"data-{label}.png"), full_page=True)
        if label == "phone":
            problems += layout_problems(page, "data")
        problems += serious_axe(page, f"data ({label})")
    assert problems == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download ZIP").click()
    assert download.value.suggested_filename.startswith("hypertroq-data-")
