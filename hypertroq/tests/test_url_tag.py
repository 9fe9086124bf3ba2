"""``{% url %}`` (hypertroq/templatetags/urls.py): links without arguments reversed once per
process, the same links as Django's, whatever the script prefix; the rest as before."""

from __future__ import annotations

import uuid

import pytest
from django.template import Context, Engine, Template, engines
from django.urls import NoReverseMatch, reverse, set_script_prefix

from hypertroq.templatetags import urls


@pytest.fixture(autouse=True)
def fresh():
    urls.clear()
    yield
    urls.clear()
    set_script_prefix("/")


def render(source: str, **context) -> str:
    return engines["django"].from_string(source).render(context)


def test_it_is_the_url_tag_of_every_template():
    node = Template("{% url 'home' %}", engine=Engine.get_default()).nodelist[0]
    assert isinstance(node, urls.CachedURLNode)


def test_links_are_djangos():
    assert render("{% url 'programs:list' %}") == reverse("programs:list")
    assert render("{% url 'programs:list' as u %}[{{ u }}]") == f"[{reverse('programs:list')}]"
    pk = uuid.uuid4()
    assert render("{% url 'notifications:mark_read' pk %}", pk=pk) == reverse(
        "notifications:mark_read", args=[pk]
    )
    assert render("{% url name %}", name="exercises:list") == reverse("exercises:list")


def test_a_link_without_arguments_is_reversed_once(monkeypatch):
    first = render("{% url 'programs:list' %}")

    def no_more(*args, **kwargs):
        raise AssertionError("reversed again")

    monkeypatch.setattr(urls, "reverse", no_more)
    assert render("{% url 'programs:list' %}") == first


def test_the_script_prefix_is_part_of_the_key():
    assert render("{% url 'programs:list' %}") == "/programs/"
    set_script_prefix("/app/")
    assert render("{% url 'programs:list' %}") == "/app/programs/"
    set_script_prefix("/")
    assert render("{% url 'programs:list' %}") == "/programs/"


def test_an_unknown_name_is_an_error_or_empty_with_as_and_never_cached():
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    assert render("{% url 'no-such-page' as u %}[{{ u }}]") == "[]"
    assert not urls._reversed


def test_escaped_like_djangos():
    assert Template("{% url 'home' %}", engine=Engine.get_default()).render(Context()) == "/"


def test_icons_are_built_once_and_escape_their_class_as_before():
    from django.utils.safestring import mark_safe

    from hypertroq.templatetags.ui import _icon, icon

    first = icon("bell")
    assert icon("bell") is first  # built once
    assert 'class="icon"' in first and "<path" in first
    assert 'class="a&amp;b"' in icon("bell", "a&b")
    assert 'class="a&b"' in icon("bell", mark_safe("a&b"))  # a safe class is not escaped twice...
    assert 'class="a&amp;b"' in icon("bell", "a&b")  # ...nor makes a plain one unescaped
    with pytest.raises(KeyError):
        icon("no-such-icon")
    assert _icon.cache_info().currsize >= 3


def test_a_link_with_one_uuid_is_djangos_and_reversed_once_per_name(monkeypatch):
    first, second = uuid.uuid4(), uuid.uuid4()
    source = "{% url 'programs:detail' program_id=pk %}|{% url 'notifications:mark_read' pk %}"
    expected = f"{reverse('programs:detail', kwargs={'program_id': first})}|" + reverse(
        "notifications:mark_read", args=[first]
    )
    assert render(source, pk=first) == expected

    def no_more(*args, **kwargs):
        raise AssertionError("reversed again")

    monkeypatch.setattr(urls, "reverse", no_more)
    assert render(source, pk=second) == expected.replace(str(first), str(second))


def test_a_link_with_one_uuid_follows_the_script_prefix_and_other_arguments_stay_djangos():
    pk = uuid.uuid4()
    set_script_prefix("/app/")
    assert render("{% url 'programs:detail' program_id=pk %}", pk=pk) == f"/app/programs/{pk}/"
    set_script_prefix("/")
    assert render("{% url 'programs:detail' program_id=pk %}", pk=pk) == f"/programs/{pk}/"
    # A string id, or two arguments: Django's reverse (and its errors), nothing cached.
    assert render("{% url 'programs:detail' program_id=pk %}", pk=str(pk)) == f"/programs/{pk}/"
    session = uuid.uuid4()
    assert render(
        "{% url 'programs:session_update' program_id=pk session_id=s %}", pk=pk, s=session
    ) == reverse("programs:session_update", kwargs={"program_id": pk, "session_id": session})
    with pytest.raises(NoReverseMatch):
        render("{% url 'programs:detail' program_id=pk %}", pk="not-a-uuid")
