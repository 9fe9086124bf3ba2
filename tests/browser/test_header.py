"""The header on wide screens: the inline navigation fits on one line for every kind of person,
whatever the width, so no page scrolls sideways. A staff coach has the most entries (Members and
Admin besides the lifter's eight), and a long name takes its full 10rem before the ellipsis."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory

PASSWORD = "correct-horse-battery"
WIDTHS = (1199, 1200, 1280, 1399, 1400, 1600)


@pytest.fixture
def people(db):
    organization = OrganizationFactory(name="Iron Club", subscription_tier=OrganizationTier.PRO)
    long_name = "Alexandra Montgomery-Smithson of the Long Name"
    return {
        "lifter": UserFactory(email="wide-lifter@example.com", full_name=long_name),
        "staff coach": UserFactory(
            email="wide-coach@example.com",
            full_name=long_name,
            organization=organization,
            role=Role.OWNER,
            is_staff=True,
        ),
    }


def test_the_navigation_fits_on_one_line_at_every_wide_width(page: Page, live_server, people):
    base = live_server.url
    overflowing = []
    for label, person in people.items():
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Email").fill(person.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/accounts/**")
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{base}/programs/")
            entries = page.locator("nav.nav-wide li")
            assert entries.count() == (8 if label == "lifter" else 10), label
            found = page.evaluate(
                """() => {
                    const list = document.querySelector('nav.nav-wide ul');
                    const tops = new Set([...list.children].map(li => Math.round(li.getBoundingClientRect().top)));
                    return {page: document.documentElement.scrollWidth, rows: tops.size};
                }"""
            )
            if found["page"] > width or found["rows"] != 1:
                overflowing.append(f"{label} at {width}px: page {found['page']}px wide, {found['rows']} rows")
    assert overflowing == []
