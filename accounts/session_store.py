"""Sessions read from the shared cache (Django's ``cached_db``) whose log-out holds even when the
cache cannot be reached at that moment.

``cached_db`` deletes a session's database row, then its cached copy; with Redis unreachable the
second step fails silently (``DJANGO_REDIS_IGNORE_EXCEPTIONS``), and if that Redis comes back with
its data (a network partition, a failover), the copy would sign the browser in again: reads trust
the cache. So when a signed-in session is flushed (log-out, idle or lifetime end, a switch of
user) and its copy could not be deleted, every session of that person that started before now is
ended instead ("log out everywhere": ``User.sessions_revoked_at``, checked against the user row on
every request), the stale copy included. Their other devices sign in again; nothing is left open.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DBStore

from accounts.services import user_sessions_revoke_left_open

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    copy_left_behind = False

    def delete(self, session_key: str | None = None) -> None:
        DBStore.delete(self, session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        cache: Any = self._cache  # type: ignore[attr-defined]  # cached_db's (not in django-stubs)
        delete = getattr(cache, "delete_or_raise", cache.delete)
        try:
            delete(self.cache_key_prefix + session_key)
        except Exception:
            logger.warning("a session's cached copy could not be deleted", exc_info=True)
            self.copy_left_behind = True

    def flush(self) -> None:
        user_id: Any = self.get(SESSION_KEY) if self.session_key else None
        self.copy_left_behind = False
        super().flush()
        if self.copy_left_behind and user_id is not None:
            user_sessions_revoke_left_open(user_id=user_id)
