"""The design system's shared pieces: the base template's head, navigation and the web app manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import OrganizationTier, Role
from accounts.tests.factories import OrganizationFactory, UserFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.django_db
def test_every_page_has_viewport_favicon_manifest_and_one_stylesheet(client):
    body = client.get("/").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1' in body
    assert 'rel="icon"' in body and "favicon.svg" in body
    assert f'rel="manifest" href="{reverse("web_manifest")}"' in body
    assert "css/app.css" in body


@pytest.mark.django_db
def test_the_manifest_makes_the_app_installable(client):
    response = client.get(reverse("web_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["display"] == "standalone" and manifest["start_url"]
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix(settings.STATIC_URL)
        assert (Path(settings.BASE_DIR) / "static" / path).is_file(), icon["src"]


def test_no_template_has_inline_style_or_event_handler_attributes():
    """A Content-Security-Policy without 'unsafe-inline' would block them: styles live in static/."""
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if "admin" in template.parts or "email" in template.parts:
            continue
        text = template.read_text()
        if re.search(r"\sstyle=|\son[a-z]+=[\"']|\shx-on", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


@pytest.mark.django_db
def test_a_solo_lifter_sees_no_members_link_a_pro_owner_does(client):
    solo = UserFactory()  # the owner of their own free organization
    client.force_login(solo)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("accounts:members") not in body
    assert "Organization" not in body

    pro = OrganizationFactory(subscription_tier=OrganizationTier.PRO)
    owner = UserFactory(organization=pro, role=Role.OWNER)
    client.force_login(owner)
    body = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("accounts:members") in body
