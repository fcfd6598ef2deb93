"""The version of the data behind every cached page and lookup: one token in Redis, replaced by every change that
can show on a page (an import, a chart rebuild, a target, a commentary, an own indicator, an area or membership).
A page served from the cache then needs no query to know it is current.

A random token, not a count, and a change deletes it rather than counting up: the next reader writes a new one.
So a token that Redis lost (flushed, restarted, evicted) is the same as a change, and every page is rendered again;
never is an old page served. When Redis cannot be reached at all, `current()` says None and the caller asks
PostgreSQL instead (goals.progress.version).

Lives in municipalities, the lowest layer, because the access checks cache their lookups under it too.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection, transaction

log = logging.getLogger(__name__)
T = TypeVar("T")

# A change whose bump was lost (Redis unreachable at that moment, but its keys kept) is stale for at most this long:
# the token expires, and with it every page cached under it.
SECONDS = 15 * 60
_database: int | None = None


def database() -> int:
    """The database's own id (its oid), read once per process. Part of every key that names rows: a database dropped
    and created again under the same name (tests, benchmarks) starts its ids again, and two databases may share one
    cache prefix (CACHE_KEY_PREFIX); neither may find the other's entries."""
    global _database
    if _database is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT oid FROM pg_database WHERE datname = current_database()")
            _database = cursor.fetchone()[0]
    return _database


def key() -> str:
    """The token's key in the cache."""
    return f"data-version:{database()}"


def current() -> str | None:
    """The current version, or None when Redis cannot say."""
    name = key()
    version = cache.get(name)
    if version is None:
        cache.add(name, secrets.token_hex(8), SECONDS)  # of two readers at once, the first one's token wins
        version = cache.get(name)
    return version


def bump() -> None:
    """A new version, now and again once the current transaction commits. Now, so that the writing transaction
    itself (and a test inside one) reads its own change; again after the commit, because a page rendered between
    the two read the data from before the commit and was cached under the version of now."""
    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    try:
        cache.delete(key())
    except Exception as exc:  # never fail the save that bumps; SECONDS bounds what a lost bump costs
        log.warning("could not bump the data version: %s", exc)


def cached(name: str, compute: Callable[[], T], *, fallback: Callable[[], tuple] | None = None) -> T:
    """compute()'s answer, kept in the cache until the data version changes. Stored together with the version it was
    computed under and fetched together with the current one: one round trip to Redis. When Redis cannot say the
    version, `fallback()` (a version read from PostgreSQL) stands in for it, or without one, it is computed anew."""
    token, name = key(), f"{name}:{database()}"
    found = cache.get_many([token, name])
    version = found.get(token) or current()
    if version is None and fallback is not None:
        version = ("postgresql", *fallback())
    if version is None:
        return compute()
    entry = found.get(name)
    if entry is not None and entry[0] == version:
        return entry[1]
    value = compute()
    cache.set(name, (version, value), SECONDS)
    return value
