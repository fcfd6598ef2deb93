from django.dispatch import Signal, receiver

# Sent after an import has committed, with import_run and indicator_ids: charts and caches rebuild on it.
import_finished = Signal()


@receiver(import_finished)
def forget_demo_answer(sender, **kwargs):
    from django.core.cache import cache

    from indicators.context_processors import HAS_DEMO_KEY

    cache.delete(HAS_DEMO_KEY)
