from celery import shared_task
from django.conf import settings

# Late acknowledgement and rejection on a lost worker: a worker killed mid-build leaves the message to be taken
# again; the sweep (resume_stalled, every minute) catches what the broker lost.


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + 30,
)
def build_report(report_id: int) -> int | None:
    from reports import building

    report = building.build(report_id)
    if report is not None and report.in_pack and report.is_ready:
        from reports import packs

        packs.after_build(report)
    return report.size if report else None


@shared_task(acks_late=True)
def resume_stalled() -> int:
    from reports import building

    return building.resume_stalled()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, soft_time_limit=600, time_limit=660, max_retries=60)
def build_pack(self, release_id: int) -> int:
    """Queues the pack's reports (each is built by build_report); waits for the release's charts first."""
    from reports import packs

    try:
        return packs.build(release_id)
    except packs.ChartsNotReady as exc:
        raise self.retry(countdown=30) from exc
