"""The periodic tasks beat runs, created in the database (django-celery-beat) where the admin can change their times.

Each app registers its own (its AppConfig.ready): this lower layer names only the indicators' tasks, never a
higher app's."""

from __future__ import annotations

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
]
_registered: list[tuple[str, str, str, str, str]] = list(NIGHTLY)


def register(*entries: tuple[str, str, str, str, str]) -> None:
    """Add an app's periodic tasks: (name, task, minute, hour, day of week), once however often it is called."""
    for entry in entries:
        if entry not in _registered:
            _registered.append(entry)


def registered() -> list[tuple[str, str, str, str, str]]:
    return list(_registered)


def ensure() -> int:
    """Create the schedules that are missing; edits made in the admin (times, enabled) are kept."""
    created = 0
    for name, task, minute, hour, day_of_week in _registered:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Copenhagen",
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
        created += 1
    return created
