"""Committee reports built by a real Celery worker on the reports queue (issue 13): asked for on the page, built
in the worker (charts through its warm chromium), served for download; a build whose worker dies is not lost."""

import subprocess
import time

import psutil
import pytest

from goals import rendering
from indicators import imports
from municipalities.models import Area
from reports import building
from reports.models import Report
from tests.factories import log_in
from tests.integration.test_celery_worker import _start_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(reference_data):
    imports.demo(["MM10", "MM13", "Y08A02"])
    rendering.render([Area.objects.get(kind=Area.Kind.MUNICIPALITY, municipality_id="185")])


def _stop(proc) -> None:
    for child in psutil.Process(proc.pid).children(recursive=True):
        child.kill()
    proc.kill()
    proc.wait(timeout=30)


@pytest.fixture
def report_worker(data, settings):
    """A worker taking the reports queue, in child processes as in production (the child can die)."""
    queue, proc = _start_worker("--pool", "prefork", "--concurrency", "1", stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
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
