"""Celery tasks: thin shells around indicators.imports. Ids in, ids out."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from indicators import imports, runs
from indicators.models import ImportRun
from indicators.sources.jobindsats import TransientSourceError

log = logging.getLogger(__name__)

RETRYING = {
    "acks_late": True,
    # A worker process killed mid-import hands its task back to the queue; the run is taken up again.
    "reject_on_worker_lost": True,
    "autoretry_for": (TransientSourceError,),
    "retry_backoff": 15,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 5,
    "soft_time_limit": 1800,
    "time_limit": 1900,
}


@shared_task(**RETRYING)
def sync_catalogue() -> int:
    """The table list, and the labels the followed tables' metadata gives (a relabelled measure is data)."""
    count = imports.sync_catalogue()
    for code, unmatched in imports.sync_all_columns().items():
        if unmatched:
            log.warning("%s: columns in the metadata that match no key: %s", code, "; ".join(unmatched))
    return count


@shared_task(bind=True, **RETRYING)
def import_table(self, table_id: str, periods: list[str] | None = None, run_id: int | None = None) -> int:
    if runs.finished(run_id):
        return run_id
    run = ImportRun.objects.get(pk=run_id) if run_id else ImportRun.objects.create(source="api_v3", table=table_id)
    with runs.alive(self, run.pk, table_id=table_id, periods=periods, run_id=run.pk):
        return imports.from_api(table_id, periods=periods, import_run=run).pk


@shared_task(**RETRYING)
def backfill(table_id: str, first: str, last: str) -> int:
    return imports.backfill(table_id, first, last).pk


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1900)
def import_file(self, path: str, table: str | None = None, run_id: int | None = None) -> int:
    if runs.finished(run_id):
        return run_id
    run = ImportRun.objects.get(pk=run_id) if run_id else ImportRun.objects.create(source="file")
    with runs.alive(self, run.pk, path=path, table=table, run_id=run.pk):
        return imports.from_file(path, table=table, import_run=run).pk


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, soft_time_limit=1800, time_limit=1900)
def load_demo_data(self, run_id: int | None = None) -> int:
    if runs.finished(run_id):
        return run_id
    run = ImportRun.objects.get(pk=run_id) if run_id else ImportRun.objects.create(source="demo")
    with runs.alive(self, run.pk, run_id=run.pk):
        return imports.demo(import_run=run).pk


@shared_task(acks_late=True)
def import_all() -> list[int]:
    """Nightly: queue every Jobindsats table over its trailing window. Each runs and retries on its own."""
    if not settings.JOBINDSATS_API_KEY:
        log.warning("JOBINDSATS_API_KEY is not set; the nightly import has nothing to fetch with")
        return []
    runs = []
    for table_id in imports.api_tables():
        run = ImportRun.objects.create(source="api_v3", table=table_id)
        import_table.delay(table_id, run_id=run.pk)
        runs.append(run.pk)
    return runs


@shared_task
def reap_stale_imports() -> list[int]:
    return imports.reap_stale_runs()


HEARTBEAT_KEY = "worker-heartbeat"


@shared_task(ignore_result=True, expires=60)
def heartbeat() -> None:
    """Run by beat every minute through the worker: /healthz tells from its age whether a worker is taking tasks."""
    import time

    from django.core.cache import cache

    cache.set(HEARTBEAT_KEY, time.time(), 3600)  # expires, as every cache key (config/services.REDIS_MEMORY)
