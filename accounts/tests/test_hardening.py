"""Issue 13 hardening for accounts: session lifetimes, log out everywhere, two-factor (optional for
lifters, required for staff in the admin, recovery codes), recent login for admin changes, and the
per-account login slowdown."""

from __future__ import annotations

import copy
import time
from unittest import mock

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import login_slowdown, sessions
from accounts.tests.factories import UserFactory
from hypertroq.models import AuditLog

PASSWORD = "correct-horse-battery"
DASHBOARD = reverse("accounts:dashboard")


def _code(device: TOTPDevice, *, offset: int = 0, at: float | None = None) -> str:
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, offset)
    generator.time = time.time() if at is None else at
    return f"{generator.token():06d}"


def _login(client, email: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


# --- sessions --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("staff", "idle_ok", "idle_out"),
    [(False, 71 * 3600, 73 * 3600), (True, 29 * 60, 31 * 60)],
)
def test_idle_sessions_end_and_staff_sooner(client, staff, idle_ok, idle_out):
    user = UserFactory(is_staff=staff)
    _login(client, user.email)
    start = time.time()
    with mock.patch("accounts.sessions.time.time", return_value=start + idle_ok):
        assert client.get(DASHBOARD).status_code == 200
    with mock.patch("accounts.sessions.time.time", return_value=start + idle_ok + idle_out):
        response = client.get(DASHBOARD)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert client.get(DASHBOARD).status_code == 302  # the session is gone, not just this request


@pytest.mark.django_db
def test_an_active_session_still_ends_at_its_absolute_lifetime(client):
    user = UserFactory()
    _login(client, user.email)
    start = time.time()
    # A request every day keeps it from idling out, but not past 14 days.
    for day in range(1, 14):
        with mock.patch("accounts.sessions.time.time", return_value=start + day * 86400):
            assert client.get(DASHBOARD).status_code == 200
    with mock.patch("accounts.sessions.time.time", return_value=start + 14 * 86400 + 60):
        assert client.get(DASHBOARD).status_code == 302


@pytest.mark.django_db
def test_log_out_everywhere_ends_every_session_of_the_account(client):
    from django.test import Client

    user = UserFactory()
    phone, laptop = Client(), Client()
    _login(phone, user.email)
    _login(laptop, user.email)
    assert phone.get(DASHBOARD).status_code == laptop.get(DASHBOARD).status_code == 200
    assert reverse("accounts:logout_everywhere") in laptop.get(reverse("accounts:profile")).content.decode()
    response = laptop.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302
    assert phone.get(DASHBOARD).status_code == 302
    assert laptop.get(DASHBOARD).status_code == 302
    assert AuditLog.objects.filter(action="sessions_revoked", target_id=str(user.pk)).count() == 1
    # Logging in again works, and that new session is not revoked.
    _login(phone, user.email)
    assert phone.get(DASHBOARD).status_code == 200


# --- two-factor ------------------------------------------------------------------------------------


