"""A fresh machine has no PostgreSQL and no Redis: the embedded ones must come up from nothing and stop again."""

import shutil
import tempfile
from pathlib import Path

import psycopg2
import pytest
import redis

from config import services

pytestmark = pytest.mark.services


@pytest.fixture
def short_dir():
    # PostgreSQL's socket path must stay short, so not pytest's deep tmp_path.
    path = Path(tempfile.mkdtemp(prefix="jm", dir="/tmp"))
    yield path
    services.stop_all(path)
    shutil.rmtree(path, ignore_errors=True)


def test_embedded_postgresql_and_redis_boot_from_scratch_and_stop_by_pid(short_dir):
    assert services.running(short_dir) == set()

    db = services.ensure_postgres(short_dir / "pg")
    url = services.ensure_redis(short_dir / "redis")
    assert services.running(short_dir) == {"postgresql", "redis"}

    conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    with conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE t (n int)")
        cur.execute("INSERT INTO t VALUES (41), (1)")
        cur.execute("SELECT sum(n), current_setting('server_version_num')::int >= 150000 FROM t")
        assert cur.fetchone() == (42, True)
    conn.close()

    client = redis.Redis.from_url(url)
    client.rpush("jobmaal:test", "a", "b")
    assert client.lrange("jobmaal:test", 0, -1) == [b"a", b"b"]
    client.close()

    # A second call reuses the running servers instead of starting new ones.
    assert services.ensure_redis(short_dir / "redis") == url
    assert services.ensure_postgres(short_dir / "pg") == db

    pg_pid = int((short_dir / "pg" / "postmaster.pid").read_text().split()[0])
    redis_pid = int((short_dir / "redis" / "redis.pid").read_text())
    assert sorted(services.stop_all(short_dir)) == ["postgresql", "redis"]
    assert not services._pid_alive(pg_pid)
    assert not services._pid_alive(redis_pid)
    assert services.running(short_dir) == set()


def test_stop_started_since_leaves_servers_that_were_already_running(short_dir):
    services.ensure_redis(short_dir / "redis")
    before = services.running(short_dir)
    services.ensure_postgres(short_dir / "pg")
    assert services.stop_started_since(short_dir, before) == ["postgresql"]
    assert services.running(short_dir) == {"redis"}
