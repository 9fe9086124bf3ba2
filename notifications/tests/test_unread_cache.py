"""The bell's cached unread count (notifications.unread): never stale, never another user's."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from notifications import services, unread
from notifications.models import Notification, NotificationKind
from notifications.selectors import notification_unread_count

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
BELL = reverse("notifications:bell")


@pytest.fixture(autouse=True)
def unread_cache(settings):
    settings.NOTIFICATION_UNREAD_CACHE = True
    cache.clear()
    yield
    cache.clear()


def _notify(user, title="Your coach gave you a program", **kwargs):
    return services.notification_create(
        user=user, kind=NotificationKind.PROGRAM_GIVEN, title=title, url="/programs/", **kwargs
    )


def _bell(client) -> str:
    return client.get(BELL, headers={"HX-Request": "true"}).content.decode()


def test_a_cached_count_costs_no_query(user, django_assert_num_queries):
    _notify(user)
    assert notification_unread_count(user=user) == 1
    with django_assert_num_queries(0):
        assert notification_unread_count(user=user) == 1


def test_every_service_that_changes_the_count_refreshes_it(user, django_capture_on_commit_callbacks):
    assert notification_unread_count(user=user) == 0
    first = _notify(user, title="First")
    assert notification_unread_count(user=user) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, title="Second", dedupe_key="event-2")
    assert notification_unread_count(user=user) == 2
    _notify(user, title="Second again", dedupe_key="event-2")  # the same event: still two
    assert notification_unread_count(user=user) == 2
    services.notification_mark_read(user=user, notification_id=first.pk)
    assert notification_unread_count(user=user) == 1
    services.notification_mark_all_read(user=user)
    assert notification_unread_count(user=user) == 0
    assert (
        notification_unread_count(user=user)
        == Notification.objects.filter(user=user, read_at__isnull=True).count()
    )


def test_a_count_taken_before_a_change_commits_is_not_kept(user, django_capture_on_commit_callbacks):
    """A page counts (old rows), a service then changes the rows and commits, and only then the
    page stores its count: the next page must not use it."""

    def count_then_a_notification_arrives() -> int:
        before = Notification.objects.filter(user=user, read_at__isnull=True).count()
        with django_capture_on_commit_callbacks(execute=True):
            _notify(user, title="Arrived while the page was counting")
        return before

    assert unread.cached_count(user_id=user.pk, count=count_then_a_notification_arrives) == 0
    assert notification_unread_count(user=user) == 1


def test_one_users_count_is_never_anothers(user, other_user, user_client):
    client = Client()  # (user_client is the ``client`` fixture, signed in as ``user``)
    _notify(user, title="Mine")
    _notify(other_user, title="Theirs 1")
    _notify(other_user, title="Theirs 2")
    assert notification_unread_count(user=user) == 1
    assert notification_unread_count(user=other_user) == 2
    assert ">1<" in _bell(user_client)
    client.force_login(other_user)
    assert ">2<" in _bell(client)
    services.notification_mark_all_read(user=other_user)
    assert notification_unread_count(user=other_user) == 0
    assert 'aria-label="Notifications: 1 unread"' in user_client.get(LIST).content.decode()
    assert 'aria-label="Notifications"' in client.get(LIST).content.decode()


def test_the_bell_on_pages_follows_reads_and_new_notifications(user, user_client):
    first = _notify(user, title="First")
    assert ">1<" in _bell(user_client)
    _notify(user, title="Second")
    assert 'aria-label="Notifications: 2 unread"' in user_client.get(LIST).content.decode()
    user_client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert ">1<" in _bell(user_client)
    user_client.post(reverse("notifications:mark_all_read"))
    assert 'aria-label="Notifications"' in user_client.get(LIST).content.decode()


def test_the_list_page_skips_the_count_query_once_cached(user, user_client, django_assert_num_queries):
    _notify(user)
    user_client.get(LIST)  # warm the session and the count
    with django_assert_num_queries(3):  # session, user, the list (the bell's count: cached)
        response = user_client.get(LIST)
    assert response.status_code == 200


def test_off_without_a_shared_cache(user, settings, django_assert_num_queries):
    settings.NOTIFICATION_UNREAD_CACHE = False
    _notify(user)
    assert notification_unread_count(user=user) == 1
    with django_assert_num_queries(1):
        assert notification_unread_count(user=user) == 1
