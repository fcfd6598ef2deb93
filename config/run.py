"""`make run`: one command that brings up Jobmål for a person to use.

Reads the development .env, starts (or reuses) the database and broker, migrates, loads the reference data
through the Celery worker, then keeps the web server, worker and beat running until Ctrl-C (starting again any
that dies), and stops all of them, plus any embedded server it started, by pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from config.supervise import GaveUp, Supervisor

BASE_DIR = Path(__file__).resolve().parent.parent


def _start(name: str, args: list[str], log_dir: Path) -> subprocess.Popen:
    log = log_dir / f"{name}.log"
    print(f"  {name:<7} started, log in {log}")
    # Own process group, so Ctrl-C in the terminal reaches us first and we stop children in order.
    return subprocess.Popen(args, cwd=BASE_DIR, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _load_demo_data() -> bool:
    """Demo figures through the worker, as a real import would run, unless real figures are already there
    (demo data is never written over them) or JOBMAAL_DEMO=0."""
    from indicators.imports import real_national_figures
    from indicators.models import ImportRun
    from indicators.tasks import load_demo_data

    if os.environ.get("JOBMAAL_DEMO", "1") == "0":
        print("Jobmål: JOBMAAL_DEMO=0, no demo data loaded")
        return False
    if real_national_figures():
        print("Jobmål: real figures are present, so no demo data is loaded")
        return False
    run = ImportRun.objects.create(source="demo", is_demo=True)
    print(f"Jobmål: loading demo data (generated, not real figures) through the Celery worker, import #{run.pk}…")
    load_demo_data.delay(run.pk).get(timeout=1800)
    run.refresh_from_db()
    print(
        f"Jobmål: demo data loaded: {run.rows_created} created, {run.rows_updated} updated, "
        f"{run.rows_unchanged} unchanged, {run.rows_derived} derived"
    )
    return True


def _demo_users_and_charts(rendered_after_import: bool) -> None:
    from django.conf import settings

    from goals.models import ChartSnapshot
    from goals.tasks import render_charts
    from municipalities import demo_users

    if not settings.DEBUG:
        # A published password: demo users are for development machines only, and could not log in here anyway.
        print("Jobmål: DEBUG is off, so no demo users are created")
    elif created := demo_users.create():
        print("Jobmål: demo users created (see README):", ", ".join(created))
    if not ChartSnapshot.objects.exists():
        # An import queues the rebuild itself; this covers a start with data but without charts.
        if not rendered_after_import:
            render_charts.delay()
        print("Jobmål: the worker renders the charts now; goal pages show them when it is done (about a minute)")


def main() -> int:
    from config import envfile, services

    envfile.load()  # EMBEDDED_DIR may come from it
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Production's static files (config/storage.py), for this process and the web server it starts: hashed and
    # compressed, so a goal page and its files arrive in 1.4 MB instead of 5 (plotly.js is 4.8 MB).
    os.environ.setdefault("STATIC_COMPRESSED", "true")
    var_dir = services.embedded_dir()
    log_dir = var_dir / "log"
    log_dir.mkdir(parents=True, exist_ok=True)
    before = services.running(var_dir)

    import django
    from django.core.management import call_command

    django.setup()  # settings first: a checkout that cannot start fails before anything is started
    try:
        services.start_embedded()
    except Exception:
        services.stop_started_since(var_dir, before)  # e.g. PostgreSQL came up, but Redis's port was taken
        raise
    print(
        "Jobmål: database",
        "(embedded)" if not os.environ.get("DATABASE_URL") else "(DATABASE_URL)",
        "and broker",
        "(embedded)" if not os.environ.get("REDIS_URL") else "(REDIS_URL)",
        "are up",
    )
    call_command("migrate", interactive=False, verbosity=0)
    print("Jobmål: database migrated")
    print("Jobmål: collecting static files (the first time takes a minute or two: compressing plotly.js)…")
    call_command("collectstatic", interactive=False, verbosity=0)

    from django.conf import settings

    python = sys.executable
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    specs = {
        "worker": [python, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
                   "-Q", settings.WORKER_QUEUES,
                   "--concurrency", os.environ.get("CELERY_CONCURRENCY", "2")],
        "beat": [python, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
                 "--pidfile", str(var_dir / "celerybeat.pid")],
        "web": [python, "-m", "gunicorn", "config.wsgi", "--bind", f"{host}:{port}",
                "--workers", os.environ.get("WEB_CONCURRENCY", "3"), "--access-logfile", "-"],
    }  # fmt: skip
    # A process that dies is started again; one that keeps dying stops everything, named (config/supervise.py).
    supervisor = Supervisor(lambda name, args: _start(name, args, log_dir), specs, log_dir)
    children = supervisor.children
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\nJobmål: stopping web, worker and beat…")
        for proc in children.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for name, proc in children.items():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                # A worker in the middle of a long task (a chart rebuild) waits for it on SIGTERM; the task is
                # acknowledged late, so killing it loses nothing: it runs again at the next start. The child was
                # started in its own session, so its process group takes the pool processes with it.
                print(f"  {name} did not stop in time; killing process group {proc.pid}")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        stopped = services.stop_started_since(var_dir, before)
        if stopped:
            print("Jobmål: stopped embedded", ", ".join(stopped))

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        from goals.tasks import load_reference

        print("Jobmål: loading reference data through the Celery worker…")
        result = load_reference.delay()
        counts = result.get(timeout=300)
        print("Jobmål: reference data loaded:", ", ".join(f"{k} {v}" for k, v in counts.items()))
        loaded = _load_demo_data()
        _demo_users_and_charts(rendered_after_import=loaded)
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            print(f"Jobmål: e-mails (report subscriptions) are written as files to {settings.EMAIL_FILE_PATH}")
        elif settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            print("Jobmål: e-mails (report subscriptions) are written to the worker's log")
        print(f"\nJobmål is running at http://{host}:{port}/   (Ctrl-C stops it)\n", flush=True)
        while not stopping:
            try:
                supervisor.check()
            except GaveUp as exc:
                if not stopping:
                    print(f"Jobmål: {exc}; stopping everything", file=sys.stderr)
                    stop()
                return 1
            time.sleep(0.5)
    except Exception as exc:  # anything going wrong on the way up must still stop what was started
        print(f"Jobmål: start-up failed: {exc}", file=sys.stderr)
        stop()
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BASE_DIR))
    sys.exit(main())
