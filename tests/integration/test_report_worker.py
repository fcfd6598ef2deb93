"""Committee reports built by a real Celery worker on the reports queue (issue 13): asked for on the page, built
in the worker (charts through its warm chromium), served for download; a build whose worker dies is not lost."""

import subprocess
import time

import psutil
import pytest

from municipalities.models import Area
from reports import building
from reports.models import Report
from tests import factories
from tests.factories import log_in
from tests.integration.test_celery_worker import _start_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(demo_db):
    """Three indicators' demo figures and Tårnby's charts, imported and drawn once per process (a copy per test)."""
    demo_db(["MM10", "MM13", "Y08A02"], [("municipality", "185")])


def _stop(proc) -> None:
    for child in psutil.Process(proc.pid).children(recursive=True):
        child.kill()
    proc.kill()
    proc.wait(timeout=30)


@pytest.fixture
def report_worker(data, settings):
    """A worker taking the reports queue, in child processes as in production (the child can die)."""
    queue, proc = _start_worker(
        "--pool", "prefork", "--concurrency", "1", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    settings.REPORTS_QUEUE = queue
    yield queue, proc
    _stop(proc)


def _wait(report_id: int, *statuses: str, seconds: float = 180) -> Report:
    deadline = time.monotonic() + seconds
    while (report := Report.objects.defer("content").get(pk=report_id)).status not in statuses:
        assert time.monotonic() < deadline, f"report {report_id} still {report.status}"
        time.sleep(0.2)
    return report


def test_a_chair_asks_for_a_pdf_the_worker_builds_it_and_it_is_downloaded(report_worker, client):
    chair = log_in(client, "chair", "chair", municipality_id="185")
    response = client.post("/kommune/185/rapporter/", {"format": "pdf"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rapport/{report.pk}/"
    status = client.get(f"/rapport/{report.pk}/status/").json()
    assert status["status"] in ("queued", "running", "done") and status["download"] in (
        None,
        f"/rapport/{report.pk}/hent/",
    )
    report = _wait(report.pk, "done", "failed")
    assert report.status == "done", report.error
    assert report.requested_by == chair and report.size > 20_000
    download = client.get(f"/rapport/{report.pk}/hent/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert client.get(f"/rapport/{report.pk}/status/").json()["download"] == f"/rapport/{report.pk}/hent/"


def test_a_build_whose_worker_process_dies_is_taken_again_not_lost(report_worker):
    queue, proc = report_worker
    report = building.request(Area.objects.get(kind=Area.Kind.MUNICIPALITY, municipality_id="185"), "pdf", 2020)
    _wait(report.pk, "running")
    (child,) = psutil.Process(proc.pid).children()
    for process in child.children(recursive=True):  # its chromium too
        process.kill()
    child.kill()  # as the OOM killer would
    report = _wait(report.pk, "done", "failed")
    assert report.status == "done" and report.attempts == 2  # handed back to the queue and built by a new child
    assert proc.poll() is None


def test_a_build_lost_with_its_whole_worker_is_queued_again_by_the_sweep(data, settings):
    queue, proc = _start_worker("--pool", "solo", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    settings.REPORTS_QUEUE = queue
    report = building.request(Area.objects.get(kind=Area.Kind.MUNICIPALITY, municipality_id="185"), "pdf", 2020)
    _wait(report.pk, "running")
    _stop(proc)  # the whole worker, mid-build (a PDF takes seconds: the charts are drawn first)
    assert Report.objects.get(pk=report.pk).status == "running"
    Report.objects.filter(pk=report.pk).update(heartbeat_at=None)
    queue, proc = _start_worker("--pool", "solo", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    settings.REPORTS_QUEUE = queue
    try:
        Report.objects.filter(pk=report.pk).update(requested_at=report.requested_at.replace(year=2020))
        building.resume_stalled(older_than_seconds=0)
        report = _wait(report.pk, "done", "failed")
        assert report.status == "done" and bytes(report.content)[:4] == b"%PDF" and report.attempts == 2
    finally:
        _stop(proc)


def _broker():
    from config.celery import app

    return app.connection_for_write()


def _length(queue: str) -> int:
    with _broker() as connection:
        return connection.default_channel.client.llen(queue)


def _drop(queue: str) -> None:
    """The broker loses what waits in the queue (as a Redis without persistence does when it restarts)."""
    with _broker() as connection:
        connection.default_channel.client.delete(queue)


def test_a_release_pack_is_queued_once_however_often_the_import_is_announced(data, settings):
    """Issue 20: after a demo import build_pack was received three times."""
    import uuid

    from indicators.models import ImportRun
    from indicators.signals import import_finished

    settings.BUILD_REPORT_PACKS, settings.PACKS_QUEUE = True, f"test-packs-{uuid.uuid4().hex[:8]}"
    release = ImportRun.objects.filter(status="succeeded").latest("pk")
    try:
        for _ in range(3):
            import_finished.send(sender=ImportRun, import_run=release, indicator_ids=[])
        assert _length(settings.PACKS_QUEUE) == 1
    finally:
        _drop(settings.PACKS_QUEUE)


def test_waiting_reports_are_sent_again_only_when_lost_and_then_with_back_off(data, settings):
    """Issue 20: waiting builds were sent again every 2 minutes (the queue grew 369 → 693 → 1,201). A report waits
    behind others without being sent again; one whose message the broker lost is sent again after 2, then 4 …
    minutes. The sweep is run on a controlled clock."""
    import datetime as dt
    import uuid

    from django.utils import timezone

    settings.PACKS_QUEUE = queue = f"test-packs-{uuid.uuid4().hex[:8]}"
    areas = Area.objects.filter(kind=Area.Kind.MUNICIPALITY).order_by("name")[:30]
    try:
        reports = [building.request(area, "csv", 2020, in_pack=True) for area in areas]
        assert _length(queue) == 30
        now = timezone.now()
        assert building.resume_stalled(now=now + dt.timedelta(minutes=10)) == 0  # waiting, not lost
        assert _length(queue) == 30

        _drop(queue)
        assert building.resume_stalled(now=now + dt.timedelta(minutes=10)) == 30
        assert _length(queue) == 30 and {r.resends for r in Report.objects.filter(pk__in=[r.pk for r in reports])} == {
            1
        }
        _drop(queue)
        assert building.resume_stalled(now=now + dt.timedelta(minutes=13)) == 0  # 3 of the 4 minutes now
        assert building.resume_stalled(now=now + dt.timedelta(minutes=14, seconds=1)) == 30
        assert _length(queue) == 30
    finally:
        _drop(queue)


def test_a_report_a_person_asks_for_is_built_before_the_waiting_pack(data, settings, monkeypatch):
    """Issue 20: a chair's PDF waited 190 s, a CSV 377 s, behind the pack on one queue. The pack is queued on its
    own queue, which the worker takes after the reports people ask for: a chair's report waits for the build that
    is running, not for the pack, also when it is itself waiting in the pack (Tårnby comes late in it). The pack is
    of CSV files here, to be quick; its order and queues are the real ones."""
    import uuid

    from reports import packs, releases

    name = f"test-{uuid.uuid4().hex[:8]}"
    settings.REPORTS_QUEUE, settings.PACKS_QUEUE = f"{name}-reports", f"{name}-packs"
    monkeypatch.setattr(packs, "PACK_FORMATS", [Report.Format.CSV])
    queued = packs.build(releases.current().pk, kinds=[Area.Kind.MUNICIPALITY])
    assert queued == 98 and _length(settings.PACKS_QUEUE) == 98
    taarnby = Area.objects.get(kind=Area.Kind.MUNICIPALITY, municipality_id="185")
    pack = Report.objects.filter(in_pack=True).exclude(area=taarnby)
    _, proc = _start_worker(
        "--pool",
        "solo",
        queue=f"{settings.REPORTS_QUEUE},{settings.PACKS_QUEUE}",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(pack.order_by("area__name").first().pk, "done")
        mine = building.request(taarnby, "csv", 2020, factories.user("formand", "chair", municipality_id="185"))
        assert mine.in_pack and mine.status == "queued"  # the pack's own, now also on the reports queue
        mine = _wait(mine.pk, "done")
        built_before = pack.filter(status="done", built_at__lt=mine.built_at).count()
        assert built_before < 20 and pack.exclude(status="done").count() > 50
    finally:
        _stop(proc)
        _drop(settings.PACKS_QUEUE)
