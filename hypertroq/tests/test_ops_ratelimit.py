"""Rate limits: 429 with a clear message and Retry-After; fail open or closed when the cache is down."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import override_settings

from accounts.tests.factories import UserFactory
from hypertroq.ratelimit import check_rate, parse_rate, ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _enabled_and_clean():
    cache.clear()
    with override_settings(RATELIMIT_ENABLED=True, RATELIMITS={"t_write": "3/m", "t_ai": "2/h"}):
        yield
    cache.clear()


@ratelimit(group="t_write", key="user", fail_open=True)
def write_view(request):
    return HttpResponse("ok")


def _post(rf, user=None, **extra):
    request = rf.post("/things", **extra)
    request.user = user if user is not None else _Anon()
    request.htmx = bool(extra.get("HTTP_HX_REQUEST"))
    return request


def _Anon():
    return AnonymousUser()


def _User(name):
    return UserFactory(full_name=name)


def test_parse_rate():
    assert parse_rate("10/m") == (10, 60)
    assert parse_rate("20/h") == (20, 3600)
    assert parse_rate("5/10m") == (5, 600)
    with pytest.raises(ValueError):
        parse_rate("ten per minute")


def test_fourth_write_in_a_minute_gets_429_page_with_retry_after(rf):
    alice = _User("a")
    for _ in range(3):
        assert write_view(_post(rf, alice)).status_code == 200
    response = write_view(_post(rf, alice))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.content.decode()
    assert "<h1>Too many requests</h1>" in body
    assert "at most 3 of these per 60 seconds" in body
    # Another user has their own allowance.
    assert write_view(_post(rf, _User("b"))).status_code == 200


def test_htmx_gets_a_partial_retargeted_to_notices(rf):
    bob = _User("bob")
    for _ in range(3):
        write_view(_post(rf, bob, HTTP_HX_REQUEST="true"))
    response = write_view(_post(rf, bob, HTTP_HX_REQUEST="true"))
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#notices"
    body = response.content.decode()
    assert "<html" not in body
    assert 'role="alert"' in body
    assert "Too many requests" in body


def test_json_clients_get_json(rf):
    carol = _User("carol")
    for _ in range(3):
        write_view(_post(rf, carol, HTTP_ACCEPT="application/json"))
    response = write_view(_post(rf, carol, HTTP_ACCEPT="application/json"))
    assert response.status_code == 429
    payload = json.loads(response.content)
    assert payload["error"] == "rate_limited"
    assert payload["retry_after"] >= 1


def test_anonymous_requests_are_counted_by_address(rf):
    for _ in range(3):
        assert write_view(_post(rf, REMOTE_ADDR="198.51.100.1")).status_code == 200
    assert write_view(_post(rf, REMOTE_ADDR="198.51.100.1")).status_code == 429
    assert write_view(_post(rf, REMOTE_ADDR="198.51.100.2")).status_code == 200


def test_reads_are_not_counted_by_default(rf):
    dave = _User("dave")
    for _ in range(10):
        request = rf.get("/things")
        request.user = dave
        assert write_view(request).status_code == 200


def test_disabled_setting_lets_everything_through(rf):
    with override_settings(RATELIMIT_ENABLED=False):
        for _ in range(10):
            assert write_view(_post(rf, _User("erin"))).status_code == 200


class _DownCache:
    """What django-redis with DJANGO_REDIS_IGNORE_EXCEPTIONS answers when Redis is down."""

    def add(self, *args, **kwargs):
        return None

    def incr(self, *args, **kwargs):
        return None


class _RaisingCache:
    def add(self, *args, **kwargs):
        raise ConnectionError("redis down")

    incr = add


@pytest.mark.parametrize("down_cache", [_DownCache(), _RaisingCache()])
def test_cache_down_fails_open_or_closed_as_declared(rf, monkeypatch, down_cache):
    from hypertroq import ratelimit as module

    monkeypatch.setattr(module, "cache", down_cache)
    request = _post(rf, _User("frank"))
    opened = check_rate(request=request, group="t_write", fail_open=True)
    assert opened.allowed and opened.cache_unavailable
    closed = check_rate(request=request, group="t_ai", fail_open=False)
    assert not closed.allowed and closed.cache_unavailable
    response = module.ratelimited_response(request, closed)
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()


# --- through the real views -------------------------------------------------------------------------


@override_settings(RATELIMIT_ENABLED=True, RATELIMITS={"program_create": "10/m"})
def test_eleventh_program_in_a_minute_is_refused_with_429(client):
    from django.urls import reverse

    from programs.models import TrainingProgram

    lifter = UserFactory(subscription_tier="pro")  # no cap on active programs
    client.force_login(lifter)
    url = reverse("programs:create")
    for i in range(10):
        response = client.post(url, {"name": f"Block {i}", "structure_type": "WEEKLY"})
        assert response.status_code == 302, response.content[:500]
    response = client.post(url, {"name": "Block 11", "structure_type": "WEEKLY"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    assert TrainingProgram.objects.filter(user=lifter).count() == 10  # nothing created
    # htmx: a small partial for the page's notice area.
    response = client.post(url, {"name": "Block 12", "structure_type": "WEEKLY"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#notices"
    assert "<html" not in response.content.decode()
    # Reading the form is not a write and is not limited.
    assert client.get(url).status_code == 200


@override_settings(RATELIMIT_ENABLED=True, RATELIMITS={"ai_query": "2/m"})
def test_ai_description_search_is_limited_per_user_but_name_search_is_not(client, monkeypatch):
    from django.urls import reverse

    from exercises import views as exercise_views

    monkeypatch.setattr(exercise_views, "exercise_semantic_search_for_user", lambda **kwargs: [])
    client.force_login(UserFactory())
    url = reverse("exercises:list")
    assert client.get(url, {"ask": "chest without a barbell"}).status_code == 200
    assert client.get(url, {"ask": "chest without a barbell", "page": "2"}).status_code == 200
    response = client.get(url, {"ask": "legs"})
    assert response.status_code == 429
    assert "at most 2 of these per 60 seconds" in response.content.decode()
    for _ in range(5):
        assert client.get(url, {"q": "bench"}).status_code == 200


def test_every_rate_limited_url_has_a_configured_rate(settings):
    """A view decorated with a group that RATELIMITS lacks would answer 500 on its first write."""
    from django.urls import URLPattern, URLResolver, get_resolver

    from hypertroq.ratelimit import rate_for

    def callbacks(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from callbacks(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                yield entry.callback

    from hypertroq.settings import base as project_settings

    settings.RATELIMITS = project_settings.RATELIMITS
    groups = {g for cb in callbacks(get_resolver().url_patterns) for g in getattr(cb, "ratelimit_groups", ())}
    assert {"program_create", "ai_query", "login"} <= groups  # the walk sees the decorated views
    for group in groups:
        parse_rate(rate_for(group))
