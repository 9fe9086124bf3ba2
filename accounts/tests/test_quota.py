"""The AI-query quota: atomic under concurrency on real PostgreSQL, monthly reset, both limits."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from accounts.models import Organization, OrganizationTier, User, UserTier
from accounts.quota import AIQuotaExceeded, ai_query_consume, ai_quota_status, current_month
from accounts.tests.factories import OrganizationFactory, UserFactory


def _last_month() -> dt.date:
    return (current_month() - dt.timedelta(days=1)).replace(day=1)


@pytest.mark.django_db(transaction=True)
def test_twenty_threads_race_for_the_last_ten_queries_exactly_ten_win():
    """Free user at 0/10 used this month; 20 concurrent requests, each on its own connection."""
    organization = OrganizationFactory(ai_queries_limit=None)
    user = UserFactory(organization=organization, ai_queries_limit=10, ai_queries_used=0)
    assert connection.vendor == "postgresql"

    threads_count = 20
    barrier = threading.Barrier(threads_count)
    results: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            me = User.objects.select_related("organization").get(pk=user.pk)  # this thread's connection
            barrier.wait(timeout=30)
            try:
                ai_query_consume(user=me)
                outcome = "ok"
            except AIQuotaExceeded:
                outcome = "refused"
            except Exception as exc:  # a deadlock or serialization error would show here
                outcome = f"error: {exc!r}"
            with lock:
                results.append(outcome)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == threads_count
    assert results.count("ok") == 10, results
    assert results.count("refused") == 10, results
    user.refresh_from_db()
    organization.refresh_from_db()
    assert user.ai_queries_used == 10
    assert user.ai_queries_month == current_month()
    assert organization.ai_queries_used == 10
    assert str(ai_quota_status(user=user)) == "0 of 10 AI queries left this month"


@pytest.mark.django_db(transaction=True)
def test_organization_limit_caps_pro_members_under_concurrency():
    """Pro members are unlimited themselves, but the organization's 10 still bind, atomically."""
    organization = OrganizationFactory(
        subscription_tier=OrganizationTier.PRO,
        ai_queries_limit=10,
        ai_queries_used=4,
        ai_queries_month=current_month(),
    )
    members = [UserFactory(organization=organization, subscription_tier=UserTier.PRO) for _ in range(4)]
    barrier = threading.Barrier(12)
    outcomes: list[bool] = []
    lock = threading.Lock()

    def worker(member_id) -> None:
        try:
            me = User.objects.select_related("organization").get(pk=member_id)
            barrier.wait(timeout=30)
            try:
                ai_query_consume(user=me)
                ok = True
            except AIQuotaExceeded:
                ok = False
            with lock:
                outcomes.append(ok)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(members[i % 4].pk,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count(True) == 6
    organization.refresh_from_db()
    assert organization.ai_queries_used == 10
    assert sum(User.objects.filter(organization=organization).values_list("ai_queries_used", flat=True)) == 6


@pytest.mark.django_db
def test_month_rollover_resets_lazily_on_first_use():
    user = UserFactory(ai_queries_limit=10, ai_queries_used=10, ai_queries_month=_last_month())
    user.organization.ai_queries_used = 99
    user.organization.ai_queries_month = _last_month()
    user.organization.ai_queries_limit = 100
    user.organization.save()

    # Last month's spending does not count this month, before anything is written ...
    assert str(ai_quota_status(user=user)) == "10 of 10 AI queries left this month"
    # ... and the first query of the month starts both counters again at 1.
    ai_query_consume(user=user)
    user.refresh_from_db()
    organization = Organization.objects.get(pk=user.organization_id)
    assert (user.ai_queries_used, user.ai_queries_month) == (1, current_month())
    assert (organization.ai_queries_used, organization.ai_queries_month) == (1, current_month())
    assert str(ai_quota_status(user=user)) == "9 of 10 AI queries left this month"


@pytest.mark.django_db
def test_exhausted_user_gets_a_clear_error_and_nothing_is_counted():
    user = UserFactory(ai_queries_limit=10, ai_queries_used=10, ai_queries_month=current_month())
    with pytest.raises(AIQuotaExceeded) as refused:
        ai_query_consume(user=user)
    # The page says the same as the refusal, from one message.
    assert refused.value.messages == [ai_quota_status(user=user).spent_message]
    assert "You have used all your AI queries for this month" in refused.value.messages[0]
    user.refresh_from_db()
    organization = Organization.objects.get(pk=user.organization_id)
    assert user.ai_queries_used == 10
    assert organization.ai_queries_used == 0


@pytest.mark.django_db
def test_organization_refusal_rolls_back_the_users_count():
    organization = OrganizationFactory(
        ai_queries_limit=3, ai_queries_used=3, ai_queries_month=current_month()
    )
    user = UserFactory(
        organization=organization, ai_queries_limit=10, ai_queries_used=2, ai_queries_month=current_month()
    )
    with pytest.raises(AIQuotaExceeded) as refused:
        ai_query_consume(user=user)
    assert refused.value.messages == [ai_quota_status(user=user).spent_message]
    assert "Your organization has used all its AI queries" in refused.value.messages[0]
    user.refresh_from_db()
    assert user.ai_queries_used == 2
    assert str(ai_quota_status(user=user)) == "0 of 3 AI queries left this month"


@pytest.mark.django_db
def test_unlimited_shows_as_such():
    organization = OrganizationFactory(subscription_tier=OrganizationTier.PRO, ai_queries_limit=None)
    user = UserFactory(organization=organization)
    for _ in range(12):  # over the free user's 10: pro features lift the user's own limit
        ai_query_consume(user=user)
    assert str(ai_quota_status(user=user)) == "Unlimited AI queries this month"
