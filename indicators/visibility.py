"""Which indicators, and so which figures, a user may see: every national indicator; a municipality's own (local)
indicator only when the user may see that municipality. Who may see which municipality is decided in
municipalities/access.py; this turns it into a filter that every list of indicators or observations applies."""

from __future__ import annotations

from django.db.models import F, Q

from indicators.models import Indicator
from municipalities import access


def indicator_filter(user, path: str = "") -> Q:
    """The indicators `user` may see, as a filter on the indicator reached through `path`: "" on Indicator,
    "indicator__" on Observation or GoalIndicator."""
    municipalities = access.visible_municipalities(user)
    if municipalities is None:
        return Q()
    return Q(**{f"{path}scope": Indicator.Scope.NATIONAL}) | Q(**{f"{path}municipality__in": municipalities})


def observation_filter(user) -> Q:
    """The figures `user` may see: those of visible indicators, and of an own indicator only its own municipality's
    rows, by the row's area as well as the indicator (issue 20, R11: a neighbour's row stored under it before the
    import refused such rows stays out of sight)."""
    national = Q(indicator__scope=Indicator.Scope.NATIONAL)
    own_rows = Q(indicator__scope=Indicator.Scope.LOCAL, area__municipality_id=F("indicator__municipality_id"))
    return indicator_filter(user, "indicator__") & (national | own_rows)
