"""A Redis cache that degrades instead of failing when Redis is down or hung.

Django's RedisCache raises on every call while Redis is unreachable, which turns a cache
outage into a 500 on every page that touches the cache. The cache only ever holds what
can be recomputed, so while Redis is away a read is a miss and a write is skipped.
Sessions never live here (SESSION_ENGINE is the database), so nobody is logged out.

A Redis that accepts connections but never answers costs each call the socket timeout
(settings: OPTIONS socket_timeout). A page makes several calls, so after one failure the
cache is bypassed for SKIP_SECONDS (a circuit breaker): the page pays the timeout once,
and the next call after the pause tries Redis again.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("samverkan.cache")

# One warning a minute is enough to be noticed without flooding the log.
WARN_INTERVAL_SECONDS = 60
DEFAULT_SKIP_SECONDS = 30


class FallbackRedisCache(RedisCache):
    _last_warning = 0.0
    # Per process and Redis location; Django makes one cache object per thread.
    _skip_until: dict[str, float] = {}

    def __init__(self, server, params):
        super().__init__(server, params)
        self._breaker_key = str(server)
        self.skip_seconds = float(params.get("SKIP_SECONDS", DEFAULT_SKIP_SECONDS))

    @property
    def bypassed(self) -> bool:
        return time.monotonic() < FallbackRedisCache._skip_until.get(self._breaker_key, 0.0)

    def _call(self, operation: str, default, method, *args):
        if self.bypassed:
            return default
        try:
            return method(*args)
        except RedisError:
            FallbackRedisCache._skip_until[self._breaker_key] = time.monotonic() + self.skip_seconds
            return self._degraded(operation, default)

    def _degraded(self, operation: str, default):
        now = time.monotonic()
        if now - FallbackRedisCache._last_warning >= WARN_INTERVAL_SECONDS:
            FallbackRedisCache._last_warning = now
            logger.warning(
                "cache.unavailable operation=%s: Redis svarar inte; cachen förbigås i %s s",
                operation,
                int(self.skip_seconds),
            )
        return default

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        self._call("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        # While Redis is away every key is missing, and Django says so with ValueError.
        missing = object()
        value = self._call("incr", missing, super().incr, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        return value

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._call("clear", False, super().clear)

    def ping(self) -> None:
        """Raises RedisError unless Redis answers within the socket timeout (readiness)."""
        self._cache.get_client(write=True).ping()
