"""Two-factor authentication (TOTP, django-otp): set up, verify at login, recovery codes, turn off.

Required for staff before they can use ``/admin/`` (accounts.middleware.TwoFactorMiddleware),
optional for lifters. A person has at most one authenticator app (a ``TOTPDevice``) and one set of
ten single-use recovery codes (a ``StaticDevice``), shown once when made. django-otp throttles
wrong codes per device (each failure doubles the wait).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from hypertroq.audit import AuditAction, audit_log

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def two_factor_enabled(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user_has_device(user, confirmed=True))


def totp_setup_device(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_provisioning_uri(device: TOTPDevice) -> str:
    return str(device.config_url)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Turn two-factor on with the first code from the app; returns the recovery codes (shown
    once). ``ValidationError`` for a wrong code."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError("Start the set-up again: this authenticator is not waiting for a code.")
    if not device.verify_token(token.strip().replace(" ", "")):
        raise ValidationError(
            "That code does not match. Check the time on your phone and try the newest code."
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit_log(action=AuditAction.TWO_FACTOR_ENABLED, actor=user, target=user)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    if not two_factor_enabled(user):
        raise ValidationError("Turn on two-factor authentication first.")
    return _new_recovery_codes(user)


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Remove the authenticator and the recovery codes (the view has checked the password)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(action=AuditAction.TWO_FACTOR_DISABLED, actor=user, target=user)


def two_factor_check(*, user: User, code: str) -> Any:
    """The device that accepts ``code`` (the app's 6 digits or a recovery code), else None.
    A recovery code works once (django-otp deletes it) and is audited."""
    code = code.strip().replace(" ", "")
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        return None
    for static in StaticDevice.objects.filter(user=user, confirmed=True):
        if static.verify_token(code):
            audit_log(action=AuditAction.RECOVERY_CODE_USED, actor=user, target=user)
            return static
    return None
