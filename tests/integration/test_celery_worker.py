"""A real Celery worker, in its own process, takes import tasks from the real Redis broker and writes to the
test database in PostgreSQL."""

import datetime as dt
import os
import subprocess
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import worker_command
from indicators import tasks
from indicators.models import ImportRun, Observation
from tests.factories import DATA

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict  # NAME is the test database here
    host = quote(db["HOST"] or "localhost", safe="")
    return f"postgres://{db['USER']}:{quote(db.get('PASSWORD') or '')}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(*pool: str, queue: str | None = None, **output) -> tuple[str, subprocess.Popen]:
    """A worker on a queue of its own, so that no other worker (e.g. `make run`'s) takes these tasks."""
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    from django.core.cache import cache

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DEBUG": "true",
        "CACHE_KEY_PREFIX": cache.key_prefix,
    }  # as the web's: the same heartbeats and versions
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.Popen(
        worker_command(*pool, queues=queue, hostname=queue.split(",")[0], alone=True),
        cwd=ROOT,
        env=env,
        text=True,
        **output,
    )
    from config.celery import app

    deadline = time.monotonic() + 60
    while not app.control.ping(destination=[f"{queue.split(',')[0]}@{os.uname().nodename}"], timeout=0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"worker did not come up:\n{proc.stdout.read() if proc.stdout else ''}")
    return queue, proc


