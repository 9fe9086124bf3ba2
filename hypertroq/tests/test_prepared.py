"""``hypertroq.prepared.OneRowByKey``: the ORM's objects from a query compiled once per connection."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.preferences import UserPreferences
from accounts.tests.factories import UserFactory
from hypertroq.prepared import OneRowByKey

RELATED = ("organization", "preferences", "volume_preference")


def with_related(key):
    return User.objects.select_related(*RELATED).filter(pk=key).order_by()[:1]


@pytest.mark.django_db
def test_the_same_objects_as_the_orm_with_their_related_rows_in_one_query():
    user = UserFactory()
    UserPreferences.objects.create(user=user, time_zone="Europe/Paris")
    lookup = OneRowByKey("test-user", with_related)
    expected = with_related(user.pk)[0]
    with CaptureQueriesContext(connection) as queries:
        found = lookup.get(str(user.pk))  # a session keeps the key as text
        assert found is not None
        assert found.organization.name == user.organization.name
        assert found.preferences.time_zone == "Europe/Paris"
        assert found.preferences.bar_weight == expected.preferences.bar_weight  # converters applied
        assert type(found.preferences.bar_weight) is type(expected.preferences.bar_weight)
        assert not hasattr(found, "volume_preference")  # none: known without a query, as the ORM does
    assert len(queries) == 1
    for field in User._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found._state.db == "default" and not found._state.adding
    found.full_name = "Saved"
    with CaptureQueriesContext(connection) as queries:
        found.save(update_fields=["full_name"])  # an ordinary instance: an UPDATE, not an INSERT
    assert queries[0]["sql"].startswith("UPDATE")
    assert User.objects.get(pk=user.pk).full_name == "Saved"


@pytest.mark.django_db
def test_no_row_is_none_and_the_managers_filter_holds():
    user, other = UserFactory(), UserFactory()
    lookup = OneRowByKey("test-user", with_related)
    assert lookup.get(other.pk).pk == other.pk
    user.is_deleted = True
    user.save(update_fields=["is_deleted"])
    assert lookup.get(user.pk) is None  # the default manager hides deleted accounts
    assert lookup.get("6f1f7f7e-0000-4000-8000-000000000000") is None
    assert lookup.get(other.pk).pk == other.pk  # another key, the same compiled query


@pytest.mark.django_db
def test_compiled_once_per_connection():
    user = UserFactory()
    built = []

    def build(key):
        built.append(key)
        return with_related(key)

    lookup = OneRowByKey("test-counted", build)
    for _ in range(3):
        assert lookup.get(user.pk).pk == user.pk
    assert len(built) == 1
    # Another thread has its own connection, and compiles for it.
    results = []

    def other_thread():
        try:
            results.append(lookup.get(user.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert len(built) == 2


@pytest.mark.django_db
def test_a_query_must_use_its_key_once():
    lookup = OneRowByKey("test-twice", lambda key: User.objects.filter(pk=key).exclude(organization_id=key))
    with pytest.raises(ValueError, match="exactly once"):
        lookup.get(UserFactory().pk)
