"""Sign up, open the verification link from the outbox, log in, land on the dashboard."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from accounts.models import User


def test_sign_up_verify_log_in_lands_on_dashboard(page, live_server, login, settings):
    # Emailed links are built from SITE_URL, never the request's Host: point it at the test server.
    settings.SITE_URL = live_server.url
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Email").fill("Browser.Lifter@example.com")
    page.get_by_label("Full name").fill("Bea Browser")
    page.get_by_label("Password").fill("plates-and-chalk-2026")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/verify/\S+", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page.goto(link.group(0))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_text("is confirmed")).to_be_visible()
    assert User.objects.by_email("browser.lifter@example.com").get().email_verified

    login("BROWSER.LIFTER@example.com", "plates-and-chalk-2026")
    expect(page).to_have_url(f"{live_server.url}/accounts/")
    expect(page.get_by_role("heading", name="Hello, Bea")).to_be_visible()
    expect(page.get_by_text("10 of 10 AI queries left this month")).to_be_visible()
    expect(page.get_by_text("Please confirm your email address")).to_have_count(0)