@pytest.fixture
def worker(reference_data):
    queue, proc = _start_worker("--pool", "solo", stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    yield queue, proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_worker_takes_the_import_task_from_redis_and_rows_land_in_postgresql(worker):
    queue, proc = worker
    result = tasks.import_file.apply_async(args=[str(DATA / "MM13_v2.csv")], queue=queue)
    run_id = result.get(timeout=120)
    run = ImportRun.objects.get(pk=run_id)
    assert run.status == ImportRun.Status.SUCCEEDED and run.rows_created == 21
    assert Observation.objects.filter(import_run=run, area__code="820", measure="andel").get().value == Decimal("9.08")
    assert Observation.objects.filter(is_derived=True).exists()
    assert proc.poll() is None  # the worker is still serving


def test_a_failing_import_in_the_worker_writes_nothing_and_records_the_error(worker, tmp_path):
    queue, _ = worker
    bad = tmp_path / "MM13_bad.csv"
    bad.write_bytes((DATA / "MM13_v2.csv").read_bytes().replace(b"Nordfyns", b"Atlantis"))
    result = tasks.import_file.apply_async(args=[str(bad)], queue=queue)
    with pytest.raises(Exception, match="unknown area 'Atlantis'"):
        result.get(timeout=120)
    assert Observation.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and run.rejects[0]["field"] == "Area"


def test_worker_loads_the_demo_data_as_make_run_does(worker):
    """Over 20 s under load: a real worker process imports the whole demo data set (about 570,000 rows), as
    `make run` does."""
    queue, _ = worker
    run = ImportRun.objects.create(source="demo", is_demo=True)
    assert tasks.load_demo_data.apply_async(args=[run.pk], queue=queue).get(timeout=600) == run.pk
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.is_demo and run.rows_rejected == 0
    assert run.rows_created > 250_000 and run.rows_derived > 100_000
    assert Observation.objects.count() == run.rows_created + run.rows_derived
    assert not Observation.objects.filter(is_demo=False).exists()


def test_worker_renders_and_stores_a_jobcentres_charts(worker):
    from goals.models import ChartSnapshot
    from goals.tasks import render_charts
    from indicators import imports
    from municipalities.models import Area

    queue, _ = worker
    imports.demo(["MM13", "Y30R21"])
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
    stored = render_charts.apply_async(args=[[jobcentre.pk]], queue=queue).get(timeout=300)
    charts = ChartSnapshot.objects.filter(area=jobcentre)
    assert stored == charts.count() > 0
    mm13 = charts.get(key="MM13", language="da")
    assert mm13.is_demo and mm13.data_version == ImportRun.objects.latest("pk").pk
    assert mm13.figure["data"][0]["name"] == "Jobcenter Tårnby-Dragør" and len(mm13.table["rows"]) == 72
    assert charts.filter(language="en").count() == charts.filter(language="da").count()


@pytest.fixture
def prefork_worker(reference_data):
    """A worker whose task runs in a child process, as in production: the child can die while the worker lives."""
    queue, proc = _start_worker(
        "--pool", "prefork", "--concurrency", "1", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    yield queue, proc
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.faults  # with tests/faults/: a server (here the worker's child) dies under a running import
def test_a_worker_process_killed_mid_import_writes_nothing_and_the_import_runs_again(prefork_worker, tmp_path):
    import psutil

    queue, proc = prefork_worker
    path = _big_file(tmp_path, range(2010, 2020))
    run = ImportRun.objects.create(source="file", table="MM13")
    result = tasks.import_file.apply_async(args=[str(path)], kwargs={"run_id": run.pk}, queue=queue)
    deadline = time.monotonic() + 60
    while ImportRun.objects.get(pk=run.pk).phase not in ("checking", "writing", "deriving"):
        assert time.monotonic() < deadline, "the import did not start"
        time.sleep(0.05)
    (child,) = psutil.Process(proc.pid).children()
    child.kill()  # as the OOM killer would
    child.wait(timeout=10)
    assert result.get(timeout=180) == run.pk  # handed back to the queue and run again by a new child
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.rows_created == 98 * 120 * 9 * 3
    assert Observation.objects.filter(is_derived=False).count() == 98 * 120 * 9 * 3
    assert proc.poll() is None


def _big_file(tmp_path, years: range) -> Path:
    from municipalities import reference

    lines = ["Område;Periode;Køn;Opholdstid;Andel i beskæftigelse (pct.);Beskæftigede;Personer i alt"]
    months = [f"{year}M{month:02d}" for year in years for month in range(1, 13)]
    for _code, name, *_ in reference.MUNICIPALITIES:
        for period in months:
            for gender in ("I alt", "Kvinder", "Mænd"):
                for stay in ("I alt", "Under 3 år", "Over 5 år"):
                    lines.append(f"{name};{period};{gender};{stay};10,0;10;100")
    path = tmp_path / "MM13_stor.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.faults  # with tests/faults/: the whole worker dies under a running import
def test_a_whole_worker_killed_mid_import_is_found_by_its_heartbeat_and_the_import_runs_again_once(
    reference_data, tmp_path
):
    """R13 (issue 20): kill -9 of the worker's whole process group left the run "running" for 15.7 minutes, then
    failed, never run again. The reaper (every minute) finds it by its stopped heartbeat, on a controlled clock a
    minute on, and sends it once more to its queue, where a new worker imports it."""
    import signal

    from indicators import imports, runs

    queue, proc = _start_worker(
        "--pool",
        "prefork",
        "--concurrency",
        "1",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    run = ImportRun.objects.create(source="file", table="MM13")
    path = _big_file(tmp_path, range(2018, 2020))
    tasks.import_file.apply_async(args=[str(path)], kwargs={"run_id": run.pk}, queue=queue)
    deadline = time.monotonic() + 60
    while ImportRun.objects.get(pk=run.pk).phase not in ("checking", "writing", "deriving"):
        assert time.monotonic() < deadline, "the import did not start"
        time.sleep(0.05)
    assert runs.resume_dead() == ([], [])  # alive: its heartbeat is fresh
    os.killpg(proc.pid, signal.SIGKILL)  # the worker and its child at once, as a container stop would
    proc.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.RUNNING and run.task["queue"] == queue
    assert runs.resume_dead() == ([], [])  # less than a minute without a heartbeat: not yet given up

    a_minute_on = time.time() + runs.DEAD_AFTER + 1
    imports.reap_stale_runs(now=timezone.now() + dt.timedelta(seconds=runs.DEAD_AFTER + 1))
    run.refresh_from_db()
    assert (run.status, run.phase, run.resumed) == (ImportRun.Status.QUEUED, "resumed", 1)
    _, second = _start_worker("--pool", "solo", queue=queue, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 240
        while ImportRun.objects.get(pk=run.pk).status != ImportRun.Status.SUCCEEDED:
            assert ImportRun.objects.get(pk=run.pk).status != ImportRun.Status.FAILED, run.error
            assert time.monotonic() < deadline, "the import was not run again"
            time.sleep(0.2)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert Observation.objects.filter(is_derived=False).count() == 98 * 24 * 9 * 3
    # The lost message, should Redis hand it out after all, finds the run done; a second loss fails the run.
    assert tasks.import_file.apply(args=[str(path)], kwargs={"run_id": run.pk}).get() == run.pk
    assert runs.resume_dead(a_minute_on) == ([], [])
    ImportRun.objects.filter(pk=run.pk).update(status="running")
    assert runs.resume_dead(a_minute_on + 3600) == ([], [run.pk])


def test_the_reaper_runs_every_minute():
    from indicators import runs, schedule

    (entry,) = [e for e in schedule.NIGHTLY if e[1] == "indicators.tasks.reap_stale_imports"]
    assert entry[2:] == ("*", "*", "*") and runs.DEAD_AFTER + 60 <= 120


@pytest.mark.django_db
def test_runs_without_a_sign_of_life_are_marked_failed_by_the_reaper():
    import datetime as dt

    from django.utils import timezone

    from indicators import imports

    now = timezone.now()
    lost = ImportRun.objects.create(
        source="api_v3",
        table="MM13",
        status="running",
        phase="writing",
        started_at=now - dt.timedelta(hours=2),
        heartbeat_at=now - dt.timedelta(minutes=20),
    )
    queued = ImportRun.objects.create(source="api_v3", table="MM10", created_at=now - dt.timedelta(hours=1))
    alive = ImportRun.objects.create(source="file", status="running", heartbeat_at=now - dt.timedelta(minutes=1))
    done = ImportRun.objects.create(source="file", status="succeeded", heartbeat_at=now - dt.timedelta(days=1))
    assert sorted(imports.reap_stale_runs(now=now)) == sorted([lost.pk, queued.pk])
    lost.refresh_from_db()
    assert lost.status == "failed" and "no sign of life for 15 minutes" in lost.error
    assert ImportRun.objects.get(pk=alive.pk).status == "running"
    assert ImportRun.objects.get(pk=done.pk).status == "succeeded"
