from django_celery_beat.models import CrontabSchedule, PeriodicTask

NIGHTLY = [
    # (name, task, minute, hour, day of week)
    ("Jobindsats: nightly import of every table", "indicators.tasks.import_all", "30", "2", "*"),
    ("Jobindsats: weekly catalogue sync", "indicators.tasks.sync_catalogue", "0", "2", "1"),
    # Every minute: a run whose worker is gone is found within two (indicators/runs.py).
    (
        "Import runs: send again, or mark failed, those whose worker is gone",
        "indicators.tasks.reap_stale_imports",
        "*",
        "*",
        "*",
    ),
    ("Worker heartbeat for /healthz", "indicators.tasks.heartbeat", "*", "*", "*"),
    ("Charts: render those whose queued rebuild never came", "goals.tasks.render_pending", "*", "*", "*"),
    ("Reports: queue again those whose worker went away", "reports.tasks.resume_stalled", "*", "*", "*"),
]


def ensure() -> int:
    """Create the schedules that are missing; edits made in the admin (times, enabled) are kept."""
    created = 0
    for name, task, minute, hour, day_of_week in NIGHTLY:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week=day_of_week, day_of_month="*", month_of_year="*",
            timezone="Europe/Copenhagen",
        )  # fmt: skip
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
        created += 1
    return created
