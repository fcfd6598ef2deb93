from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from municipalities import data_version

# Sent after an import has committed, with import_run and indicator_ids: charts and caches rebuild on it.
import_finished = Signal()


@receiver(import_finished)
def forget_demo_answer(sender, **kwargs):
    from django.core.cache import cache

    from indicators.context_processors import HAS_DEMO_KEY

    cache.delete(HAS_DEMO_KEY)


@receiver(post_save, sender="indicators.ImportRun")
def bump_for_import(sender, instance, **kwargs):
    # Saved as succeeded inside the import's own transaction: the version changes now and again at its commit.
    if instance.status == instance.Status.SUCCEEDED:
        data_version.bump()


@receiver([post_save, post_delete], sender="indicators.Indicator")
def bump_for_indicator(sender, **kwargs):
    data_version.bump()  # an own indicator defined or changed, or a name in the catalogue
