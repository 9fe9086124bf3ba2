"""Body pages in a real browser: a day's measurements entered on a phone (390 x 844), a photo
uploaded from a file input, and every body page at 390 and 1280 px: no sideways scrolling, 44 px
targets, nothing serious for axe. Screenshots go to the temporary folder (``body-*.png``)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import UserFactory
from body import photo_services
from body.models import Kind, Measurement, ProgressPhoto
from body.tests.factories import MeasurementCategoryFactory, MeasurementFactory
from body.tests.photos import jpeg_with_exif
from tests.browser.test_training import PASSWORD, PHONE, layout_problems, serious_axe

DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture
def body_lifter(db):
    user = UserFactory(email="body@example.com", full_name="Bo Dee")
    today = timezone.localdate()
    for i in range(40):
        day = today - dt.timedelta(days=40 - i)
        MeasurementFactory(
            user=user, measured_on=day, value=Decimal("84") - Decimal(i) / 10 + (i % 3) / Decimal(4)
        )
        if i % 7 == 0:
            MeasurementFactory(
                user=user, kind=Kind.WAIST, measured_on=day, value=Decimal("90") - Decimal(i) / 20
            )
    MeasurementCategoryFactory(user=user, name="Resting pulse", dimension="PLAIN", unit_label="bpm")
    photos = []
    for days_ago in (60, 0):
        data = jpeg_with_exif(size=(600, 800), orientation=1)
        photos.append(
            photo_services.photo_upload(
                user=user,
                upload=io.BytesIO(data),
                size=len(data),
                taken_on=today - dt.timedelta(days=days_ago),
                pose="FRONT",
                today=today,
            )
        )
    return {"user": user, "photos": photos}


def _login(page: Page, base: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("body@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_enter_a_day_and_upload_a_photo_on_a_phone(page: Page, live_server, body_lifter):
    user = body_lifter["user"]
    base = live_server.url
    _login(page, base)
    # On a phone the main navigation is behind Menu: open it and follow Body.
    page.locator("details.nav-menu summary").click()
    page.locator(".nav-panel").get_by_role("link", name="Body").click()
    expect(page.get_by_role("heading", name="Measurements", level=1)).to_be_visible()
    page.get_by_label("Body weight").fill("81,2")
    page.get_by_label("Neck").fill("abc")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    assert not Measurement.objects.filter(user=user, kind=Kind.NECK).exists()
    page.get_by_label("Neck").fill("39.5")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved 2 values")).to_be_visible()
    today = timezone.localdate()
    assert Measurement.objects.get(user=user, kind=Kind.BODY_WEIGHT, measured_on=today).value == Decimal(
        "81.20"
    )
    page.screenshot(path=str(SHOTS / "body-entry-390.png"), full_page=True)

    page.goto(f"{base}/body/photos/")
    page.get_by_label("Photo", exact=True).set_input_files(
        files=[{"name": "me.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif(size=(900, 1200))}]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Photo saved")).to_be_visible()
    assert ProgressPhoto.objects.filter(user=user).count() == 3
    # The thumbnails load through the access-checked view.
    first = page.locator(".photo-grid img").first
    expect(first).to_be_visible()
    # "Visible" is the box; the picture is decoded a moment later: wait for it (a thumbnail that
    # never loads still fails here, after the timeout).
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    assert page.evaluate("(img) => img.naturalWidth", first.element_handle()) > 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_every_body_page_fits_and_passes_axe(page: Page, live_server, body_lifter, viewport):
    user = body_lifter["user"]
    older, newer = body_lifter["photos"]
    category = user.measurement_categories.get()
    base = live_server.url
    _login(page, base)
    page.set_viewport_size(viewport)
    pages = {
        "entry": "/body/",
        "body weight chart": "/body/measurements/body-weight/",
        "waist chart, all": "/body/measurements/waist/?range=all",
        "own category": f"/body/measurements/own/{category.pk}/",
        "own measurements": "/body/measurements/own/",
        "photos": "/body/photos/",
        "compare": f"/body/photos/compare/?a={older.pk}&b={newer.pk}",
    }
    problems: list[str] = []
    width = viewport["width"]
    for label, path in pages.items():
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, f"{label}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        if width == PHONE["width"]:
            problems += layout_problems(page, label)
        problems += serious_axe(page, f"{label} at {width}")
        page.screenshot(
            path=str(SHOTS / f"body-{label.replace(' ', '-').replace(',', '')}-{width}.png"), full_page=True
        )
    assert problems == [], "\n".join(problems)
