"""Loaded with `-p tests.env` before pytest-django reads the settings: the suite runs with development settings
(production settings are tested in subprocesses)."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside Django's live server
os.environ.setdefault("RENDER_CHARTS_AFTER_IMPORT", "false")  # tested on its own; see goals/signals.py
os.environ.setdefault("BUILD_REPORT_PACKS", "false")  # tested on its own; see reports/packs.py

# pytest-xdist runs the suite in parallel processes ("gw0", "gw1", …; set before this module is imported). Each has
# a test database of its own (pytest-django appends the worker's name) and here a Redis database of its own, so no
# two processes share a cached page, a throttle count, a queue or a lock. Database 0 stays `make run`'s.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _xdist_worker:
    os.environ["REDIS_DB"] = str(int(_xdist_worker.removeprefix("gw")) + 1)


def pytest_sessionstart(session):
    """The test session is an entry point: it starts the embedded servers settings point to (settings start
    nothing), before pytest-django creates the test database."""
    from config import services

    services.start_embedded()
