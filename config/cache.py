"""The page cache, sessions' fast path and log-in counters live in Redis, but none of them is the only copy of
anything: sessions are written through to PostgreSQL (cached_db), pages are rebuilt from PostgreSQL. So when Redis
is down the cache answers as if it were empty instead of raising, and pages keep working from PostgreSQL.

Each failure opens a short breaker: for BREAKER_SECONDS every call answers at once, without waiting for a
connection that will not come, then the next call tries Redis again. Recovery needs no restart: redis-py
reconnects by itself once the server is back.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

BREAKER_SECONDS = 5.0
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)


class RedisUnavailable(Exception):
    """Raised by `incr`/`decr` while Redis is down: a counter has no safe 'empty' answer."""


class _Breaker:
    def __init__(self):
        self._lock = threading.Lock()
        self.open_until = 0.0
        self.failures = 0

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, exc: BaseException) -> None:
        with self._lock:
            self.failures += 1
            if not self.is_open():
                log.warning(
                    "Redis unavailable (%s: %s); serving without the cache for %.0f s",
                    exc.__class__.__name__,
                    exc,
                    BREAKER_SECONDS,
                )
            self.open_until = time.monotonic() + BREAKER_SECONDS

    def reset(self) -> None:
        if self.open_until:
            with self._lock:
                if self.open_until:
                    log.warning("Redis is back; the cache is used again")
                self.open_until = 0.0


# One breaker per server and process: every cache alias and thread using the server shares what it learnt about it.
_breakers: dict[tuple, _Breaker] = {}


def breaker_for(servers) -> _Breaker:
    return _breakers.setdefault(tuple(servers), _Breaker())


def _guard(name: str, empty):
    def method(self, *args, **kwargs):
        breaker = breaker_for(self._servers)
        if breaker.is_open():
            return empty(*args, **kwargs) if callable(empty) else empty
        try:
            result = getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except UNAVAILABLE as exc:
            breaker.trip(exc)
            return empty(*args, **kwargs) if callable(empty) else empty
        breaker.reset()
        return result

    method.__name__ = name
    return method


def _default(key, default=None, *args, **kwargs):
    return default


def _unavailable(*args, **kwargs):
    raise RedisUnavailable("Redis is unavailable")


class _ClientPerPool(RedisCacheClient):
    """Django builds a new redis-py client for every call, which costs about as much as the round trip itself
    (redis-py fills a table of some 170 response callbacks each time): 15 % of a cached page's time in a gunicorn
    worker. One client per connection pool does: a client is safe to share between threads, the pool hands out
    connections."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache, answering 'not cached' when Redis is unreachable (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool

    get = _guard("get", _default)
    get_many = _guard("get_many", {})
    has_key = _guard("has_key", False)
    set = _guard("set", None)
    set_many = _guard("set_many", lambda data, *a, **k: list(data))
    add = _guard("add", False)
    touch = _guard("touch", False)
    delete = _guard("delete", False)
    delete_many = _guard("delete_many", None)
    incr = _guard("incr", _unavailable)
    decr = _guard("decr", _unavailable)
    clear = _guard("clear", False)

    def get_or_set(self, key, default, timeout=None, version=None):
        # The base class calls add() and then get(): with Redis down that would compute `default` but return None.
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            if value is not None:
                self.add(key, value, timeout=timeout, version=version)
        return value

    def ping(self) -> bool:
        """Whether Redis answers now, breaker or not (for /healthz, which must tell the truth)."""
        breaker = breaker_for(self._servers)
        try:
            ok = bool(self._cache.get_client(write=True).ping())
        except UNAVAILABLE as exc:
            breaker.trip(exc)
            return False
        breaker.reset()
        return ok
