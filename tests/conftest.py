from pathlib import Path

import pytest

from goals import reference
from tests import databases

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is part of every test database, as it is of every real one. The database so far is the base of
    every prepared one (tests/databases.py)."""
    with django_db_blocker.unblock():
        reference.load_all()
        databases.make_base()
    yield
    with django_db_blocker.unblock():
        databases.drop_all()


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashes():
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["tests.hashers.QuickPBKDF2"]):
        yield


@pytest.fixture
def reference_data(transactional_db):
    """A transactional test writes outside any transaction: it gets a copy of the base database of its own (migrated,
    with the reference data), dropped afterwards, instead of emptying the shared one and loading it again."""
    with databases.prepared():
        yield
    databases.flush_not_needed()


@pytest.fixture
def demo_db(reference_data):
    """`demo_db(indicators, areas)` switches the test to a copy of prepared demo data (tests/databases.py: `demo`),
    in place of importing it; call it before the test writes anything else."""
    import contextlib

    with contextlib.ExitStack() as stack:
        yield lambda indicators, areas=(): stack.enter_context(databases.demo(tuple(indicators), tuple(areas)))


@pytest.fixture(scope="session", autouse=True)
def _flush_only_what_was_written():
    """After a transactional test pytest-django empties the database. A test that ran in a copy of its own wrote
    nothing to the session's database, whose copy is dropped already: nothing to empty. After any other, the
    reference data is loaded again, since the next test in this process may be one that expects it (with xdist, a
    process takes whole modules, and transactional tests no longer come last)."""
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown

    def _fixture_teardown(self):
        if databases.flush_was_needed():
            original(self)
            reference.load_all()

    TransactionTestCase._fixture_teardown = _fixture_teardown
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture(autouse=True)
def _forget_demo_answer():
    """The demo banner's answer is cached until the next import; each test starts with its own data."""
    from django.core.cache import cache

    from indicators.context_processors import HAS_DEMO_KEY

    cache.delete(HAS_DEMO_KEY)


@pytest.fixture(autouse=True)
def _new_data_version():
    """Pages are cached under a data version in Redis (municipalities/data_version.py), which a test's rollback does
    not undo: each test starts with a new one, so no page cached by an earlier test is served to it."""
    import redis
    from django.conf import settings
    from django.core.cache import cache

    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match=cache.make_key("data-version:*"), count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(autouse=True)
def _forget_failed_log_ins():
    """Failed log-ins are counted in Redis for a quarter of an hour (municipalities/login_throttle.py), beyond a
    test's transaction: each test starts with none, however many earlier tests and runs made."""
    import redis
    from django.conf import settings
    from django.core.cache import cache

    from municipalities.login_throttle import PREFIX

    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match=cache.make_key(f"{PREFIX}:*"), count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def english():
    """Messages about bad input are Danish by default (LANGUAGE_CODE); tests that read the English wording say so."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _stop_chart_browser():
    """Reports draw charts in one warm chromium per process (reports/chromium.py): stopped before pytest closes its
    output, so that the browser's goodbye is not written to a closed stream."""
    yield
    from reports import chromium

    chromium.stop()


# The order in which pytest-xdist hands out groups: the longest first, so that no process starts a long one while
# the others sit idle at the end. Kinds and the `long` marker, not measurements: a fresh clone has no record of
# earlier runs.
_FIRST = ("faults", "long", "browser/", "integration/", "unit/")


def _group(item) -> str:
    # A whole module goes to one process, so its module-scoped fixtures (prepared data) are made once. The fault
    # tests stop and start servers and load the machine: they take turns in one process, beside the others.
    return "faults" if item.get_closest_marker("faults") else item.nodeid.split("::")[0][len("tests/") : -len(".py")]


def _rank(item) -> int:
    group = "long" if item.get_closest_marker("long") and not item.get_closest_marker("faults") else _group(item)
    return next((n for n, prefix in enumerate(_FIRST) if group.startswith(prefix)), len(_FIRST))


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Before the other hooks (pytest-xdist's names each test's group for `--dist loadgroup`): one group a module,
    the fault tests one. After them (pytest-django's puts transactional tests last): the longest kinds first, each
    module's tests in the order they had."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(_group(item)))
    result = yield
    items.sort(key=_rank)  # stable
    return result
