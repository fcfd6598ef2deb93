"""Asking for a report, building it in the worker, and the chief's edits of its texts.

A report is kept per area × release × format × goal year: asked for again, the stored file is served, not built
again. A build that lost its worker (killed, restarted) is queued again by the sweep (`resume_stalled`), so a
report asked for is never lost; one that fails three times says why."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from indicators.models import ImportRun
from municipalities import data_version
from municipalities.models import Area
from reports import content, exports, releases
from reports.models import Report, ReportText, ReportTextEdit

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
MAX_RESENDS = 6  # a waiting report sent again after 2, 4, 8, 16, 32 and 64 minutes, then failed
STALLED_SECONDS = 120


class NoRelease(Exception):
    """No figures have been imported yet: there is nothing to report on."""


def request(
    area: Area, fmt: str, year: int, user=None, *, release: ImportRun | None = None, in_pack: bool = False
) -> Report:
    """The report, built or on its way: an existing one is returned as it is; a new or failed one is queued. A
    person's report goes on the reports queue, ahead of the pack's (queue_of); one still waiting in the pack is sent
    there as well when a person asks for it (whichever build comes first does it, the other finds it done)."""
    release = release or releases.current()
    if release is None:
        raise NoRelease
    person = user if user and user.is_authenticated else None
    with transaction.atomic():
        report, created = Report.objects.select_for_update().get_or_create(
            area=area,
            release=release,
            format=fmt,
            year=year,
            defaults={"requested_by": person, "in_pack": in_pack},
        )
        asked_while_waiting = report.status == Report.Status.QUEUED and report.requested_by_id is None and person
        if not created and report.status != Report.Status.FAILED and not asked_while_waiting:
            return report
        if person and report.requested_by_id is None:
            report.requested_by = person
            report.save(update_fields=["requested_by"])
        if not created and report.status == Report.Status.FAILED:
            report.status, report.error, report.progress, report.attempts = Report.Status.QUEUED, "", 0, 0
            report.save(update_fields=["status", "error", "progress", "attempts"])
        transaction.on_commit(lambda: enqueue(report.pk, queue_of(report)))
    return report


def queue_of(report: Report) -> str:
    """Reports a person asked for on the reports queue, the pack's own on the packs queue."""
    return settings.REPORTS_QUEUE if report.requested_by_id or not report.in_pack else settings.PACKS_QUEUE


def enqueue(report_id: int, queue: str) -> bool:
    from reports.tasks import build_report

    try:
        build_report.apply_async((report_id,), queue=queue, retry=False)
    except Exception as exc:  # the broker is down: the sweep queues it once it is back
        log.warning("could not queue report %s: %s", report_id, exc)
        return False
    return True


def waiting(queue: str) -> int | None:
    """How many tasks wait in the broker's queue; None when the broker cannot say."""
    from celery import current_app

    try:
        with current_app.connection_for_read() as connection:
            return connection.default_channel.client.llen(queue)
    except Exception as exc:
        log.warning("could not read the length of queue %s: %s", queue, exc)
        return None


def _step(report: Report, progress: int) -> None:
    report.progress, report.heartbeat_at = progress, timezone.now()
    Report.objects.filter(pk=report.pk).update(progress=progress, heartbeat_at=report.heartbeat_at)


def build(report_id: int) -> Report | None:
    """Build one report and store it. Safe to run twice: a report already built, or being built by a worker that
    is alive, is left alone."""
    with transaction.atomic():
        report = Report.objects.select_for_update(skip_locked=True).filter(pk=report_id).first()
        if report is None or report.status == Report.Status.DONE:
            return report
        report.status, report.started_at, report.heartbeat_at = Report.Status.RUNNING, timezone.now(), timezone.now()
        report.attempts += 1
        report.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
    try:
        gathered = content.gather(report.area, report.release, report.year)
        _step(report, 30)
        filename, content_type, body = exports.build(gathered, report.format)
        _step(report, 90)
    except Exception as exc:
        log.exception("report %s failed", report.pk)
        Report.objects.filter(pk=report.pk).update(status=Report.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.DONE,
        progress=100,
        filename=filename,
        content_type=content_type,
        content=body,
        size=len(body),
        is_demo=gathered.is_demo,
        built_at=timezone.now(),
        heartbeat_at=timezone.now(),
        error="",
    )
    return Report.objects.get(pk=report.pk)


def resume_stalled(older_than_seconds: float = STALLED_SECONDS, now: dt.datetime | None = None) -> int:
    """Queue again what a lost worker or broker left: a build whose worker went away (no sign of life for a while),
    after MAX_ATTEMPTS marked failed with the reason; and a report waiting with no message left for it. A waiting
    report is sent again only when its queue is empty (else its message is most likely there, behind others) and
    then with back-off (2, 4, 8 … minutes), so a long queue is never multiplied by the sweep."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    stalled = (
        Report.objects.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING])
        .exclude(heartbeat_at__gt=cutoff)
        .filter(requested_at__lte=cutoff)
    )
    queued, lengths = 0, {}
    for report in stalled:
        queue = queue_of(report)
        if report.status == Report.Status.RUNNING:
            if report.attempts >= MAX_ATTEMPTS:
                Report.objects.filter(pk=report.pk).update(
                    status=Report.Status.FAILED, error=f"Stopped after {report.attempts} attempts without finishing."
                )
                continue
        else:
            waited = now - (report.heartbeat_at or report.requested_at)
            if waited < dt.timedelta(seconds=older_than_seconds * 2**report.resends):
                continue
            if queue not in lengths:
                lengths[queue] = waiting(queue)
            if lengths[queue] != 0:
                continue  # its message waits in the queue (or the broker cannot say)
            if report.resends >= MAX_RESENDS:
                Report.objects.filter(pk=report.pk).update(
                    status=Report.Status.FAILED, error=f"Not taken by a worker after {report.resends} resends."
                )
                continue
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.QUEUED,
            heartbeat_at=now,
            resends=report.resends + (report.status == Report.Status.QUEUED),
        )
        queued += enqueue(report.pk, queue)
    return queued


def texts_for(area: Area, release: ImportRun, year: int) -> list[tuple[int, str, ReportText | None]]:
    """Each goal's sentence as the report will print it: (goal number, text, the chief's edit or None)."""
    generated = content.generated_texts(area, year)
    edits = {t.goal_number: t for t in ReportText.objects.filter(area=area, release=release, year=year)}
    numbers = sorted(set(generated) | set(edits))
    return [(n, edits[n].text if n in edits else generated.get(n, ""), edits.get(n)) for n in numbers]


@transaction.atomic
def save_texts(area: Area, release: ImportRun, year: int, texts: dict[int, str], user) -> int:
    """The chief's texts (validated by the form): each change is logged with the text before and after, and the
    area's stored reports of this release are built again with them when next asked for."""
    current = {n: text for n, text, _edit in texts_for(area, release, year)}
    changed = 0
    for number, text in texts.items():
        before = current.get(number, "")
        if text == before:
            continue
        ReportText.objects.update_or_create(
            area=area, release=release, year=year, goal_number=number, defaults={"text": text, "updated_by": user}
        )
        ReportTextEdit.objects.create(
            area=area, release=release, year=year, goal_number=number, old_text=before, new_text=text, user=user
        )
        changed += 1
    if changed:
        Report.objects.filter(area=area, release=release, year=year).delete()
        data_version.bump()
    return changed
