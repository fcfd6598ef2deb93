from celery import shared_task

from goals import reference


@shared_task(acks_late=True)
def load_reference() -> dict[str, int]:
    """The same work as `manage.py load_reference`, run by the worker."""
    return reference.load_all()


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1300)
def render_charts(area_ids: list[int] | None = None) -> int:
    """Render and store the charts of the given areas (all jobcentres and municipalities by default)."""
    from goals import rendering
    from municipalities.models import Area

    areas = list(Area.objects.filter(pk__in=area_ids)) if area_ids is not None else None
    return rendering.render(areas)


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1300)
def render_pending(older_than_seconds: float = 60) -> int:
    """Every minute (beat): charts whose rebuild was asked for but never came, e.g. while Redis was down."""
    from goals import rendering

    return rendering.render_pending(older_than_seconds)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660)
def import_upload(self, run_id: int) -> int | None:
    """An own-indicator file too large (or a workbook) to be parsed in the web request."""
    from goals import local_indicators
    from indicators import runs

    if runs.finished(run_id):
        return run_id
    with runs.alive(self, run_id, run_id=run_id):
        return local_indicators.process_upload(run_id)
