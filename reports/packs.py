"""Release packs: after an import of national figures, a report (PDF and Excel) for every municipality and
jobcentre, built on the reports queue; and, as each area's pack is ready, an e-mail to those who subscribed to it.

The e-mail carries a link, never the file or a figure: the reader logs in and is checked like on every page, and
a subscriber no longer allowed to see the area gets nothing."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from goals.models import ChartSnapshot, GoalSet
from indicators.models import ImportRun
from municipalities import access
from municipalities.models import Area
from reports import building, releases
from reports.links import area_url
from reports.models import Pack, Report, Subscription

log = logging.getLogger(__name__)
PACK_FORMATS = [Report.Format.PDF, Report.Format.XLSX]
KINDS = [Area.Kind.MUNICIPALITY, Area.Kind.JOBCENTRE]


class ChartsNotReady(Exception):
    """The worker has not yet drawn the release's charts; the pack waits for them (the task retries)."""


def charts_ready(release: ImportRun) -> bool:
    return (
        ChartSnapshot.objects.exists()
        and not ChartSnapshot.objects.filter(data_version__lt=release.pk, language="da").exists()
    )


def queue(release: ImportRun) -> bool:
    """Queue the release's pack once per release (a Pack row is the key); whether it was queued now. Built on the
    packs queue, which the worker takes only when nobody waits on the reports queue (settings.CELERY_*)."""
    from reports.tasks import build_pack

    pack, created = Pack.objects.get_or_create(release=release)
    if not created:
        return False

    def send() -> None:
        try:
            # Later than the chart rebuild the same import queued: the pack waits for the charts it draws.
            build_pack.apply_async((release.pk,), queue=settings.PACKS_QUEUE, countdown=30, retry=False)
        except Exception as exc:  # the broker is down: forget the row, so that the next announcement queues it
            log.warning("could not queue the release pack of import %s: %s", release.pk, exc)
            Pack.objects.filter(pk=pack.pk).delete()

    transaction.on_commit(send)
    return True


def build(release_id: int, kinds: list[str] | None = None) -> int:
    """Queue the pack's reports; the number queued. Raises ChartsNotReady while the charts are being rebuilt."""
    release = ImportRun.objects.get(pk=release_id)
    if not releases.is_release(release) or releases.current() != release:
        return 0  # a newer release came first: its own pack follows it
    if not charts_ready(release):
        raise ChartsNotReady(release_id)
    year = GoalSet.objects.current().year
    queued = 0
    for area in Area.objects.filter(kind__in=kinds or KINDS).order_by("kind", "name"):
        for fmt in PACK_FORMATS:
            report = building.request(area, fmt, year, release=release, in_pack=True)
            queued += report.status == Report.Status.QUEUED
    return queued


def after_build(report: Report) -> int:
    """Once both of an area's pack files are built, e-mail its subscribers (once per release)."""
    ready = Report.objects.filter(
        area=report.area, release=report.release, year=report.year, format__in=PACK_FORMATS, status=Report.Status.DONE
    ).count()
    if ready < len(PACK_FORMATS):
        return 0
    return notify(report.area, report.release)


def notify(area: Area, release: ImportRun) -> int:
    sent = 0
    with transaction.atomic():
        due = (
            Subscription.objects.select_for_update(skip_locked=True)
            .filter(area=area)
            .filter(Q(last_sent_release__isnull=True) | Q(last_sent_release_id__lt=release.pk))
            .select_related("user")
        )
        for subscription in due:
            user = subscription.user
            if not user.is_active or not user.email or not access.can_view_area(user, area):
                continue
            send_mail(*_message(area, release), settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
            subscription.last_sent_release = release
            subscription.save(update_fields=["last_sent_release"])
            sent += 1
    return sent


def _message(area: Area, release: ImportRun) -> tuple[str, str]:
    link = settings.SITE_URL + area_url(area)
    demo = " (demodata)" if release.is_demo else ""
    subject = f"Jobmål: ny rapport til beskæftigelsesudvalget for {area.name}{demo}"
    body = (
        f"Der er kommet nye tal i Jobmål, og rapporten til beskæftigelsesudvalget for {area.name} er klar som PDF "
        f"og Excel{demo}.\n\n" + f"Log ind for at hente den:\n{link}\n\n"
        "Du får denne e-mail, fordi du abonnerer på rapporter for området. Du kan afmelde dig på samme side.\n"
        "– Jobmål"
    )
    return subject, body
