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


def _tokens(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--c-[a-z-]+):\s*(#[0-9a-f]{6})", block))


def _contrast(first: str, second: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_colour_tokens_keep_wcag_aa_contrast_in_light_and_dark_mode():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    light = _tokens(css[css.index(":root {") : css.index("@media (prefers-color-scheme: dark)")])
    dark = {**light, **_tokens(css[css.index("@media (prefers-color-scheme: dark)") :].split("}\n}")[0])}
    text = ["--c-text", "--c-muted", "--c-link", "--c-danger", "--c-ok", "--c-warn", "--c-below",
            "--c-productive", "--c-optimal", "--c-high", "--c-above"]  # fmt: skip
    pairs = [(t, bg, 4.5) for t in text for bg in ("--c-bg", "--c-surface", "--c-sunken")]
    pairs += [("--c-on-primary", "--c-primary", 4.5), ("--c-on-danger", "--c-danger", 4.5)]
    pairs += [
        ("--c-danger", "--c-danger-bg", 4.5),
        ("--c-warn", "--c-warn-bg", 4.5),
        ("--c-ok", "--c-ok-bg", 4.5),
    ]
    pairs += [(ui, bg, 3) for ui in ("--c-field", "--c-focus") for bg in ("--c-bg", "--c-surface")]
    failures = [
        f"{mode}: {fg} on {bg} is {_contrast(tokens[fg], tokens[bg]):.2f}:1, under {minimum}:1"
        for mode, tokens in (("light", light), ("dark", dark))
        for fg, bg, minimum in pairs
        if _contrast(tokens[fg], tokens[bg]) < minimum
    ]
    assert failures == []
