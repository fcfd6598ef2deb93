"""PostgreSQL stopped and started under a running web server and worker, in the middle of an import. Meanwhile
pages answer a clear Danish 503 (not a 500) and /healthz names the database; once it is back the same web
server and session work again without a restart, the interrupted import wrote nothing and is recorded as failed,
and the next import writes everything."""

import subprocess
import sys
import uuid

import psycopg2
import pytest
from django.conf import settings

from config import services
from indicators.tasks import load_demo_data
from tests.faults.conftest import ROOT, Web, Worker, app_env, database_url, free_port, wait_for

pytestmark = pytest.mark.faults

SETUP = """
from indicators.models import ImportRun
from municipalities.models import Area, UserRole
from tests import factories
jobcentre = Area.objects.get(code="taarnby-dragoer")
factories.user("chief", UserRole.Role.CHIEF, password="kodeord-til-test", jobcentre=jobcentre)
runs = [ImportRun.objects.create(source="demo", is_demo=True).pk for _ in range(2)]
print("runs", *runs)
"""


def _manage(env, *args) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=600
    ).stdout


def test_pages_answer_503_while_postgresql_restarts_and_an_interrupted_import_writes_nothing(tmp_path):
    """Over 20 s: a PostgreSQL, gunicorn and Celery worker of the test's own; the whole demo import (about 570,000
    rows) runs twice in the worker, once cut off by the database stopping and once to the end."""
    pgdata = tmp_path / "pg"
    db = services.ensure_postgres(pgdata, free_port())
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    env = app_env(settings.REDIS_URL, database_url(db), CACHE_KEY_PREFIX=queue)
    web = worker = None

    def query(sql, *params):
        conn = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
        try:
            with conn, conn.cursor() as cur:
                cur.execute(sql, params)
                return cur.fetchall()
        finally:
            conn.close()

    try:
        _manage(env, "migrate", "-v0")
        _manage(env, "load_reference")
        interrupted, second = map(int, _manage(env, "shell", "-c", SETUP).split("runs")[-1].split())
        web = Web(env, tmp_path / "web.log")
        worker = Worker(env, tmp_path / "worker.log", queue=queue)
        session = web.session()
        assert web.log_in(session, "chief", "kodeord-til-test").status_code == 302
        assert session.get(web.url + "/jobcenter/taarnby-dragoer/", timeout=30).status_code == 200

        # The demo import (about 260,000 rows) is under way in the worker when the database stops.
        load_demo_data.apply_async(args=[interrupted], queue=queue)
        wait_for(
            lambda: (
                query("SELECT phase FROM indicators_importrun WHERE id = %s", interrupted)[0][0]
                in ("checking", "writing", "deriving")
            ),
            300,
            "the import reached the database",
        )
        services.stop_postgres(pgdata)

        # A page that needs the database says why. (One already cached may still be served, unless the running
        # import has replaced the data version meanwhile: not asserted either way.)
        page = session.get(web.url + "/jobcenter/taarnby-dragoer/maal/1/", timeout=30)
        assert page.status_code == 503 and "Databasen svarer ikke lige nu." in page.text
        assert page.headers["Retry-After"] == "30" and "Traceback" not in page.text
        front = web.session().get(web.url + "/", timeout=30)
        assert front.status_code == 503 and "Jobmål er midlertidigt utilgængelig" in front.text
        health = session.get(web.url + "/healthz", timeout=30)
        assert health.status_code == 503 and health.json()["checks"]["postgresql"]["ok"] is False

        # The worker meets the closed connection while the database is away: its task fails (it cannot even record
        # why; the reaper below does).
        wait_for(
            lambda: "raised unexpected" in worker.log.read_text(errors="replace"),
            120,
            "the worker's import failed on the closed connection",
            interval=0.1,
        )
        services.ensure_postgres(pgdata, int(db["PORT"]))

        # The same web server and the same session, without a restart.
        wait_for(lambda: session.get(web.url + "/healthz", timeout=30).status_code == 200, 30, "/healthz ok")
        page = session.get(web.url + "/jobcenter/taarnby-dragoer/maal/1/", timeout=30)
        assert page.status_code == 200 and "Log ud" in page.text

        # The interrupted import wrote nothing; its run is failed (by the worker, or by the reaper that runs every
        # five minutes and is asked here at once).
        _manage(
            env,
            "shell",
            "-c",
            "import datetime as dt; from indicators.imports import reap_stale_runs; "
            "reap_stale_runs(stale_after=dt.timedelta(0))",
        )
        status, rows = query("SELECT status, rows_created FROM indicators_importrun WHERE id = %s", interrupted)[0]
        assert status == "failed"
        assert query("SELECT count(*) FROM indicators_observation")[0][0] == 0

        # The worker reconnects by itself; the next import writes everything.
        assert load_demo_data.apply_async(args=[second], queue=queue).get(timeout=600) == second
        status, created = query("SELECT status, rows_created FROM indicators_importrun WHERE id = %s", second)[0]
        assert status == "succeeded" and created > 250_000
        assert query("SELECT count(*) FROM indicators_observation WHERE NOT is_derived")[0][0] == created
    finally:
        for process in (web, worker):
            if process is not None:
                process.stop()
        services.stop_postgres(pgdata)
    assert "Traceback" not in web.log.read_text(), web.log.read_text()[-3000:]
