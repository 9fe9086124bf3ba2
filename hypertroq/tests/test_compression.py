"""Pages are gzip-compressed on the wire, except where a secret is shown (BREACH, see
hypertroq/compression.py)."""

from __future__ import annotations

import gzip
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _csrf_in(body: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert match, "no CSRF token in the page"
    return match.group(1).decode()


def test_a_page_is_compressed_when_the_browser_accepts_gzip(client):
    response = client.get(reverse("accounts:login"), headers=GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content)
    assert b"<form" in html
    assert len(response.content) < len(html) / 2


def test_no_compression_for_a_client_that_does_not_ask(client):
    response = client.get(reverse("accounts:login"))
    assert "Content-Encoding" not in response
    assert b"<form" in response.content


def test_the_csrf_token_in_a_compressed_page_differs_on_every_request(client):
    """BREACH needs the secret's bytes to repeat across responses; the masked token never does."""
    first = gzip.decompress(client.get(reverse("accounts:login"), headers=GZIP).content)
    second = gzip.decompress(client.get(reverse("accounts:login"), headers=GZIP).content)
    assert _csrf_in(first) != _csrf_in(second)


def test_the_two_factor_page_that_shows_the_totp_key_is_not_compressed(user_client):
    response = user_client.get(reverse("accounts:two_factor"), headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert b"<form" in response.content
