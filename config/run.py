"""`make run`: one command that brings up Jobmål for a person to use.

Reads the development .env, starts (or reuses) the database and broker, migrates, starts the worker and beat,
loads the reference and demo data through the worker while the static files are collected, starts the web server,
prints its address and says in the log when the charts and the release pack are built; then keeps web, worker and
beat running until Ctrl-C (starting again any that dies), and stops all of them, plus any embedded server it
started, by pid.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from config.supervise import GaveUp, Supervisor

BASE_DIR = Path(__file__).resolve().parent.parent


def _start(name: str, args: list[str], log_dir: Path) -> subprocess.Popen:
    log = log_dir / f"{name}.log"
    print(f"  {name:<7} started, log in {log}")
    # Own process group, so Ctrl-C in the terminal reaches us first and we stop children in order.
    return subprocess.Popen(args, cwd=BASE_DIR, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)


def _load_data() -> bool:
    """Reference data, then demo data, through the worker (in a thread of its own while static files are
    collected); whether demo data was imported."""
    from django.db import connection

    from goals.tasks import load_reference

    try:
        print("Jobmål: loading reference data through the Celery worker…")
        counts = load_reference.delay().get(timeout=300)
        print("Jobmål: reference data loaded:", ", ".join(f"{k} {v}" for k, v in counts.items()))
        return _load_demo_data()
    finally:
        connection.close()  # this thread's own


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


class Background:
    """What the worker still builds once the site is up, said in this log as it gets done: the charts of the newest
    figures (the goal pages say "opdateres…" until then), then the release pack (every area's report as PDF and
    Excel). Looked at every few seconds, not on every turn of the supervising loop."""

    EVERY = 3.0

    def __init__(self, started: float):
        self.started, self.next = started, 0.0
        self.charts_done = self.pack_done = False
        self.release = None
        try:
            from reports import releases

            self.release = releases.current()
        except Exception:  # noqa: BLE001 (a report on progress never stops the site)
            self.charts_done = self.pack_done = True
        if self.release is None:
            self.charts_done = self.pack_done = True
        else:
            print(
                "Jobmål: still being built by the worker: the charts, then the release pack (PDF and Excel for "
                "every municipality and jobcentre); this log says when each is done",
                flush=True,
            )

    def report(self) -> None:
        now = time.monotonic()
        if (self.charts_done and self.pack_done) or now < self.next:
            return
        self.next = now + self.EVERY
        try:
            self._look(now)
        except Exception as exc:  # noqa: BLE001
            print(f"Jobmål: could not see how the background work goes ({exc}); it goes on", flush=True)
            self.charts_done = self.pack_done = True
        finally:
            from django.db import connection

            connection.close()

    def _look(self, now: float) -> None:
        from reports.models import Report
        from reports.packs import charts_ready

        if not self.charts_done and charts_ready(self.release):
            self.charts_done = True
            print(f"Jobmål: charts ready, {now - self.started:.0f} s after the site came up", flush=True)
        if self.charts_done and not self.pack_done:
            pack = Report.objects.filter(release=self.release, in_pack=True)
            total = pack.count()
            waiting = pack.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING]).count()
            if total and not waiting:
                self.pack_done = True
                said = f"release pack ready ({total} reports), {now - self.started:.0f} s after the site came up"
                print(f"Jobmål: {said}", flush=True)


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

    from django.conf import settings

    from config.celery import worker_command

    python = sys.executable
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    specs = {
        "worker": worker_command(
            "--concurrency", os.environ.get("CELERY_CONCURRENCY", "2"), queues=settings.WORKER_QUEUES
        ),
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--pidfile",
            str(var_dir / "celerybeat.pid"),
        ],
        "web": [
            python,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"{host}:{port}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "3"),
            "--access-logfile",
            "-",
        ],
    }
    # A process that dies is started again; one that keeps dying stops everything, named (config/supervise.py).
    # The web server waits for its static files; the worker and beat start now, so that the data is loaded while
    # the files are collected (on a first start both take a quarter of a minute).
    web = specs.pop("web")
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
        with ThreadPoolExecutor(1) as background:
            data = background.submit(_load_data)
            print("Jobmål: collecting static files (the first time: a quarter of a minute, compressing plotly.js)…")
            call_command("collectstatic", interactive=False, verbosity=0)
            print("Jobmål: static files collected")
            supervisor.add("web", web)
            loaded = data.result()
        _demo_users_and_charts(rendered_after_import=loaded)
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            print(f"Jobmål: e-mails (report subscriptions) are written as files to {settings.EMAIL_FILE_PATH}")
        elif settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
            print("Jobmål: e-mails (report subscriptions) are written to the worker's log")
        print(f"\nJobmål is running at http://{host}:{port}/   (Ctrl-C stops it)\n", flush=True)
        background = Background(time.monotonic())
        while not stopping:
            background.report()
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
