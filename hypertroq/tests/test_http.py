"""hypertroq.http.wants_partial: the one rule for answering htmx with a page's partial."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_htmx_gets_the_partial_and_a_history_restore_the_whole_page(client):
    url = reverse("exercises:list")
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    restored = client.get(
        url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    plain = client.get(url).content.decode()
    assert "<html" not in partial
    assert "<html" in restored
    assert "<html" in plain
