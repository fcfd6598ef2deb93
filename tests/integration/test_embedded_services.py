"""A fresh machine has no PostgreSQL and no Redis: the embedded ones must come up from nothing and stop again.
Settings only say where they are; the entry points (here manage.py and `config.services wrap`) start them."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2
import pytest
import redis

from config import services

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parents[2]
# Connects to both servers the way the app does, through settings.
PROBE = (
    "from django.core.cache import cache; from django.db import connection; connection.ensure_connection(); "
    "cache.set('jobmaal:probe', 42); print('probe', connection.settings_dict['HOST'], cache.get('jobmaal:probe'))"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def short_dir():
    # PostgreSQL's socket path must stay short, so not pytest's deep tmp_path.
    path = Path(tempfile.mkdtemp(prefix="jm", dir="/tmp"))
    yield path
    services.stop_all(path)
    shutil.rmtree(path, ignore_errors=True)


def _embedded_env(directory: Path) -> dict:
    """No DATABASE_URL / REDIS_URL, so the embedded servers under directory, on ports of their own (a developer's
    `make run` may hold the default ones)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return env | {
        "DEBUG": "true",
        "JOBMAAL_ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "EMBEDDED_DIR": str(directory),
        "EMBEDDED_PG_PORT": str(_free_port()),
        "EMBEDDED_REDIS_PORT": str(_free_port()),
    }


def test_embedded_postgresql_and_redis_boot_from_scratch_and_stop_by_pid(short_dir):
    assert services.running(short_dir) == set()

    db = services.ensure_postgres(short_dir / "pg")
    redis_port = _free_port()
    url = services.ensure_redis(short_dir / "redis", port=redis_port)
    assert services.running(short_dir) == {"postgresql", "redis"}
    assert db == services.postgres_settings(short_dir / "pg")  # where settings look for it

    conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (n int)")
        cur.execute("INSERT INTO t VALUES (41), (1)")
        cur.execute("SELECT sum(n), current_setting('server_version_num')::int >= 150000 FROM t")
        assert cur.fetchone() == (42, True)
        cur.execute("SELECT current_setting('listen_addresses')")
        assert cur.fetchone() == ("",)  # unix socket only: trust authentication never reaches the network
    conn.close()

    client = redis.Redis.from_url(url)
    client.rpush("jobmaal:test", "a", "b")
    assert client.lrange("jobmaal:test", 0, -1) == [b"a", b"b"]
    client.close()

    # A second call reuses the running servers instead of starting new ones.
    assert services.ensure_redis(short_dir / "redis", port=redis_port) == url
    assert services.ensure_postgres(short_dir / "pg") == db
    # One started for another port is reported, not used in the wrong place.
    with pytest.raises(RuntimeError, match="make stop"):
        services.ensure_postgres(short_dir / "pg", port=int(db["PORT"]) + 1)

    pg_pid = int((short_dir / "pg" / "postmaster.pid").read_text().split()[0])
    redis_pid = int((short_dir / "redis" / "redis.pid").read_text())
    assert sorted(services.stop_all(short_dir)) == ["postgresql", "redis"]
    assert not services._pid_alive(pg_pid)
    assert not services._pid_alive(redis_pid)
    assert services.running(short_dir) == set()


def test_stop_started_since_leaves_servers_that_were_already_running(short_dir):
    services.ensure_redis(short_dir / "redis", port=_free_port())
    before = services.running(short_dir)
    services.ensure_postgres(short_dir / "pg")
    assert services.stop_started_since(short_dir, before) == ["postgresql"]
    assert services.running(short_dir) == {"redis"}


def test_a_redis_port_held_by_someone_else_is_never_shared(short_dir):
    port = _free_port()
    services.ensure_redis(short_dir / "one", port=port)
    # Another checkout's Redis on our port: its worker would take our tasks.
    with pytest.raises(RuntimeError, match="EMBEDDED_REDIS_PORT"):
        services.ensure_redis(short_dir / "two", port=port)
    # Our own Redis, looked for on another port.
    with pytest.raises(RuntimeError, match="make stop"):
        services.ensure_redis(short_dir / "one", port=_free_port())
    assert services.stop_redis(short_dir / "one")


def test_manage_py_starts_the_servers_settings_point_to_and_leaves_them_running(short_dir):
    env = _embedded_env(short_dir)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"probe {short_dir / 'pg'} 42" in result.stdout
    # They keep running between commands, until `make stop` (here the fixture).
    assert services.running(short_dir) == {"postgresql", "redis"}


def test_wrap_starts_the_servers_for_its_command_and_stops_them_after(short_dir):
    env = _embedded_env(short_dir)
    command = [sys.executable, "-c", f"import django; django.setup(); {PROBE}"]
    result = subprocess.run(
        [sys.executable, "-m", "config.services", "wrap", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"probe {short_dir / 'pg'} 42" in result.stdout
    assert "stopped embedded redis, postgresql" in result.stdout
    assert services.running(short_dir) == set()


def test_the_embedded_redis_evicts_only_expiring_keys_at_its_memory_limit(short_dir):
    """R12 (issue 20): the Redis that is also the job queue had no memory limit. At its limit the least recently
    used expiring keys (the cache's) go; a queue's keys, which never expire, stay."""
    url = services.ensure_redis(short_dir / "redis", port=_free_port())
    client = redis.Redis.from_url(url)
    try:
        assert client.config_get("maxmemory-policy") == {"maxmemory-policy": "volatile-lru"}
        assert int(client.config_get("maxmemory")["maxmemory"]) == 256 * 2**20
        client.config_set("maxmemory", 3 * 2**20)  # a small limit, to reach it within the test
        client.rpush("celery", *[b"q" * 1000] * 200)  # a queue: no expiry
        for n in range(3000):
            client.set(f"page:{n}", b"p" * 2000, ex=300)  # pages: 6 MB asked of a 3 MB limit
        assert client.llen("celery") == 200
        assert client.dbsize() < 3000
    finally:
        client.close()
        services.stop_all(short_dir)
