"""The jobcentre page under load, against a minimal view in the same run.

With the full demo data loaded and the charts rendered, gunicorn serves the app with the settings and workers
`make run` uses; a second process (bench/load.py) runs 16 concurrent logged-in clients for 20 s against a minimal
view that renders a fixed template through the same middleware, the jobcentre page and its goal-2 page (the one
with the charts), then 200 clients for 60 s against the minimal view and the jobcentre page. Prints requests,
errors, requests/s, p50, p95 and p99 and the ratios to the minimal view; the SQL queries per page with little and
with all the data, and when the page is cached (none: session, user, role, jobcentre and page all come from
Redis); and the time a real Celery worker takes to rebuild every jobcentre's and municipality's charts after an
import.
"""

from __future__ import annotations

import os
import subprocess
import time

from common import HEADER, ROOT, Web, fresh_database, row, session_cookie, web_env

REBUILD_GOAL = 20  # seconds for every chart of the full demo data (issue 23)
# (clients, seconds): the everyday load, and the 200 logged-in clients for a minute.
LOADS = [
    (int(os.environ.get("BENCH_CLIENTS", "16")), float(os.environ.get("BENCH_SECONDS", "20"))),
    (int(os.environ.get("BENCH_MANY_CLIENTS", "200")), float(os.environ.get("BENCH_MANY_SECONDS", "60"))),
]
JOBCENTRE = "taarnby-dragoer"
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")


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


def read_layer_against_sql(rounds: int = 5) -> None:
    """The chart rebuild's read of every goal set's figures through the Observation QuerySet (goals.rendering._load),
    against the same rows selected by a hand-written SQL statement as the rebuild did before issue 22: the median
    of `rounds` alternating runs of each, in this process."""
    import statistics

    from django.db import connection

    from goals import rendering
    from goals.models import GoalSet
    from indicators.models import Indicator, Observation
    from municipalities.models import Area

    links = [link for goal_set in GoalSet.objects.all() for link in rendering.shown_links(goal_set)]
    where, params = [], []
    for link in links:
        measure, breakdown = link.indicator.headline_key
        wanted = ["o.breakdown = %s"] + (["o.breakdown = %s"] if link.lead_breakdown else [])
        wanted += ["o.breakdown LIKE %s"] * len(link.breakdown_charts)
        where.append(f"(o.indicator_id = %s AND o.measure = %s AND ({' OR '.join(wanted)}))")
        params += [link.indicator_id, measure, breakdown, *([link.lead_breakdown] if link.lead_breakdown else [])]
        params += [f"{part['dimension']}=%" for part in link.breakdown_charts]
    sql = f"""SELECT i.code, o.area_id, o.period, o.period_start, o.breakdown, o.measure, o.value::float8,
                     o.numerator::float8, o.denominator::float8, o.is_demo
              FROM {Observation._meta.db_table} o JOIN {Indicator._meta.db_table} i ON i.id = o.indicator_id
                   JOIN {Area._meta.db_table} a ON a.id = o.area_id
              WHERE a.kind IN ('municipality', 'jobcentre', 'rar', 'country') AND ({" OR ".join(where)})"""

    def by_hand() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    timings = {"read layer": [], "hand-written SQL": []}
    rows = {}
    for _ in range(rounds):
        for label, read in (("read layer", lambda: len(rendering._load(links))), ("hand-written SQL", by_hand)):
            t = time.perf_counter()
            rows[label] = read()
            timings[label].append(time.perf_counter() - t)
    layer, by_sql = (statistics.median(timings[k]) for k in ("read layer", "hand-written SQL"))
    assert rows["read layer"] == rows["hand-written SQL"], rows
    print(
        f"chart rebuild's read of {rows['read layer']:,} figures: read layer {layer:.2f} s, hand-written SQL "
        f"{by_sql:.2f} s (median of {rounds}; ratio {layer / by_sql:.2f})"
    )


def main() -> None:
    fresh_database("bench_pages")
    import django

    django.setup()

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

    # Queries per page with a little data, then with all of it: the count must not grow with the data. The user is
    # in the cache from the first request on, as for anyone already using the site.
    client.get("/")
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
    print(
        f"demo data: {run.rows_created + run.rows_updated + run.rows_unchanged:,} rows + {run.rows_derived:,} "
        f"derived, imported in {demo_seconds:.1f} s"
    )
    for page, a, b, w in zip(pages, little, full, warm, strict=True):
        print(
            f"SQL queries {page:<36} {a:>3} with 2 tables, {b:>3} with all 8 "
            f"({'constant' if a == b else 'GROWS'}); {w} when the page is cached"
        )

    read_layer_against_sql()
    env = web_env()

    # The Celery rebuild of every chart after an import, by a real worker through the real broker.
    queue = f"bench-{os.getpid()}"
    from config.celery import worker_command

    worker = subprocess.Popen(
        worker_command("--pool", "solo", queues=queue, hostname=queue, loglevel="WARNING", alone=True),
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    try:
        from goals.tasks import render_charts

        t = time.perf_counter()
        stored = render_charts.apply_async(queue=queue).get(timeout=1800)
        rebuild = time.perf_counter() - t
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    areas = Area.objects.filter(kind__in=["jobcentre", "municipality"]).count()
    per_area, of_goal = rebuild / areas * 1000, rebuild / REBUILD_GOAL
    print(
        f"chart rebuild by the worker: {stored:,} charts for {areas} areas × 2 languages in {rebuild:.1f} s "
        f"({per_area:.0f} ms per area; {of_goal:.2f} × the goal of {REBUILD_GOAL} s)"
    )

    cookie = session_cookie(user)
    web = Web(WORKERS)
    try:
        results = []
        for n, (clients, seconds) in enumerate(LOADS):
            targets = [("minimal view", "/bench/minimal/"), ("jobcentre page", pages[0])]
            if n == 0:
                targets.append(("goal-2 page", pages[1]))
            for label, path in targets:
                results.append((label, clients, seconds, web.load(path, cookie, clients, seconds)))
    finally:
        web.stop()

    print(
        f"\nload: gunicorn with {WORKERS} sync workers as `make run` starts it, on {os.cpu_count()} cores; "
        f"closed-loop logged-in clients, a new connection per request"
    )
    print(HEADER)
    for label, clients, seconds, r in results:
        print(row(label, clients, seconds, r))
    for clients, _ in LOADS:
        runs = {label: r for label, c, _, r in results if c == clients}
        floor = runs["minimal view"]
        for label in ("jobcentre page", "goal-2 page"):
            if label in runs:
                r = runs[label]
                print(
                    f"ratio {label} / minimal view, {clients} clients: {r['rps'] / floor['rps']:.2f}  (goal ≥ 0.5); "
                    f"server CPU per request {r['server_ms']:.2f} / {floor['server_ms']:.2f} ms"
                )
    print(f"SQL queries of a cached page for a logged-in chief: {', '.join(map(str, warm))}  (goal 0)")
    print(
        "server CPU ms: the web workers' CPU time per answered request; load CPU: the cores the load generator "
        "itself used (bench/load.py), on the same machine as the server"
    )


if __name__ == "__main__":
    main()