def _turn_on(client, user) -> tuple[TOTPDevice, list[str]]:
    client.get(reverse("accounts:two_factor"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:two_factor"), {"action": "confirm", "setup-code": _code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    return device, list(response.context["codes"])


@pytest.mark.django_db
def test_a_lifter_turns_two_factor_on_and_then_needs_the_code_at_login(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "data:image/svg+xml" in page  # the QR code, as an image the CSP allows
    wrong = client.post(reverse("accounts:two_factor"), {"action": "confirm", "setup-code": "000000"})
    assert "does not match" in wrong.content.decode()
    device, codes = _turn_on(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    client.post(reverse("accounts:logout"))

    assert _login(client, user.email).status_code == 302
    # The password alone reaches nothing but the code page.
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and reverse("accounts:two_factor_verify") in response["Location"]
    assert client.get(reverse("programs:list")).status_code == 302
    bad = client.post(reverse("accounts:two_factor_verify"), {"code": "123456", "next": DASHBOARD})
    assert bad.status_code == 200 and "does not match" in bad.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp throttles after a failure; time moves on
    device.save()
    good = client.post(
        reverse("accounts:two_factor_verify"), {"code": _code(device, offset=1), "next": DASHBOARD}
    )
    assert good.status_code == 302 and good["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(client):
    user = UserFactory()
    client.force_login(user)
    _device, codes = _turn_on(client, user)
    for attempt in range(2):
        client.post(reverse("accounts:logout"))
        _login(client, user.email)
        response = client.post(reverse("accounts:two_factor_verify"), {"code": codes[0], "next": DASHBOARD})
        if attempt == 0:
            assert response.status_code == 302
            assert client.get(DASHBOARD).status_code == 200
        else:
            assert response.status_code == 200  # used up
            assert client.get(DASHBOARD).status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert AuditLog.objects.filter(action="recovery_code_used", target_id=str(user.pk)).count() == 1


@pytest.mark.django_db
def test_lifters_without_two_factor_log_in_with_the_password_alone(client):
    user = UserFactory()
    _login(client, user.email)
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.django_db
def test_staff_reach_the_admin_only_with_a_verified_second_factor(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    _login(client, staff.email)
    assert client.get(DASHBOARD).status_code == 200  # the rest of the site works
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("accounts:two_factor") in response["Location"]
    assert client.get(reverse("ops_admin_metrics")).status_code == 302
    device, _codes = _turn_on(client, staff)  # set-up verifies this session
    assert client.get(reverse("admin:index")).status_code == 200
    # Next login: password, then code, then the admin.
    client.post(reverse("accounts:logout"))
    _login(client, staff.email)
    assert reverse("accounts:two_factor_verify") in client.get(reverse("admin:index"))["Location"]
    client.post(reverse("accounts:two_factor_verify"), {"code": _code(device, offset=1)})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_admin_changes_need_a_recent_login(staff_client, staff_user):
    target = UserFactory(full_name="Before Name")
    url = reverse("admin:accounts_organization_changelist")
    action = {"action": "soft_delete_selected", "_selected_action": [str(target.organization_id)]}
    later = time.time() + 16 * 60
    with mock.patch("accounts.sessions.time.time", return_value=later):
        assert staff_client.get(url).status_code == 200  # reading is fine
        response = staff_client.post(url, action)
    assert response.status_code == 302 and reverse("accounts:reauthenticate") in response["Location"]
    target.organization.refresh_from_db()
    assert not target.organization.is_deleted
    device = TOTPDevice.objects.get(user=staff_user)
    with mock.patch("accounts.sessions.time.time", return_value=later):
        confirm = staff_client.post(
            reverse("accounts:reauthenticate"),
            {"password": PASSWORD, "code": _code(device, at=later), "next": url},
        )
    assert confirm.status_code == 302, confirm.content.decode()[-3000:]
    assert confirm["Location"] == url
    with mock.patch("accounts.sessions.time.time", return_value=later + 60):
        assert staff_client.post(url, action).status_code == 302
    target.organization.refresh_from_db()
    assert target.organization.is_deleted


# --- login: per-account slowdown on top of the account + address lock -------------------------------


@pytest.mark.django_db
def test_failures_from_many_addresses_slow_the_account_but_never_lock_its_owner_out(client):
    user = UserFactory(email="shared@example.com")
    login_slowdown.reset(user.email)
    url = reverse("accounts:login")
    for i in range(5):  # five addresses, one failure each: no (account, address) pair is locked
        client.post(url, {"username": user.email, "password": "wrong-guess-x"}, REMOTE_ADDR=f"10.0.0.{i + 1}")
    now = time.time()
    # From a sixth address, the next attempt right away is slowed, even with the right password...
    with mock.patch("accounts.login_slowdown._now", return_value=now):
        slowed = client.post(url, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.99")
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) >= 1
    assert "Wait" in slowed.content.decode()
    # ... an unknown address is slowed the same way (no hint which accounts exist) ...
    for i in range(6):
        client.post(
            url, {"username": "nobody@example.com", "password": "x-wrong-x"}, REMOTE_ADDR=f"10.1.0.{i}"
        )
    unknown = client.post(url, {"username": "nobody@example.com", "password": "x"}, REMOTE_ADDR="10.1.0.99")
    assert unknown.status_code == 429
    # ... and after the delay the owner gets in.
    with mock.patch("accounts.login_slowdown._now", return_value=now + 120):
        response = client.post(url, {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.99")
    assert response.status_code == 302
    assert login_slowdown.wait_seconds(user.email) == 0  # a success clears the count


def test_delay_doubles_after_five_failures_up_to_a_minute():
    assert [login_slowdown.delay_for(n) for n in (0, 4, 5, 6, 7, 10, 20)] == [0, 0, 1, 2, 4, 32, 60]
    assert sessions.limits_for(mock.Mock(is_staff=True, is_superuser=False)) == (30 * 60, 8 * 3600)


# --- sessions from a shared cache (cached_db, production with Redis) ----------------------------


@pytest.fixture
def shared_cache_sessions(settings):
    """Sessions as production keeps them: cached_db over the shared Redis (a key prefix of the
    test's own, removed afterwards)."""
    import os
    import uuid

    from django.core.cache import caches

    prefix = f"hypertroq-test-sessions-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "hypertroq.cache.RedisCache",
            "LOCATION": os.environ.get("HYPERTROQ_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "KEY_PREFIX": prefix,
            # As production: an outage is a miss, not an error page.
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient", "IGNORE_EXCEPTIONS": True},
        }
    }
    settings.SESSION_ENGINE = "accounts.session_store"
    yield
    caches["default"].delete_pattern("*")


@pytest.mark.django_db
def test_cached_sessions_cost_no_session_query_and_a_log_out_ends_them(shared_cache_sessions):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    phone = Client()
    _login(phone, user.email)
    assert phone.get(DASHBOARD).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert phone.get(DASHBOARD).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    # The same cookie replayed from elsewhere after the log-out: the session is gone from the
    # cache as well as the database.
    stolen = Client()
    stolen.cookies = copy.deepcopy(phone.cookies)  # the cookie as it was, not a view of the phone's
    assert phone.post(reverse("accounts:logout")).status_code == 302
    assert stolen.get(DASHBOARD).status_code == 302


@pytest.mark.django_db
def test_cached_sessions_still_end_everywhere_and_when_idle(shared_cache_sessions):
    from django.test import Client

    user = UserFactory()
    phone, laptop = Client(), Client()
    _login(phone, user.email)
    _login(laptop, user.email)
    assert phone.get(DASHBOARD).status_code == 200
    assert laptop.post(reverse("accounts:logout_everywhere")).status_code == 302
    assert phone.get(DASHBOARD).status_code == 302  # its cached session is refused too
    _login(phone, user.email)
    start = time.time()
    with mock.patch("accounts.sessions.time.time", return_value=start + 73 * 3600):
        assert phone.get(DASHBOARD).status_code == 302
    assert phone.get(DASHBOARD).status_code == 302


@pytest.mark.django_db
def test_a_log_out_that_cannot_reach_the_cache_ends_every_session_of_that_person(shared_cache_sessions):
    """Redis unreachable at the moment of the log-out: the database row goes, the cached copy
    cannot. Were Redis back with its data, that copy would sign the cookie in again; instead every
    session of the person that started before the log-out ends (accounts/session_store.py)."""
    from django.core.cache import cache
    from django.test import Client
    from django_redis.exceptions import ConnectionInterrupted

    user, other = UserFactory(), UserFactory()
    phone, laptop, bystander = Client(), Client(), Client()
    for client, person in ((phone, user), (laptop, user), (bystander, other)):
        _login(client, person.email)
        assert client.get(DASHBOARD).status_code == 200
    stolen = Client()
    stolen.cookies = copy.deepcopy(phone.cookies)  # the cookie as it was, not a view of the phone's
    key = phone.cookies[settings_module().SESSION_COOKIE_NAME].value
    cached_copy = "django.contrib.sessions.cached_db" + key

    def unreachable(*args, **kwargs):
        raise ConnectionInterrupted(connection=None)

    with mock.patch.object(cache.client, "delete", side_effect=unreachable):
        assert phone.post(reverse("accounts:logout")).status_code == 302
    assert cache.get(cached_copy) is not None  # the copy is still there, as Redis would keep it
    assert stolen.get(DASHBOARD).status_code == 302  # yet it no longer signs anyone in
    assert laptop.get(DASHBOARD).status_code == 302  # the person's other sessions end too
    assert bystander.get(DASHBOARD).status_code == 200  # nobody else's
    _login(phone, user.email)
    assert phone.get(DASHBOARD).status_code == 200  # a new log-in works


def settings_module():
    from django.conf import settings

    return settings
