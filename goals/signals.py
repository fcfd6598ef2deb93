"""After every import, the charts are rendered again by the worker, so page views never build a chart. And every
change a page shows gives the cached pages a new data version (municipalities/data_version.py)."""

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.signals import import_finished
from municipalities import data_version


def areas_to_render(indicator_ids: list[int]) -> list[int] | None:
    """The areas whose charts an import of these indicators changes: a municipality's own indicators are drawn
    only for its jobcentre and that jobcentre's municipalities (so a chief's upload re-renders two or three areas,
    not all 192); a national indicator is drawn everywhere (None: every area)."""
    from indicators.models import Indicator
    from municipalities.models import Area, Membership

    indicators = list(Indicator.objects.filter(pk__in=indicator_ids))
    if not indicators or any(i.scope != Indicator.Scope.LOCAL for i in indicators):
        return None
    municipalities = {i.municipality_id for i in indicators}
    jobcentres = set(
        Membership.objects.filter(municipality__in=municipalities, area__kind=Area.Kind.JOBCENTRE).values_list(
            "area", flat=True
        )
    )
    municipalities |= set(Membership.objects.filter(area__in=jobcentres).values_list("municipality", flat=True))
    served = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality__in=municipalities).values_list(
        "pk", flat=True
    )
    return sorted(jobcentres | set(served))


@receiver(import_finished)
def rebuild_charts(sender, import_run, indicator_ids, **kwargs):
    if not settings.RENDER_CHARTS_AFTER_IMPORT:
        return
    from goals import rendering
    from municipalities.models import Area

    area_ids = areas_to_render(indicator_ids)
    if area_ids is None:
        rendering.queue(None)
    else:
        # Marked, so a chief who just uploaded sees "opdateres…" rather than the old chart, until it is done.
        rendering.request(list(Area.objects.filter(pk__in=area_ids)))


@receiver([post_save, post_delete], sender="goals.Target")
@receiver([post_save, post_delete], sender="goals.Commentary")
@receiver([post_save, post_delete], sender="goals.Goal")
@receiver([post_save, post_delete], sender="goals.GoalSet")
@receiver([post_save, post_delete], sender="goals.GoalIndicator")
def bump_for_goals(sender, **kwargs):
    data_version.bump()  # what the pages show; chart rebuilds bump in goals/rendering.py (bulk writes send no signal)


@receiver([post_save, post_delete], sender="goals.Goal")
@receiver([post_save, post_delete], sender="goals.GoalIndicator")
def rebuild_for_goal_sets(sender, **kwargs):
    """A goal set edited in the admin (a new year, an indicator added, a specification changed) is drawn by the
    next rebuild, queued once the edit is committed: one rebuild for one save of a page of inlines, not one per row."""
    if not settings.RENDER_CHARTS_AFTER_IMPORT:
        return
    # Django keeps the transaction's on-commit callbacks on the connection; one rebuild queued is enough.
    if any(getattr(call[1], "__name__", "") == "_rebuild_every_area" for call in connection.run_on_commit):
        return
    transaction.on_commit(_rebuild_every_area)


def _rebuild_every_area():
    from goals import rendering

    rendering.queue(None)
