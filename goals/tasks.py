from celery import shared_task

from goals import reference


@shared_task(acks_late=True)
def load_reference() -> dict[str, int]:
    """The same work as `manage.py load_reference`, run by the worker."""
    return reference.load_all()
