"""Issue 13 hardening at the site level: Content-Security-Policy and the other headers, templates
that need no inline script or style, and 503 (not 500) while the database is unreachable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]
INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"<style(?![^>]*nonce=)", re.I), "a <style> element without the nonce"),
    (re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*nonce=)", re.I), "an inline <script> without the nonce"),
    (re.compile(r"\shx-on[:-]", re.I), "hx-on (htmx would need eval)"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def test_no_template_needs_inline_script_or_style():
    """The policy allows no inline code without the request's nonce: a template with any of these
    would break under it (the browser tests also fail on every violation Chromium reports)."""
    problems = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            text = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)
            for pattern, what in INLINE:
                for match in pattern.finditer(text):
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert len(TEMPLATE_DIRS) > 1
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/exercises/", "/programs/templates/"])
def test_pages_send_the_policy_and_the_other_security_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'") and directives["style-src"].startswith("'self'")
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in response


@pytest.mark.django_db
def test_a_page_answers_503_with_retry_after_while_the_database_is_unreachable(monkeypatch):
    from exercises import views as exercise_views

    def unreachable(**kwargs):
        raise OperationalError('connection to server on socket "/x/.s.PGSQL.5432" failed')

    monkeypatch.setattr(exercise_views, "exercise_search", unreachable)
    client = Client(raise_request_exception=False)
    response = client.get(reverse("exercises:list"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "Back in a moment" in response.content.decode()
    # Any other error is still a plain 500 (a bug must not look like an outage).
    monkeypatch.setattr(exercise_views, "exercise_search", lambda **kwargs: 1 / 0)
    assert client.get(reverse("exercises:list")).status_code == 500
