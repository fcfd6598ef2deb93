"""Reports follow the data: a chief's changed target or commentary makes the area's stored reports of the current
release stale, and an import of national figures builds the release pack (reports.packs)."""

import logging

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.signals import import_finished

log = logging.getLogger(__name__)


@receiver(import_finished)
def build_release_pack(sender, import_run, indicator_ids, **kwargs):
    if not settings.BUILD_REPORT_PACKS:
        return
    from reports import packs, releases

    if not releases.is_release(import_run):
        return  # a municipality's own figures: no new release
    packs.queue(import_run)


@receiver([post_save, post_delete], sender="goals.Target")
@receiver([post_save, post_delete], sender="goals.Commentary")
def forget_stale_reports(sender, instance, **kwargs):
    """A chief's new target or commentary: the current release's reports of the jobcentre and its municipalities
    are built again with it when next asked for (a report tells the committee the targets as they stand)."""
    from municipalities.models import Area
    from reports import releases
    from reports.models import Report

    release = releases.current()
    if release is None:
        return
    jobcentre = instance.jobcentre
    codes = jobcentre.members_on().values_list("code", flat=True)
    areas = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality_id__in=codes)
    Report.objects.filter(release=release, area__in=[jobcentre, *areas]).exclude(
        status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
    ).delete()
