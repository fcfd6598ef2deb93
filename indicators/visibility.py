"""Which indicators, and so which figures, a user may see: every national indicator; a municipality's own (local)
indicator only when the user may see that municipality. Who may see which municipality is decided in
municipalities/access.py; this turns it into a filter that every list of indicators or observations applies."""

from __future__ import annotations

from django.db.models import Q

from indicators.models import Indicator
from municipalities import access


def indicator_filter(user, path: str = "") -> Q:
    """The indicators `user` may see, as a filter on the indicator reached through `path`: "" on Indicator,
    "indicator__" on Observation or GoalIndicator."""
    municipalities = access.visible_municipalities(user)
    if municipalities is None:
        return Q()
    return Q(**{f"{path}scope": Indicator.Scope.NATIONAL}) | Q(**{f"{path}municipality__in": municipalities})
