"""Redis stopped and started under a running web server and worker. Meanwhile the front page, log-in and the
dashboard keep working from PostgreSQL (sessions are written through to it), a chief's target is saved, and
/healthz names Redis as down. Once Redis is back everything recovers without a restart: the cache fills again,
the worker takes tasks again, and the chart rebuild that could not be queued is done."""

import pytest

from goals.models import ChartRefresh, ChartSnapshot, Target
from indicators.models import Indicator
from municipalities.models import Area, UserRole
from tests import factories
from tests.faults.conftest import Web, Worker, app_env, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]
JOBCENTRE = "/jobcenter/taarnby-dragoer/"
TARGETS = "/jobcenter/taarnby-dragoer/maal/2/maalsaetning/"


def test_pages_log_in_and_saving_survive_a_redis_outage_and_recover_by_themselves(demo_db, private_redis, tmp_path):
    """Over 20 s: a gunicorn and a Celery worker of the test's own are started, Redis is stopped and started under
    them, and the test waits for each to notice and recover by itself."""
    demo_db(["MM13", "Y30R21"], [("jobcentre", "taarnby-dragoer")])
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
    factories.user("chief", UserRole.Role.CHIEF, password="kodeord-til-test", jobcentre=jobcentre)
    factories.user("chair", UserRole.Role.CHAIR, password="kodeord-til-test", municipality_id="185")
    field = f"target_{Indicator.objects.get(code='MM13').pk}"

    env = app_env(private_redis.url)
    web, worker = Web(env, tmp_path / "web.log"), Worker(env, tmp_path / "worker.log")
    try:
        session = web.session()
        assert web.log_in(session, "chief", "kodeord-til-test").status_code == 302
        assert session.get(web.url + JOBCENTRE, timeout=30).status_code == 200
        assert private_redis.client().dbsize() > 0  # sessions, the page's figures, the worker's queue

        private_redis.stop()

        # Every page that does not need Redis still works, from PostgreSQL.
        anonymous = web.session()
        assert anonymous.get(web.url + "/", timeout=30).status_code == 200
        assert anonymous.get(web.url + "/konto/log-ind/", timeout=30).status_code == 200
        page = session.get(web.url + JOBCENTRE, timeout=30)  # the chief's session, read from PostgreSQL
        assert page.status_code == 200 and "Jobcenter Tårnby-Dragør" in page.text and "Log ud" in page.text
        other = web.session()
        assert web.log_in(other, "chair", "kodeord-til-test").status_code == 302  # a new session, in PostgreSQL
        assert other.get(web.url + "/kommune/185/", timeout=30).status_code == 200
        assert web.log_in(web.session(), "chair", "forkert").status_code == 200  # refused, not a server error

        # A chief's target is saved; the chart rebuild cannot be queued, so the page says it is coming.
        saved = web.post_form(session, TARGETS, {field: "47,5", "commentary": ""})
        assert saved.status_code == 302, saved.text[:500]
        assert Target.objects.get(jobcentre=jobcentre).value == 47.5
        assert ChartRefresh.objects.filter(area=jobcentre).exists()
        assert "data-charts-pending" in session.get(web.url + JOBCENTRE + "maal/2/", timeout=30).text

        health = session.get(web.url + "/healthz", timeout=30)
        assert health.status_code == 503
        assert health.json()["checks"]["redis"]["ok"] is False and health.json()["checks"]["postgresql"]["ok"]

        private_redis.start()  # empty, on the same port: what a restarted Redis is

        wait_for(lambda: session.get(web.url + "/healthz", timeout=30).status_code == 200, 30, "/healthz ok again")
        # The cache fills again once each web worker's breaker has closed (a few seconds).
        wait_for(
            lambda: session.get(web.url + JOBCENTRE, timeout=30).ok and private_redis.client().dbsize() > 0,
            30,
            "pages cached in Redis again",
        )
        # The worker reconnects by itself: the next save's rebuild reaches it, and covers the lost one.
        assert web.post_form(session, TARGETS, {field: "48", "commentary": ""}).status_code == 302
        wait_for(lambda: not ChartRefresh.objects.exists(), 120, "the worker rendered the charts after the outage")
        chart = ChartSnapshot.objects.get(area=jobcentre, key="MM13", language="da")
        assert chart.figure["layout"]["shapes"][0]["y0"] == 48
        assert "data-charts-pending" not in session.get(web.url + JOBCENTRE + "maal/2/", timeout=30).text
    finally:
        web.stop()
        worker.stop()
    assert "Traceback" not in web.log.read_text(), web.log.read_text()[-3000:]
