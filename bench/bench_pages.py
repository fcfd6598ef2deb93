"""The jobcentre page under load, against a minimal view in the same run.

With the full demo data loaded and the charts rendered, gunicorn serves the app with the settings `make run`
uses; a second process runs 16 concurrent clients for 20 s against the jobcentre page, its goal-2 page (the one
with the charts) and a minimal view that renders a fixed template through the same middleware. Prints requests/s,
p50 and p95 and the ratios; the SQL queries per page with little and with all the data; and the time a real
Celery worker takes to rebuild every jobcentre's and municipality's charts after an import.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from common import ROOT, fresh_database

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
JOBCENTRE = "taarnby-dragoer"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queries(client, url: str) -> int:
    """SQL queries of one page view with the figures not yet in the cache (the expensive case)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.models import ImportRun

    ImportRun.objects.create(source="file", status=ImportRun.Status.SUCCEEDED)  # a new data version: a cache miss
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(captured)


def main() -> None:
    fresh_database("bench_pages")
    import django

    django.setup()
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from goals import rendering
    from goals.reference import load_all
    from indicators import imports
    from municipalities.models import Area, UserRole

    call_command("migrate", verbosity=0)
    load_all()
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code=JOBCENTRE)
    members = list(Area.objects.filter(kind="municipality", municipality__memberships__area=jobcentre))
    user = User.objects.create_user("bench-chief", password="bench")
    UserRole.objects.create(user=user, role=UserRole.Role.CHIEF, jobcentre=jobcentre)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    pages = [f"/jobcenter/{JOBCENTRE}/", f"/jobcenter/{JOBCENTRE}/maal/2/"]

    # Queries per page with a little data, then with all of it: the count must not grow with the data.
    imports.demo(["MM13", "Y30R21"])
    rendering.render([jobcentre, *members])
    little = [queries(client, p) for p in pages]
    t = time.perf_counter()
    run = imports.demo()
    demo_seconds = time.perf_counter() - t
    rendering.render([jobcentre, *members])
    full = [queries(client, p) for p in pages]
    warm = []
    for page in pages:
        client.get(page)
        with CaptureQueriesContext(connection) as captured:
            client.get(page)
        warm.append(len(captured))
    print(f"demo data: {run.rows_created + run.rows_updated + run.rows_unchanged:,} rows + {run.rows_derived:,} "
          f"derived, imported in {demo_seconds:.1f} s")  # fmt: skip
    for page, a, b, w in zip(pages, little, full, warm, strict=True):
        print(f"SQL queries {page:<36} {a:>3} with 2 tables, {b:>3} with all 8 "
              f"({'constant' if a == b else 'GROWS'}); {w} when its figures are cached")  # fmt: skip

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.site.settings", "RENDER_CHARTS_AFTER_IMPORT": "false"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    # The Celery rebuild of every chart after an import, by a real worker through the real broker.
    queue = f"bench-{os.getpid()}"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "--pool", "solo", "--hostname",
         f"{queue}@%h", "--loglevel", "WARNING", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )  # fmt: skip
    try:
        from goals.tasks import render_charts

        t = time.perf_counter()
        stored = render_charts.apply_async(queue=queue).get(timeout=1800)
        rebuild = time.perf_counter() - t
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    areas = Area.objects.filter(kind__in=["jobcentre", "municipality"]).count()
    print(f"chart rebuild by the worker: {stored:,} charts for {areas} areas × 2 languages in {rebuild:.1f} s "
          f"({rebuild / areas * 1000:.0f} ms per area)")  # fmt: skip

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    port = free_port()
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
         os.environ.get("WEB_CONCURRENCY", "3"), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or web.poll() is not None:
                    raise SystemExit("gunicorn did not come up") from None
                time.sleep(0.3)
        results = {}
        for label, path in [
            ("minimal view", "/bench/minimal/"),
            ("jobcentre page", pages[0]),
            ("goal-2 page", pages[1]),
        ]:
            load = [sys.executable, str(ROOT / "bench" / "load.py"), base + path, cookie]
            subprocess.run([*load, "4", "2"], check=True, capture_output=True)  # warm-up
            out = subprocess.run([*load, str(CLIENTS), str(SECONDS)], check=True, capture_output=True, text=True)
            results[label] = json.loads(out.stdout)
    finally:
        web.terminate()
        web.wait(timeout=30)

    print(f"\nload: {CLIENTS} concurrent clients for {SECONDS:.0f} s each, gunicorn with "
          f"{os.environ.get('WEB_CONCURRENCY', '3')} workers as `make run` starts it")  # fmt: skip
    print(f"{'':<16}{'requests':>9}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}")
    for label, r in results.items():
        print(f"{label:<16}{r['requests']:>9,}{r['errors']:>8}{r['rps']:>9.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}")
    base_rps = results["minimal view"]["rps"]
    for label in ("jobcentre page", "goal-2 page"):
        r = results[label]
        print(f"ratio {label} / minimal view: {r['rps'] / base_rps:.2f}  (goal ≥ 0.5); p95 {r['p95']:.1f} ms "
              f"(goal < 50 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
