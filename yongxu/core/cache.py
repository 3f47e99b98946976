"""Redis as an accelerator, never a dependency: the cache backend used with REDIS_URL. Any Redis failure
(stopped, refusing, hung past its short socket timeout) is a cache miss for reads and a no-op for writes,
never an exception in a request; after a failure Redis is left alone for a few seconds (so a dead Redis
costs one timeout per process per pause, not one per call); deletes that failed are replayed once it
answers again, so nothing stays stale after an outage. Counting (incr/decr) cannot be faked: it raises
CacheUnavailable. (Rate limits do not count through the cache: core/ratelimit.py has its own path, Redis
then the database.)"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)
PAUSE_SECONDS = 5.0  # how long Redis is left alone after a failure
MAX_PENDING_DELETES = 1000


class CacheUnavailable(Exception):
    """Redis cannot be reached now; the caller must count elsewhere."""


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_timeout", 0.5)
        options.setdefault("socket_connect_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()
        self._pending_deletes: set[str] = set()

    # -- the breaker ---------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            first = self.available
            self._down_until = time.monotonic() + PAUSE_SECONDS
        if first:  # one line per outage and pause, not per call
            log.warning("cache: Redis %s failed (%s: %s); working without it for %.0f s",
                        operation, type(error).__name__, error, PAUSE_SECONDS)

    def _call(self, operation: str, fallback, function, *args):
        if not self.available:
            return fallback
        if self._pending_deletes and not self._replay_deletes():  # first, so nothing stale is read
            return fallback
        try:
            return function(*args)
        except Exception as error:  # noqa: BLE001 - any Redis trouble is a miss, never a request's error
            self._failed(operation, error)
            return fallback

    def _replay_deletes(self) -> bool:
        with self._lock:
            keys, self._pending_deletes = list(self._pending_deletes), set()
        try:
            self._cache.delete_many(keys)
        except Exception as error:  # noqa: BLE001
            with self._lock:
                self._pending_deletes.update(keys[:MAX_PENDING_DELETES])
            self._failed("delete", error)
            return False
        return True

    def _remember_delete(self, keys) -> None:
        with self._lock:
            if len(self._pending_deletes) < MAX_PENDING_DELETES:
                self._pending_deletes.update(keys)

    # -- reads: a miss --------------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._call("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, super().has_key, key, version)

    # -- writes: skipped; deletes remembered ----------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), super().set_many, data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        marker = object()
        result = self._call("delete", marker, super().delete, key, version)
        if result is marker:
            self._remember_delete([self.make_and_validate_key(key, version=version)])
            return False
        return result

    def delete_many(self, keys, version=None):
        keys = list(keys)
        marker = object()
        if self._call("delete_many", marker, super().delete_many, keys, version) is marker:
            self._remember_delete([self.make_and_validate_key(key, version=version) for key in keys])

    def clear(self):
        return self._call("clear", False, super().clear)

    # -- counting: cannot be faked --------------------------------------------------------------------

    def incr(self, key, delta=1, version=None):
        if not self.available:
            raise CacheUnavailable("Redis is paused after a failure")
        try:
            return super().incr(key, delta, version)
        except ValueError:
            raise
        except Exception as error:
            self._failed("incr", error)
            raise CacheUnavailable(str(error)) from error

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)
