"""What /healthz reports: each dependency on its own, so an outage is named rather than hidden behind "ok".

PostgreSQL and Redis are the web's own dependencies: when either is down the answer is 503, and a container
orchestrator restarts or stops routing to it. The worker (its heartbeat, written every minute by a beat task
through the worker) and the age of the newest import are reported too; they make the answer 503 only with
`?strict=1`, because a stopped worker is no reason to take the web down.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

HEARTBEAT_STALE = 5 * 60  # seconds; the beat task (indicators.tasks.heartbeat) runs every minute


def report(strict: bool = False) -> tuple[int, dict]:
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["postgresql"] = {"ok": True}
    except Exception as exc:  # any failure to reach the database is the answer
        checks["postgresql"] = {"ok": False, "error": exc.__class__.__name__}
    heartbeat = None
    try:
        # A ping, not a cache read: the cache answers "not cached" while Redis is down (config/cache.py).
        checks["redis"] = {"ok": cache.ping()}
        if checks["redis"]["ok"]:
            from indicators.tasks import HEARTBEAT_KEY

            heartbeat = cache.get(HEARTBEAT_KEY)
    except Exception as exc:
        checks["redis"] = {"ok": False, "error": exc.__class__.__name__}
    age = None if heartbeat is None else round(time.time() - heartbeat)
    checks["worker"] = {"ok": age is not None and age < HEARTBEAT_STALE, "heartbeat_seconds_ago": age}
    newest = None
    if checks["postgresql"]["ok"]:
        from indicators.models import ImportRun

        finished = (
            ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED, is_demo=False)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        newest = None if finished is None else round((timezone.now() - finished).total_seconds() / 3600, 1)
    checks["newest_import"] = {"hours_ago": newest}
    needed = ["postgresql", "redis", *(["worker"] if strict else [])]
    healthy = all(checks[name]["ok"] for name in needed)
    return (200 if healthy else 503), {"status": "ok" if healthy else "down", "checks": checks}
