"""Notifications: the service other apps call, preferences, the bell, the list, unsubscribe."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from accounts.services import user_preferences_update
from notifications import services
from notifications.models import Channel, Notification, NotificationKind, ReminderSettings
from notifications.selectors import notification_unread_count

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _notify(user, kind=NotificationKind.PROGRAM_GIVEN, title="Your coach gave you a program", **kwargs):
    return services.notification_create(user=user, kind=kind, title=title, url="/programs/", **kwargs)


def test_a_notification_reaches_the_bell_and_by_default_the_inbox(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(user, body="Push Pull Legs, from Coach Kim.")
    assert notification is not None and notification.is_unread
    assert notification_unread_count(user=user) == 1
    (email,) = mail.outbox
    assert email.to == [user.email]
    assert email.subject == "Your coach gave you a program"
    assert "Push Pull Legs" in email.body
    assert "http://testserver/programs/" in email.body or "/programs/" in email.body
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<") and "/notifications/unsubscribe/" in unsubscribe
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in email.body


def test_one_event_is_one_notification_and_one_email(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(user, dedupe_key="program:1")
        second = _notify(user, dedupe_key="program:1")
    assert first is not None and second is not None and first.pk == second.pk
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1


def test_preferences_per_kind_and_channel_are_honoured(user, django_capture_on_commit_callbacks):
    services.preference_set(
        user=user, kind=NotificationKind.PROGRAM_GIVEN, channel=Channel.EMAIL, enabled=False
    )
    services.preference_set(
        user=user, kind=NotificationKind.MEMBER_JOINED, channel=Channel.IN_APP, enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(user) is not None  # in-app only
        assert _notify(user, kind=NotificationKind.MEMBER_JOINED, title="Ana joined") is None
        # Member joined sends no email by default either: nothing at all.
    assert mail.outbox == []
    assert list(Notification.objects.filter(user=user).values_list("kind", flat=True)) == ["program_given"]


def test_the_bell_shows_the_unread_count_in_the_header(user_client, user):
    _notify(user)
    _notify(user, title="Second")
    page = user_client.get(LIST).content.decode()
    assert 'aria-label="Notifications: 2 unread"' in page
    fragment = user_client.get(reverse("notifications:bell"), headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert body.strip().startswith('<a id="notification-bell"') and ">2<" in body
    assert 'hx-get="/notifications/bell/"' in body  # refreshes itself; the link works without JS


def test_mark_one_and_all_read(user_client, user, other_user):
    first, second = _notify(user, title="First"), _notify(user, title="Second")
    theirs = _notify(other_user, title="Theirs")
    response = user_client.post(reverse("notifications:mark_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert not first.is_unread
    # Someone else's notification: not found, nothing changes.
    assert user_client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_unread
    user_client.post(reverse("notifications:mark_all_read"))
    second.refresh_from_db()
    assert not second.is_unread
    assert notification_unread_count(user=other_user) == 1


def test_open_marks_read_and_goes_to_the_link(user_client, user):
    notification = _notify(user)
    response = user_client.post(reverse("notifications:mark_read", args=[notification.pk]), {"go": "1"})
    assert response.status_code == 302 and response["Location"] == "/programs/"


def test_mark_read_with_htmx_returns_the_list_fragment(user_client, user):
    notification = _notify(user, title="Coach says hi")
    response = user_client.post(
        reverse("notifications:mark_read", args=[notification.pk]), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.strip().startswith('<div id="notification-items">') and "Coach says hi" in body
    assert "<html" not in body


@pytest.mark.parametrize("count", [1, 8])
def test_list_page_queries_do_not_grow_with_notifications(
    user_client, user, count, django_assert_num_queries
):
    for n in range(count):
        _notify(user, title=f"Note {n}")
    user_client.get(LIST)  # warm the session
    with django_assert_num_queries(4):  # session, user, the list, the bell count
        response = user_client.get(LIST)
    assert response.status_code == 200


def test_preferences_page_saves_choices_and_reminders(user_client, user):
    assert user_client.get(reverse("notifications:preferences"))["Location"] == "/preferences/#notifications"
    user_preferences_update(user=user, time_zone="Europe/Berlin")  # reminders follow the lifter's zone
    page = user_client.get(reverse("preferences:page"))
    assert page.status_code == 200
    data = {f"{kind}__in_app": "on" for kind in NotificationKind.values}
    data["section"] = "notifications"
    data.update(
        {
            "weekly_digest__email": "on",
            "reminder-remind_at": "18:30",
            "reminder-weekdays": ["0", "2", "4"],
        }
    )
    response = user_client.post(reverse("preferences:page"), data)
    assert response.status_code == 302
    assert services.preference_enabled(user=user, kind=NotificationKind.WEEKLY_DIGEST, channel=Channel.EMAIL)
    assert not services.preference_enabled(
        user=user, kind=NotificationKind.PROGRAM_GIVEN, channel=Channel.EMAIL
    )
    reminder = ReminderSettings.objects.get(user=user)
    assert (reminder.time_zone, reminder.remind_at.strftime("%H:%M"), reminder.weekdays) == (
        "Europe/Berlin",
        "18:30",
        [0, 2, 4],
    )


def test_preferences_refuse_an_unknown_time_zone(user_client, user):
    """The reminders' zone is the lifter's (validated where it is set): one posted with the
    reminders never reaches them."""
    response = user_client.post(
        reverse("preferences:page"),
        {"section": "notifications", "reminder-time_zone": "Mars/Olympus", "reminder-remind_at": "07:00"},
    )
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=user).time_zone == "UTC"
    response = user_client.post(
        reverse("preferences:page"),
        {
            "section": "training",
            "unit": "kg",
            "rir_threshold": "4",
            "week_start": "0",
            "default_rest_seconds": "120",
            "time_zone": "Mars/Olympus",
        },
    )
    assert response.status_code == 400
    assert ReminderSettings.objects.get(user=user).time_zone == "UTC"


def test_one_click_unsubscribe_without_logging_in(client, user):
    url = reverse(
        "notifications:unsubscribe",
        kwargs={"token": services.unsubscribe_token(user=user, kind=NotificationKind.WEEKLY_DIGEST)},
    )
    page = client.get(url)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and "Weekly digest" in page.content.decode()
    assert services.preference_enabled(user=user, kind=NotificationKind.WEEKLY_DIGEST, channel=Channel.EMAIL)
    client.handler.enforce_csrf_checks = True
    response = client.post(url, {"List-Unsubscribe": "One-Click"})  # what a mail client sends
    assert response.status_code == 200
    assert not services.preference_enabled(
        user=user, kind=NotificationKind.WEEKLY_DIGEST, channel=Channel.EMAIL
    )
    assert services.preference_enabled(user=user, kind=NotificationKind.WEEKLY_DIGEST, channel=Channel.IN_APP)


def test_a_tampered_unsubscribe_link_is_refused(client, user):
    token = services.unsubscribe_token(user=user, kind=NotificationKind.WEEKLY_DIGEST)
    response = client.post(reverse("notifications:unsubscribe", kwargs={"token": token[:-2] + "xx"}))
    assert response.status_code == 400
    assert services.preference_enabled(user=user, kind=NotificationKind.WEEKLY_DIGEST, channel=Channel.EMAIL)


def test_pages_need_a_login(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
