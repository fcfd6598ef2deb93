"""After every import, the charts are rendered again by the worker, so page views never build a chart."""

from django.conf import settings
from django.dispatch import receiver

from indicators.signals import import_finished


@receiver(import_finished)
def rebuild_charts(sender, import_run, indicator_ids, **kwargs):
    if not settings.RENDER_CHARTS_AFTER_IMPORT:
        return
    from goals.tasks import render_charts

    render_charts.delay()
