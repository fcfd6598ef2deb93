"""A data release: the newest import of the source's figures (Jobindsats, a file from it, or the demo generator) that
wrote rows. Reports are kept per release, so a report once built is the same whenever it is downloaded again.

A municipality's own figures (entered or uploaded) are not a release: they change one area, and the next report
built for it includes them."""

from __future__ import annotations

from django.db.models import Q

from indicators.models import ImportRun, Observation

RELEASE_SOURCES = [
    Observation.Source.API_V3,
    Observation.Source.API_V2,
    Observation.Source.FILE,
    Observation.Source.DEMO,
]


def releases():
    return ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED, source__in=RELEASE_SOURCES).filter(
        Q(rows_created__gt=0) | Q(rows_updated__gt=0)
    )


def current() -> ImportRun | None:
    return releases().order_by("-pk").first()


def previous(release: ImportRun) -> ImportRun | None:
    return releases().filter(pk__lt=release.pk).order_by("-pk").first()


def is_release(run: ImportRun) -> bool:
    return releases().filter(pk=run.pk).exists()
