from django.db import transaction

from goals import catalogue as goal_catalogue
from indicators import catalogue as indicator_catalogue
from indicators import schedule
from municipalities import reference as areas


@transaction.atomic
def load_all() -> dict[str, int]:
    """Load areas, the indicator catalogue and the goal sets in one transaction; return counts of what exists."""
    counts = areas.load()
    counts["indicators_created"] = indicator_catalogue.load()
    counts["goal_sets_created"] = int(goal_catalogue.load())
    counts["schedules_created"] = schedule.ensure()
    return counts
