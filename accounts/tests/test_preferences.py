"""The lifter's preferences row: one writer, defaults without a row, exact queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import OrganizationStatus
from accounts.preferences import UserPreferences
from accounts.selectors import user_preferences_for
from accounts.services import user_preferences_update
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_no_row_reads_the_defaults_without_saving_anything():
    user = UserFactory()
    prefs = user_preferences_for(user=user)
    assert prefs.pk is not None and prefs._state.adding  # an unsaved stand-in
    assert (prefs.unit, prefs.week_start, prefs.default_rest_seconds, prefs.counting) == (
        "kg",
        0,
        120,
        "fractional",
    )
    assert not UserPreferences.objects.exists()


def test_the_first_change_creates_the_row_and_later_ones_update_it_exactly(django_assert_num_queries):
    user = UserFactory()
    user.organization  # noqa: B018  (loaded with the user in a request)
    # savepoint, lock the row (none), insert, release
    with django_assert_num_queries(4):
        first = user_preferences_update(user=user, unit="lb", week_start=6)
    version = first.updated_at
    # savepoint, lock the row, update, release
    with django_assert_num_queries(4):
        second = user_preferences_update(user=user, default_rest_seconds=90)
    stored = UserPreferences.objects.get(user=user)
    assert (stored.unit, stored.week_start, stored.default_rest_seconds) == ("lb", 6, 90)
    assert second.updated_at > version  # the version a cache may key on moves with every change
    with django_assert_num_queries(0):
        assert user_preferences_for(user=user).default_rest_seconds == 90  # the user carries the row


def test_plates_are_kept_largest_first():
    user = UserFactory()
    user_preferences_update(user=user, plates=[Decimal("5"), Decimal("25"), Decimal("10")])
    assert UserPreferences.objects.get(user=user).plates == [Decimal("25"), Decimal("10"), Decimal("5")]


@pytest.mark.parametrize(
    "changes",
    [
        {"week_start": 7},
        {"default_rest_seconds": -1},
        {"default_rest_seconds": 901},
        {"counting": "half"},
        {"unit": "st"},
        {"time_zone": "Mars/Olympus"},
        {"rir_threshold": Decimal("4.2")},
    ],
)
def test_nonsense_is_refused_and_nothing_is_saved(changes):
    user = UserFactory()
    with pytest.raises(ValidationError):
        user_preferences_update(user=user, **changes)
    assert not UserPreferences.objects.exists()


def test_an_unknown_field_is_a_programming_error():
    with pytest.raises(TypeError):
        user_preferences_update(user=UserFactory(), colour="red")


def test_a_suspended_organization_changes_nothing():
    user = UserFactory()
    user.organization.subscription_status = OrganizationStatus.SUSPENDED
    user.organization.save()
    with pytest.raises(ValidationError):
        user_preferences_update(user=user, unit="lb")
    assert not UserPreferences.objects.exists()
