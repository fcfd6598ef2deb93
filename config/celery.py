import os
import sys

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


# Worker and beat send import_modules before they touch the broker or the database; a process that merely imports
# this module (every one that imports settings does, through config/__init__.py) starts nothing. Connected before
# the app exists, so it runs ahead of Celery's Django fixup.
@signals.import_modules.connect
def _start_embedded_servers(**_kwargs) -> None:
    from config import services  # here, not above: `python -m config.services` must not find itself imported

    services.start_embedded()


app = Celery("jobmaal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def worker_command(
    *options: str, queues: str | None = None, hostname: str | None = None, loglevel: str = "INFO", alone: bool = False
) -> list[str]:
    """The command line of a worker of this app, for `make run`, the tests and the benchmarks: `queues` comma-separated
    (None: the default queue), `hostname` the node's name before the @, `alone` for a worker that asks no other
    worker anything (no mingle, no gossip), so it starts at once."""
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", loglevel, *options]
    if queues:
        command += ["-Q", queues]
    if hostname:
        command += ["--hostname", f"{hostname}@%h"]
    if alone:
        command += ["--without-mingle", "--without-gossip"]
    return command
