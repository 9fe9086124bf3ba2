"""The seam for a payment provider.

No provider is configured today: ``checkout_url`` answers None and an upgrade becomes an
``UpgradeRequest`` that staff approve in admin. A provider (Stripe, Paddle…) plugs in here: set
``BILLING_PROVIDER`` and return its checkout page's URL for the plan; its webhook then calls
``accounts.services.upgrade_apply`` (the same function staff approval uses) once paid.
"""

from __future__ import annotations

from django.conf import settings

from accounts.models import User


def provider_configured() -> bool:
    return bool(getattr(settings, "BILLING_PROVIDER", ""))


def checkout_url(*, user: User, plan: str) -> str | None:
    """Where to send the lifter to pay for ``plan``; None while no provider is configured."""
    if not provider_configured():
        return None
    provider = getattr(settings, "BILLING_PROVIDER", "")
    raise NotImplementedError(f"BILLING_PROVIDER={provider!r} has no integration yet")
