"""A per-account slowdown of failed logins, on top of django-axes' lock per account + address.

django-axes locks an (email, address) pair after 5 failures for 15 minutes: one person on a
shared address (an office, a gym's Wi-Fi, a phone carrier's NAT) can't lock out everyone there,
and guessing from many addresses is not slowed at all. So failures are also counted per account,
from every address (keyed by a digest of the email; unknown addresses count the same, so the
answer never says whether an account exists): after ``FREE_FAILURES`` within ``WINDOW``, the
account answers only one attempt per delay, doubling from 1 s to ``MAX_DELAY``. It never locks:
the owner can always log in, at worst a minute later. The counts live in the cache, which
production requires to be Redis (shared by every worker; settings/production.py).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.utils import timezone

FREE_FAILURES = 5
WINDOW = 15 * 60
MAX_DELAY = 60.0


def _now() -> float:
    return timezone.now().timestamp()  # the clock django-axes uses too


def _key(email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode("utf-8", "replace")).hexdigest()[:32]
    return f"login-slowdown:{digest}"


def delay_for(failures: int) -> float:
    if failures < FREE_FAILURES:
        return 0.0
    return min(2.0 ** (failures - FREE_FAILURES), MAX_DELAY)


def wait_seconds(email: str, *, now: float | None = None) -> int:
    """How long this account must wait before the next attempt (0 = go ahead)."""
    state = cache.get(_key(email))
    if not state:
        return 0
    failures, last = state
    now = _now() if now is None else now
    remaining = last + delay_for(int(failures)) - now
    return max(0, int(remaining + 0.999))


def record_failure(email: str, *, now: float | None = None) -> None:
    key = _key(email)
    now = _now() if now is None else now
    state = cache.get(key)
    failures = int(state[0]) + 1 if state else 1
    cache.set(key, (failures, now), WINDOW)


def reset(email: str) -> None:
    cache.delete(_key(email))


@receiver(user_login_failed, dispatch_uid="accounts_login_slowdown")
def _on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    email = credentials.get("username") or credentials.get("email")
    if isinstance(email, str) and email:
        record_failure(email)
