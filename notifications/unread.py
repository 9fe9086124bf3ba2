"""The bell's unread count, cached per user so an ordinary page does not count notifications.

Every signed-in page shows the bell (base.html), and htmx refreshes it every minute, so the count
is read far more often than it changes. It is cached under a per-user *generation*: a random token
that every service changing the user's unread notifications replaces (``unread_count_changed``),
right away and again when the transaction commits. A cached count is used only if it was computed
under the current generation, so it is never stale:

- reader: read the generation, then count in the database, then store (generation, count);
- writer: change the rows, commit, then replace the generation.

A reader whose count predates the commit read the generation before the writer replaced it, so
its entry is filed under the old generation and never used. The keys carry the user's id, so one
user's count is never read as another's.

Only with a cache every process shares (Redis, ``NOTIFICATION_UNREAD_CACHE``, on when
``REDIS_URL`` is set): with a per-process cache a job worker's new notification could not reach
the web processes' entries. If the cache is unreachable the count comes from the database (and a
generation that could not be replaced is covered by the entries' ``TIMEOUT``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

TIMEOUT = 300  # seconds: bounds what a lost invalidation (cache outage) could leave behind


def enabled() -> bool:
    return bool(getattr(settings, "NOTIFICATION_UNREAD_CACHE", False))


def _keys(user_id: Any) -> tuple[str, str]:
    return f"notifications:unread-gen:{user_id}", f"notifications:unread:{user_id}"


def cached_count(*, user_id: Any, count: Callable[[], int]) -> int:
    """The user's unread count from the cache, else ``count()`` (stored for the next page)."""
    if not enabled():
        return count()
    generation_key, value_key = _keys(user_id)
    found = cache.get_many([generation_key, value_key])
    generation = found.get(generation_key)
    value = found.get(value_key)
    if generation is not None and isinstance(value, tuple) and len(value) == 2 and value[0] == generation:
        return int(value[1])
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, TIMEOUT)
        generation = cache.get(generation_key)
        if generation is None:  # the cache is down: no caching
            return count()
    result = count()  # after the generation was read: see the module's docstring
    cache.set(value_key, (generation, result), TIMEOUT)
    return result


def unread_count_changed(*, user_id: Any) -> None:
    """A service changed ``user_id``'s unread notifications: their cached count is dropped now
    and once more when the transaction commits (a page reading in between cannot keep it)."""
    if not enabled():
        return
    generation_key, _ = _keys(user_id)

    def bump() -> None:
        cache.set(generation_key, uuid.uuid4().hex, TIMEOUT)

    bump()
    transaction.on_commit(bump)
