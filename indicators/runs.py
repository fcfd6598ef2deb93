"""An import run's sign of life while a worker runs it, and what becomes of it when the whole worker is gone.

A worker process killed alone hands its task back (acks_late, reject_on_worker_lost) and another process runs it
again. A whole worker killed (its process group, the container, the machine) hands nothing back: its message stays
unacknowledged in Redis for the broker's visibility timeout (an hour), and the run would say "running" for as long.
So while a task runs an import, a thread writes the time to Redis every HEARTBEAT_SECONDS, outside the import's
transaction (which holds the run's row); the reaper (every minute) sends the task of a running run whose heartbeat
is older than DEAD_AFTER once more, to the queue it came from, and marks it failed the second time. An import writes
in one transaction, so the dead one wrote nothing and the new one starts clean. Should the original message come
back after all, its task finds the run done and does nothing (`finished`).
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from indicators.messages import N_, Msg
from indicators.models import ImportRun

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15
DEAD_AFTER = 60  # seconds without a heartbeat; with the reaper every minute a dead worker is found within 2 minutes
RESUMES = 1  # times a run is sent again after its worker was lost
_PROBE = "import-alive:probe"
ENDED = "ended"  # the heartbeat's last word when its task failed: not a lost worker


def _key(run_id: int) -> str:
    return f"import-alive:{run_id}"


@contextmanager
def alive(task, run: int, **kwargs):
    """While the block runs, `run` (its id) is alive; `task` (a bound Celery task) and `kwargs` are what to send
    again."""
    queue = (getattr(task.request, "delivery_info", None) or {}).get("routing_key") or None
    ImportRun.objects.filter(pk=run).update(task={"name": task.name, "kwargs": kwargs, "queue": queue})
    stop = threading.Event()

    def beat() -> None:
        while True:
            try:
                cache.set(_key(run), time.time(), 3600)
            except Exception as exc:  # Redis away: the run's own steps still write heartbeat_at
                log.debug("no heartbeat for import run %s: %s", run, exc)
            if stop.wait(HEARTBEAT_SECONDS):
                return

    thread = threading.Thread(target=beat, name=f"import-run-{run}-heartbeat", daemon=True)
    thread.start()
    ended = False
    try:
        yield
    except BaseException:
        # The task failed (the database went away, say) and may not have been able to record it: its run is left
        # to the older rule (failed after 15 minutes without a sign of life), not sent again as a lost worker's.
        ended = True
        raise
    finally:
        stop.set()
        thread.join(timeout=5)
        try:
            cache.set(_key(run), ENDED, 3600) if ended else cache.delete(_key(run))
        except Exception as exc:
            log.debug("import run %s: %s", run, exc)


def finished(run_id: int | None) -> bool:
    """Whether the run is done already: a message delivered again after the run was taken up elsewhere."""
    return bool(run_id) and ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.SUCCEEDED).exists()


def resume_dead(now: float | None = None) -> tuple[list[int], list[int]]:
    """Send again (once) the running runs whose heartbeat stopped; fail those already sent again. Returns (resumed,
    failed). Does nothing while Redis cannot be read: no heartbeat there then proves nothing."""
    from celery import current_app

    now = time.time() if now is None else now
    cache.set(_PROBE, 1, 60)
    if cache.get(_PROBE) != 1:
        return [], []
    running = list(
        ImportRun.objects.filter(status=ImportRun.Status.RUNNING, task__isnull=False).values_list("pk", flat=True)
    )
    beats = cache.get_many([_key(pk) for pk in running])
    dead = [pk for pk in running if beats.get(_key(pk)) != ENDED and now - beats.get(_key(pk), 0) > DEAD_AFTER]
    resumed, failed = [], []
    for pk in dead:
        with transaction.atomic():
            # Locked rows belong to an import still writing (its transaction holds the row): not dead after all.
            run = ImportRun.objects.select_for_update(skip_locked=True).filter(pk=pk, status="running").first()
            if run is None:
                continue
            if run.resumed >= RESUMES:
                message = Msg(N_("the import's worker stopped without finishing, twice; nothing was written"))
                ImportRun.objects.filter(pk=pk).fail(message)
                failed.append(pk)
                continue
            ImportRun.objects.filter(pk=pk).update(
                status=ImportRun.Status.QUEUED, phase="resumed", resumed=run.resumed + 1, heartbeat_at=timezone.now()
            )
            task = run.task
            transaction.on_commit(
                lambda task=task: current_app.send_task(task["name"], kwargs=task["kwargs"], queue=task.get("queue"))
            )
            resumed.append(pk)
            log.warning("import run %s lost its worker; sent again to %s", pk, run.task.get("queue") or "celery")
    return resumed, failed
