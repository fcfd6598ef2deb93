from pathlib import Path

import pytest

from goals import reference

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data is part of every test database, as it is of every real one."""
    with django_db_blocker.unblock():
        reference.load_all()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database after each test, so they load the reference data again."""
    reference.load_all()


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
    """Reports draw charts in one warm chromium per process (reports/images.py): stopped before pytest closes its
    output, so that the browser's goodbye is not written to a closed stream."""
    yield
    from reports import images

    images.stop()
