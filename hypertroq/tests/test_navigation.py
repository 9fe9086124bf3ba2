"""The main navigation (``{% nav_links %}``): one markup per viewer and page, built once per process
and shown twice; never another viewer's, always the request's CSRF token."""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token
from django.template.base import Template as BaseTemplate

from accounts.models import OrganizationTier
from accounts.tests.factories import UserFactory
from hypertroq.http import CSRF_PLACEHOLDER
from hypertroq.templatetags.ui import nav_markup

NAV = r'<nav class="site-nav nav-(?:wide|panel)" aria-label="Main"><ul>(.*?)</ul></nav>'


@pytest.fixture(autouse=True)
def fresh():
    nav_markup.cache_clear()
    yield
    nav_markup.cache_clear()


@pytest.fixture
def nav_renders(monkeypatch):
    renders: list[str] = []
    original = BaseTemplate.render

    def counting(self, context):
        if self.origin.template_name == "_nav_links.html":
            renders.append(self.origin.template_name)
        return original(self, context)

    monkeypatch.setattr(BaseTemplate, "render", counting)
    return renders


def navigation(client, path="/programs/templates/") -> str:
    page = client.get(path).content.decode()
    wide, panel = re.findall(NAV, page, re.S)
    assert wide == panel  # the phone's Menu shows the same links
    return wide


@pytest.mark.django_db
def test_rendered_once_per_viewer_and_page_and_shown_twice(client, user, nav_renders):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(user)
        nav_renders.clear()
        wide = navigation(client)
        assert nav_renders == ["_nav_links.html"]
        assert "/exercises/" in wide and 'aria-current="page"' in wide
        assert ("Log out" in wide) is signed_in and ("Sign up" in wide) is not signed_in
        navigation(client)
        assert nav_renders == ["_nav_links.html"]  # the second page is the cached markup


@pytest.mark.django_db
def test_each_viewer_sees_their_own_name_and_entries(client, user, staff_user):
    client.force_login(user)
    mine = navigation(client)
    client.force_login(staff_user)
    theirs = navigation(client)
    assert user.full_name in mine and user.full_name not in theirs
    assert staff_user.full_name in theirs and staff_user.full_name not in mine
    assert ">Admin<" not in mine.replace("</svg>", ">") and "/admin/" not in mine
    assert "/admin/" in theirs


@pytest.mark.django_db
def test_a_change_to_the_viewer_shows_on_the_next_page(client, user):
    client.force_login(user)
    assert "/organization/members/" not in navigation(client)  # a lifter on their own (free plan)
    user.organization.subscription_tier = OrganizationTier.PRO
    user.organization.save(update_fields=["subscription_tier"])
    assert "/organization/members/" in navigation(client)  # an owner with room for members
    user.full_name = "Renamed Lifter"
    user.save(update_fields=["full_name"])
    assert "Renamed Lifter" in navigation(client)
    user.full_name = ""
    user.save(update_fields=["full_name"])
    assert user.email in navigation(client)  # no name: the address stands for it


@pytest.mark.django_db
def test_the_current_page_is_the_pages_own(user_client):
    on_templates = navigation(user_client, "/programs/templates/")
    on_exercises = navigation(user_client, "/exercises/")
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')
    assert current.findall(on_templates) == ["/programs/templates/"]
    assert current.findall(on_exercises) == ["/exercises/"]


@pytest.mark.django_db
def test_the_log_out_form_carries_the_requests_token_and_works(client, user):
    client = client.__class__(enforce_csrf_checks=True)
    client.force_login(user)
    tokens = []
    for _ in range(2):
        wide = navigation(client)
        assert CSRF_PLACEHOLDER not in wide
        (token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', wide)
        tokens.append(token)
    secret = client.cookies["csrftoken"].value
    assert len(tokens[1]) == CSRF_TOKEN_LENGTH and tokens[0] != tokens[1]  # masked afresh
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_two_lifters_with_the_same_page_get_their_own_forms(client):
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    first_nav = navigation(client)
    client.force_login(second)
    second_nav = navigation(client)
    assert first.email not in second_nav and first.full_name not in second_nav
    assert first_nav != second_nav
