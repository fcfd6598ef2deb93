from indicators.models import Observation


def demo(request) -> dict:
    """Every page says so when any figure in the store is generated demo data."""
    return {"has_demo": Observation.objects.filter(is_demo=True).exists()}
