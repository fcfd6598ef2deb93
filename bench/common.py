"""What every benchmark needs: a fresh database of its own on the app's server, so no real data is touched."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def fresh_database(name: str) -> dict:
    """Create (or re-create) database `name` on the app's server and point DATABASE_URL at it."""
    import dj_database_url
    import psycopg2

    from config import services

    services.start_embedded()  # PostgreSQL and Redis when no URLs are given (bench_pages uses the cache)
    if os.environ.get("DATABASE_URL"):
        db = dj_database_url.parse(os.environ["DATABASE_URL"])
    else:
        db = services.postgres_settings(services.embedded_dir() / "pg")
    conn = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db.get("PASSWORD") or None, host=db["HOST"], port=db["PORT"]
    )
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    host = quote(str(db["HOST"]), safe="")
    password = quote(db.get("PASSWORD") or "")
    os.environ["DATABASE_URL"] = f"postgres://{db['USER']}:{password}@{host}:{db['PORT']}/{name}"
    return {**db, "NAME": name}


def demo_database(name: str):
    """A fresh database with the reference data and the full demo data, for the benchmarks that need figures; the
    demo import run."""
    import time

    fresh_database(name)
    import django

    django.setup()
    from django.core.management import call_command

    from goals.reference import load_all
    from indicators import imports

    call_command("migrate", verbosity=0)
    load_all()
    t = time.perf_counter()
    run = imports.demo()
    print(
        f"demo data: {run.rows_created:,} rows + {run.rows_derived:,} derived, imported in "
        f"{time.perf_counter() - t:.1f} s"
    )
    return run


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def workers_cpu(master: int) -> float:
    """CPU seconds gunicorn's workers (the master's children) have used so far: what a page costs the server,
    whatever else the machine is doing meanwhile (Linux only; NaN elsewhere)."""
    import contextlib

    try:
        pids = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return float("nan")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):  # a worker that has just exited
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return total


def session_cookie(user) -> str:
    """A logged-in session for `user`, as the cookie a browser would send."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def web_env() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.site.settings", "RENDER_CHARTS_AFTER_IMPORT": "false"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


class Web:
    """gunicorn as config/run.py starts it (sync workers, WEB_CONCURRENCY of them), without the access log, serving
    the app with bench/site's one extra URL (the minimal view)."""

    def __init__(self, workers: str):
        import subprocess
        import time
        import urllib.request

        self.workers = workers
        port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bench.site.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                workers,
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=web_env(),
        )
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise SystemExit("gunicorn did not come up") from None
                time.sleep(0.3)

    def load(self, path: str, cookie: str, clients: int, seconds: float) -> dict:
        """bench/load.py's figures for `clients` closed-loop clients on one URL, after a short warm-up, with the
        server's CPU per request."""
        import json
        import subprocess

        command = [sys.executable, str(ROOT / "bench" / "load.py"), self.base + path, cookie]
        subprocess.run([*command, "4", "2"], check=True, capture_output=True)  # warm-up
        cpu = workers_cpu(self.process.pid)
        out = subprocess.run([*command, str(clients), str(seconds)], check=True, capture_output=True, text=True)
        result = json.loads(out.stdout)
        result["server_ms"] = (workers_cpu(self.process.pid) - cpu) / max(result["requests"], 1) * 1000
        return result

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


HEADER = (
    f"{'':<22}{'clients':>8}{'s':>4}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
    f"{'p99 ms':>9}{'server CPU ms':>15}{'load CPU':>10}"
)


def row(label: str, clients: int, seconds: float, r: dict) -> str:
    line = (
        f"{label:<22}{clients:>8}{seconds:>4.0f}{r['requests']:>10,}{r['errors']:>8}{r['rps']:>9.1f}"
        f"{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['server_ms']:>15.2f}"
        f"{r['client_cpu']:>10.2f}"
    )
    if r["errors"]:
        line += f"\n{'':<22}errors: {r['error_kinds']}"
    return line
