from django.core.cache import cache

from indicators.models import Observation

HAS_DEMO_KEY = "has-demo"


def demo(request) -> dict:
    """Every page says so when any figure in the store is generated demo data. Asked once per import, not once
    per page: indicators/signals.py forgets the answer when an import finishes."""
    has_demo = cache.get(HAS_DEMO_KEY)
    if has_demo is None:
        has_demo = Observation.objects.filter(is_demo=True).exists()
        cache.set(HAS_DEMO_KEY, has_demo, 3600)
    return {"has_demo": has_demo}
