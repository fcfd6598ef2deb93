"""The ministry's comparison of all 98 municipalities under load, against a minimal view in the same run.

With the full demo data loaded, a ministry user's comparison page is asked for with each kind of filter, sort and
area level: the SQL queries of each (with the figures not in the cache, and when cached) must be the same number
whatever the choice. Then gunicorn serves the app as `make run` starts it and bench/load.py runs 16 concurrent
logged-in clients against the minimal view, the default comparison (each goal's headline indicator, the latest
period) and a filtered, re-sorted one. Prints requests, errors, requests/s, p50, p95, p99 and the ratio to the
minimal view; the goal is p95 < 100 ms.
"""

from __future__ import annotations

import os

from common import HEADER, Web, demo_database, row, session_cookie

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")
DEFAULT = "/sammenligning/"
# Every kind of choice: a filter of each kind, the other area levels, each sort, another indicator and period.
VIEWS = [
    DEFAULT,
    "/sammenligning/?indikator=MM13&region=1084",
    "/sammenligning/?indikator=MM13&rar=hovedstaden",
    "/sammenligning/?indikator=MM13&gruppe=2&sorter=navn&retning=ned",
    "/sammenligning/?indikator=MM13&egengruppe={group}&sorter=aendring",
    "/sammenligning/?indikator=MM13&region=1082&gruppe=5&sorter=vaerdi",
    "/sammenligning/?indikator=MM13&niveau=jobcentre",
    "/sammenligning/?indikator=MM13&niveau=regioner",
    "/sammenligning/?indikator=MM13&niveau=rar",
    "/sammenligning/?indikator=Y08A02&periode={y08_period}",
]
FILTERED = "/sammenligning/?indikator=MM13&region=1084&sorter=navn&retning=ned"


def queries(client, url: str, *, fresh: bool) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from municipalities import data_version

    if fresh:
        data_version.bump()  # a new data version: nothing of the page is in the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:500])
    return len(captured)


def main() -> None:
    demo_database("bench_comparison")
    from django.contrib.auth.models import User
    from django.test import Client

    from indicators.models import Observation
    from municipalities import groups
    from municipalities.models import Area, UserRole

    user = User.objects.create_user("bench-ministry", password="bench")
    UserRole.objects.create(user=user, role=UserRole.Role.MINISTRY)
    group = groups.save(user, "Bench-gruppe", ["101", "147", "751", "461", "851"])
    y08 = Observation.objects.filter(indicator__code="Y08A02").order_by("period_start").values_list("period", flat=True)
    views = [v.format(group=group.code, y08_period=y08.first()) for v in VIEWS]
    regions = {a.code for a in Area.objects.filter(kind__in=["region", "rar", "dst_group"])}
    for needed in ("1084", "1082", "hovedstaden", "2", "5"):
        assert needed in regions, f"{needed} is not a grouping code any more: update VIEWS"

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get("/")
    fresh, cached = [], []
    for view in views:
        fresh.append(queries(client, view, fresh=True))
        cached.append(queries(client, view, fresh=False))
    print("SQL queries of the comparison per view (figures not cached / cached):")
    for view, a, b in zip(views, fresh, cached, strict=True):
        print(f"  {a:>3} / {b:>2}  {view}")
    by_level: dict[str, set[int]] = {}
    for view, count in zip(views, fresh, strict=True):
        level = view.split("niveau=", 1)[1].split("&", 1)[0] if "niveau=" in view else "kommuner"
        by_level.setdefault(level, set()).add(count)
    verdict = ", ".join(f"{level}: {'/'.join(map(str, sorted(c)))}" for level, c in by_level.items())
    same = all(len(c) == 1 for c in by_level.values())
    print(
        f"  without the cache, per area level ({verdict}): {'constant' if same else 'VARIES'} whatever the filter, "
        f"sort, indicator and period (the municipality level has one more: the map's outlines); "
        f"{'0' if set(cached) == {0} else 'NOT 0'} when cached"
    )

    cookie = session_cookie(user)
    web = Web(WORKERS)
    try:
        results = [
            (label, web.load(path, cookie, CLIENTS, SECONDS))
            for label, path in [
                ("minimal view", "/bench/minimal/"),
                ("comparison, default", DEFAULT),
                ("comparison, filtered", FILTERED),
            ]
        ]
    finally:
        web.stop()
    print(
        f"\nload: gunicorn with {WORKERS} sync workers as `make run` starts it, on {os.cpu_count()} cores; "
        f"closed-loop logged-in ministry clients, a new connection per request"
    )
    print(HEADER)
    for label, r in results:
        print(row(label, CLIENTS, SECONDS, r))
    floor = results[0][1]
    for label, r in results[1:]:
        verdict = "met" if r["p95"] < 100 and not r["errors"] else "NOT MET"
        print(
            f"{label}: p95 {r['p95']:.1f} ms (goal < 100 ms: {verdict}); ratio to the minimal view "
            f"{r['rps'] / floor['rps']:.2f}"
        )


if __name__ == "__main__":
    main()
