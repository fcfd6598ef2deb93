"""Prepared databases: data that costs seconds to make (the demo import, rendered charts, users) is made once per
test process, kept as a PostgreSQL template, and copied for each module or test that needs it with
`CREATE DATABASE … TEMPLATE`, a file copy that takes a fraction of the import. Afterwards the copy is dropped
instead of emptied row by row, so whatever a test writes never reaches another.

Every template starts from the "base": the migrated test database with its reference data, copied once when the
session's test database is ready. The Django connection is pointed at a copy by changing the NAME of the one
settings dict all connections share (as Django's own test-database set-up does), so a live server's thread and a
Celery worker started meanwhile (they read `connection.settings_dict`) use the copy too.

Names are the test database's (which carries the xdist worker's name) + "__" + what they are, so two test processes
never share one, and a session's leftovers from a run that was killed are dropped when the next one starts."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
from collections.abc import Callable, Iterator

import psycopg2
from django.conf import settings
from django.db import connections

BASE = "base"
_home: str | None = None  # the session's test database
_built: set[str] = set()
_copies = itertools.count(1)
_flush_needed = True


def _admin():
    db = connections["default"].settings_dict
    conn = psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db.get("PASSWORD") or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    conn.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    return conn


def _execute(*statements: str) -> list:
    conn = _admin()
    try:
        with conn.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def _name(kind: str, key: str) -> str:
    name = f"{_home}__{kind}_{key}"
    if len(name) > 63:  # PostgreSQL's identifier limit
        name = f"{_home}__{kind}_{hashlib.sha256(key.encode()).hexdigest()[:12]}"
    return name


def _use(name: str) -> None:
    """Point every connection at the database `name`; open ones are closed and reconnect there."""
    from municipalities import data_version

    for conn in connections.all(initialized_only=True):
        conn.close()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    data_version._database = None  # its oid, read once per process, is the copy's now
    # Content types are cached per process by id; a database emptied and filled again (a transactional test's flush
    # of the session's database) gives them other ids than its copies have.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def current() -> str:
    return connections["default"].settings_dict["NAME"]


def _drop(name: str) -> None:
    # FORCE: a live server's thread or a test's Celery worker may still hold a connection to a copy.
    _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_base() -> None:
    """Called once the session's test database is migrated and holds the reference data."""
    global _home
    _home = current()
    for conn in connections.all(initialized_only=True):
        conn.close()
    for (stale,) in _execute(f"SELECT datname FROM pg_database WHERE starts_with(datname, '{_home}__')"):
        _drop(stale)
    _execute(f'CREATE DATABASE "{_name("t", BASE)}" TEMPLATE "{_home}"')
    _built.clear()
    _built.add(BASE)


def drop_all() -> None:
    """At the session's end: every template and copy of this process."""
    if _home is None:
        return
    for conn in connections.all(initialized_only=True):
        conn.close()
    for (name,) in _execute(f"SELECT datname FROM pg_database WHERE starts_with(datname, '{_home}__')"):
        _drop(name)
    # A thread a test started (a live server's, a worker's) may still hold a connection to the session's database,
    # which pytest-django is about to drop: the session is over, so it goes.
    _execute(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_home}' AND pid <> pg_backend_pid()"
    )


def _template(key: str, build: Callable[[], object] | None) -> str:
    name = _name("t", key)
    if key in _built:
        return name
    if build is None:
        raise LookupError(f"no template {key!r} and nothing to build it with")
    _drop(name)
    _execute(f'CREATE DATABASE "{name}" TEMPLATE "{_name("t", BASE)}"')
    previous = current()
    _use(name)
    try:
        build()
    except BaseException:
        _use(previous)
        _drop(name)
        raise
    _use(previous)
    _built.add(key)
    return name


@contextlib.contextmanager
def prepared(key: str = BASE, build: Callable[[], object] | None = None) -> Iterator[str]:
    """Use a fresh copy of the template `key` for the with block; the first use in this process makes the template
    from the base with `build()` (which must give the same data every time: it is made once, used by many)."""
    if _home is None:
        raise RuntimeError("prepared databases need the session's test database (the django_db_setup fixture)")
    template = _template(key, build)
    copy = _name(f"c{next(_copies)}", key)
    _execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template}"')
    previous = current()
    _use(copy)
    try:
        yield copy
    finally:
        _use(previous)
        _drop(copy)


def flush_not_needed() -> None:
    """The transactional test now ending wrote only to a copy, which is gone: the session's database is as it was."""
    global _flush_needed
    _flush_needed = False


def flush_was_needed() -> bool:
    """Whether the transactional test now ending may have written to the session's database; resets for the next."""
    global _flush_needed
    needed, _flush_needed = _flush_needed, True
    return needed


# The demo data most page tests need, made once per process: every test asking for some of these indicators and
# areas gets all of them. A template costs 10–30 s to make, and the suite asked for a dozen different choices (a
# fifth of the suite's time went to making them); a test that needs figures absent asks for an indicator outside
# this set, or builds its own.
INDICATORS = ("MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21")
AREAS = (
    ("jobcentre", "taarnby-dragoer"),
    ("municipality", "185"),
    ("municipality", "155"),
    ("jobcentre", "aarhus"),
    ("municipality", "751"),
)


def demo(indicators: tuple[str, ...], areas: tuple[tuple[str, str], ...] = ()):
    """`prepared()` with the demo figures of `indicators` imported and the charts of `areas` ((kind, code) pairs)
    drawn: the data most tests of pages need. Within INDICATORS and AREAS, one shared template with all of them."""
    if set(indicators) <= set(INDICATORS) and set(areas) <= set(AREAS):
        indicators, areas = INDICATORS, AREAS

    def build():
        from goals import rendering
        from indicators import imports
        from municipalities.models import Area

        imports.demo(list(indicators))
        if areas:
            rendering.render([Area.objects.get(kind=kind, code=code) for kind, code in areas])

    digest = hashlib.sha256(repr((tuple(indicators), tuple(areas))).encode()).hexdigest()[:10]
    return prepared(f"demo_{digest}", build)


@contextlib.contextmanager
def for_module(blocker, copy) -> Iterator[str]:
    """Enter a `prepared()` or `demo()` copy in a module-scoped fixture: the database is open to the fixture while it
    builds and leaves, not to the module's tests that have no django_db mark."""
    with blocker.unblock():
        name = copy.__enter__()
    try:
        yield name
    finally:
        with blocker.unblock():
            copy.__exit__(None, None, None)
