"""The one preferences page: every section shows, each saves on its own, the old pages send here."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import OrganizationStatus
from accounts.preferences import UserPreferences
from accounts.services import user_preferences_update
from notifications.models import ReminderSettings
from programs.models import VolumePreference
from programs.tests.factories import TrainingProgramFactory
from training.models import TrainingPreferences

pytestmark = pytest.mark.django_db
PAGE = "/preferences/"
TRAINING = {
    "section": "training",
    "unit": "kg",
    "display_increment": "",
    "bar_weight": "15",
    "plates": "20, 10, 5",
    "rir_threshold": "3",
    "default_rest_seconds": "150",
    "time_zone": "Europe/Berlin",
    "week_start": "6",
    "current_program": "",
}


def test_every_section_is_on_the_page(user_client):
    page = user_client.get(PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    for text in (
        'id="training"',
        "Week starts on",
        "Default rest (seconds)",
        "Hard-set RIR limit",
        'id="volume"',
        'name="CHEST__mev"',
        "Count volume as",
        'id="notifications"',
        'name="reminder-remind_at"',
    ):
        assert text in body, text
    assert body.count('href="#data"') == 1  # each section linked once


def test_round_weights_show_as_written_not_in_scientific_notation(user_client, user):
    """The default 20 kg bar came back as "2E+1" (Decimal.normalize) in its box."""
    page = user_client.get(PAGE).content.decode()
    assert 'name="bar_weight" value="20"' in page and "E+" not in page
    user_client.post(PAGE, {**TRAINING, "bar_weight": "100", "display_increment": "10"})
    page = user_client.get(PAGE).content.decode()
    assert 'name="bar_weight" value="100"' in page and 'name="display_increment" value="10"' in page


def test_anonymous_visitors_log_in_first(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("old", "anchor"),
    [
        ("training:preferences", "training"),
        ("programs:preferences", "volume"),
        ("notifications:preferences", "notifications"),
    ],
)
def test_the_old_pages_send_here(user_client, old, anchor):
    assert user_client.get(reverse(old))["Location"] == f"{PAGE}#{anchor}"


def test_the_training_section_saves_the_lifter_wide_settings(user_client, user):
    program = TrainingProgramFactory(user=user)
    response = user_client.post(PAGE, {**TRAINING, "current_program": str(program.pk)})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}#training"
    prefs = UserPreferences.objects.get(user=user)
    assert (prefs.bar_weight, prefs.week_start, prefs.default_rest_seconds, prefs.time_zone) == (
        Decimal("15.00"),
        6,
        150,
        "Europe/Berlin",
    )
    assert prefs.plates == [Decimal("20"), Decimal("10"), Decimal("5")]
    assert TrainingPreferences.objects.get(user=user).current_program_id == program.pk
    body = user_client.get(PAGE).content.decode()
    assert 'value="150"' in body and 'value="20, 10, 5"' in body


def test_one_sections_mistake_leaves_every_setting_alone(user_client, user):
    user_preferences_update(user=user, counting="direct", week_start=2)
    response = user_client.post(PAGE, {**TRAINING, "week_start": "9"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    prefs = UserPreferences.objects.get(user=user)
    assert (prefs.week_start, prefs.counting, prefs.time_zone) == (2, "direct", "")
    response = user_client.post(
        PAGE, {"section": "volume", "counting": "direct", "CHEST__mev": "30", "CHEST__mrv": "10"}
    )
    assert response.status_code == 400 and not VolumePreference.objects.filter(user=user).exists()


def test_the_volume_section_saves_the_counting_rule_on_the_preferences_row(user_client, user):
    response = user_client.post(PAGE, {"section": "volume", "counting": "direct", "CHEST__mev": "8"})
    assert response["Location"] == f"{PAGE}#volume"
    assert UserPreferences.objects.get(user=user).counting == "direct"
    assert VolumePreference.objects.get(user=user).landmark_overrides["CHEST"]["mev"] == 8


def test_reminders_start_in_the_lifters_time_zone(user_client, user):
    user_preferences_update(user=user, time_zone="Asia/Tokyo")
    body = user_client.get(PAGE).content.decode()
    assert "In your time zone, Asia/Tokyo" in body and 'name="reminder-time_zone"' not in body
    assert not ReminderSettings.objects.filter(user=user).exists()
    user_client.post(PAGE, {"section": "notifications", "reminder-remind_at": "06:30"})
    assert ReminderSettings.objects.get(user=user).time_zone == "Asia/Tokyo"
    # Moving: the one time zone changes, and the reminders with it.
    assert user_client.post(PAGE, {**TRAINING, "time_zone": "America/Chicago"}).status_code == 302
    reminder = ReminderSettings.objects.get(user=user)
    assert (reminder.time_zone, reminder.remind_at.strftime("%H:%M")) == ("America/Chicago", "06:30")


def test_an_unknown_section_changes_nothing(user_client, user):
    assert user_client.post(PAGE, {**TRAINING, "section": "colours"}).status_code == 400
    assert not UserPreferences.objects.filter(user=user).exists()


def test_a_suspended_organization_reads_but_cannot_save(user_client, user):
    user.organization.subscription_status = OrganizationStatus.SUSPENDED
    user.organization.save()
    body = user_client.get(PAGE).content.decode()
    assert "Save units and training" not in body and "suspended" in body
    user_client.post(PAGE, TRAINING)  # the read-only guard answers before the page
    assert not UserPreferences.objects.filter(user=user).exists()


@pytest.mark.parametrize("saved", [False, True])
def test_the_page_reads_in_a_fixed_number_of_queries(user_client, user, saved, django_assert_num_queries):
    if saved:
        user_client.post(PAGE, TRAINING)
        user_client.post(PAGE, {"section": "volume", "counting": "direct", "CHEST__mev": "8"})
        TrainingProgramFactory.create_batch(3, user=user)
    user_client.get(PAGE)  # warm the session
    # session, user (with preferences and volume preference), notification choices, reminders,
    # program followed, the programs to choose from, the bell's count
    with django_assert_num_queries(8):
        assert user_client.get(PAGE).status_code == 200


def test_saving_a_section_takes_an_exact_number_of_queries(user_client, user, django_assert_num_queries):
    user_client.get(PAGE)
    user_client.post(PAGE, TRAINING)  # the rows exist: the count below is the one of an update
    # session, user (with preferences and volume preference), rate limit (2), reads (choices,
    # reminders, program followed), the program choice's check, then the writes: savepoint, lock
    # and update the preferences row, lock and update the program followed, the reminders' time
    # zone, release
    with django_assert_num_queries(17):
        assert user_client.post(PAGE, {**TRAINING, "week_start": "3"}).status_code == 302
    assert UserPreferences.objects.get(user=user).week_start == 3
