import pytest
from django.db import OperationalError
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_links_to_library_and_templates(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("exercises:list") in body
    assert reverse("programs:template_list") in body


@pytest.mark.django_db
def test_healthz_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_healthz_503_when_database_unreachable(client, monkeypatch):
    from hypertroq import views

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(views.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
