"""What staff see in the admin while a job fails (issue 16's report): the jobs list with one mail
job waiting for its retry and one that gave up, the failed job's page, and the outbox with the
mail server's error. Screenshots at 1280 px go to /tmp with HYPERTROQ_SCREENSHOTS=1."""

from __future__ import annotations

import os

from django.db import transaction
from django.urls import reverse

from hypertroq.jobs import Backoff
from hypertroq.mail import email_queue
from hypertroq.tasks import send_email

SHOTS = os.environ.get("HYPERTROQ_SCREENSHOTS") == "1"


def _queue(subject: str) -> None:
    with transaction.atomic():
        email_queue(to="lifter@example.org", subject=subject, body="The body.")


def _shoot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"/tmp/hypertroq-jobs-admin-{name}.png", full_page=True)  # noqa: S108


def _assert_visible_beside_the_filters(page, cell) -> None:
    """The cell ends left of the filter panel (not scrolled out of the table's box)."""
    box = cell.bounding_box()
    filters = page.locator("#changelist-filter").bounding_box()
    assert box is not None and filters is not None
    assert box["x"] + box["width"] <= filters["x"], (box, filters)


def test_staff_see_failing_mail_jobs_in_the_admin(
    job_worker, settings, monkeypatch, admin_client, page, live_server
):
    settings.EMAIL_BACKEND = "hypertroq.tests.mail_backends.FailingBackend"
    monkeypatch.setattr(send_email, "retry_strategy", Backoff(retries=0))
    _queue("Your invitation")  # gives up at once: failed
    job_worker.run_until_idle(queues=["mail"])
    monkeypatch.setattr(send_email, "retry_strategy", Backoff(retries=8))
    _queue("Verify your email")  # fails once, waits for its retry
    job_worker.run_until_idle(queues=["mail"])

    session = admin_client.cookies[settings.SESSION_COOKIE_NAME].value
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})

    jobs = live_server.url + reverse("admin:procrastinate_procrastinatejob_changelist")
    page.goto(jobs + "?task_name=hypertroq.send_email")
    _shoot(page, "jobs")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    waiting, failed = rows.nth(0), rows.nth(1)  # newest first
    # Status and what happened last are on screen at 1280 px, before the long arguments.
    for row in (waiting, failed):
        _assert_visible_beside_the_filters(page, row.locator("td.field-summary"))
    assert "Todo" in waiting.inner_text() and "Next try: in" in waiting.inner_text()
    assert "Attempts: 1" in waiting.inner_text()
    assert "Failed" in failed.inner_text() and "Attempts: 1" in failed.inner_text()

    page.goto(jobs + "?status__exact=failed")
    assert page.locator("#result_list tbody tr").count() == 1
    page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first.click()
    page.wait_for_load_state()
    _shoot(page, "failed-job")
    assert "send_email" in page.content()

    page.goto(live_server.url + reverse("admin:hypertroq_outboundemail_changelist"))
    outbox = page.locator("#result_list").inner_text()
    assert "ConnectionRefusedError: mail server down" in outbox
    _assert_visible_beside_the_filters(page, page.locator("#result_list td.field-last_error").first)
    _shoot(page, "outbox")
