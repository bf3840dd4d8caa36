"""A Redis cache that degrades instead of failing when Redis is down.

Django's RedisCache raises on every call while Redis is unreachable, which turns a cache
outage into a 500 on every page that touches the cache. The cache only ever holds what
can be recomputed, so while Redis is away a read is a miss and a write is skipped.
Sessions never live here (SESSION_ENGINE is the database), so nobody is logged out.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("samverkan.cache")

# One warning a minute is enough to be noticed without flooding the log.
WARN_INTERVAL_SECONDS = 60


class FallbackRedisCache(RedisCache):
    _last_warning = 0.0

    def _degraded(self, operation: str, default):
        now = time.monotonic()
        if now - FallbackRedisCache._last_warning >= WARN_INTERVAL_SECONDS:
            FallbackRedisCache._last_warning = now
            logger.warning(
                "cache.unavailable operation=%s: Redis svarar inte; cachen förbigås", operation
            )
        return default

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            return self._degraded("add", False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self._degraded("get", default)

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            self._degraded("set", None)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError:
            return self._degraded("touch", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            return self._degraded("delete", False)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            return self._degraded("get_many", {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError:
            return self._degraded("has_key", False)

    def incr(self, key, delta=1, version=None):
        # While Redis is away every key is missing, and Django says so with ValueError.
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            self._degraded("incr", None)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            return self._degraded("set_many", list(data))

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError:
            return self._degraded("delete_many", None)

    def clear(self):
        try:
            return super().clear()
        except RedisError:
            return self._degraded("clear", False)
