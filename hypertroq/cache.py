"""Cache backends that count hits, misses and errors for ``/metrics``.

``settings.CACHES`` uses :class:`RedisCache` (django-redis) or :class:`LocMemCache`; both behave
exactly like their parents and only count what ``get``/``get_many`` found. A Redis outage (with
``DJANGO_REDIS_IGNORE_EXCEPTIONS``) is counted as an error *and* a miss: the caller got nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.locmem import LocMemCache as _LocMemCache
from django_redis.cache import CONNECTION_INTERRUPTED
from django_redis.cache import RedisCache as _RedisCache

from hypertroq import metrics

_MISSING = object()


class LocMemCache(_LocMemCache):
    def delete_or_raise(self, key: Any, version: Any = None) -> bool:
        """``delete``: a per-process cache cannot be unreachable."""
        return self.delete(key, version)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        value = super().get(key, _MISSING, version)
        if value is _MISSING:
            metrics.observe_cache(hits=0, misses=1)
            return default
        metrics.observe_cache(hits=1, misses=0)
        return value

    # get_many: Django's base implementation calls get() per key, so it is counted there.


class RedisCache(_RedisCache):
    def delete_or_raise(self, key: Any, version: Any = None) -> bool:
        """``delete`` that raises when Redis cannot be reached (``delete`` itself says nothing
        under ``DJANGO_REDIS_IGNORE_EXCEPTIONS``): for a caller that must know the key is gone."""
        return bool(self.client.delete(key, version=version))

    def get(self, key: Any, default: Any = None, version: Any = None, client: Any = None) -> Any:
        try:
            value = self._get(key, _MISSING, version, client)
        except Exception:
            metrics.observe_cache(hits=0, misses=1, errors=1)
            raise
        if value is CONNECTION_INTERRUPTED:
            metrics.observe_cache(hits=0, misses=1, errors=1)
            return default
        if value is _MISSING:
            metrics.observe_cache(hits=0, misses=1)
            return default
        metrics.observe_cache(hits=1, misses=0)
        return value

    def get_many(self, keys: Any, *args: Any, **kwargs: Any) -> Any:
        keys = list(keys)
        try:
            found = super().get_many(keys, *args, **kwargs)
        except Exception:
            metrics.observe_cache(hits=0, misses=len(keys), errors=1)
            raise
        if found is None:  # Redis down, exception ignored
            metrics.observe_cache(hits=0, misses=len(keys), errors=1)
            return {}
        metrics.observe_cache(hits=len(found), misses=len(keys) - len(found))
        return found
