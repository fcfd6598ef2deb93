"""Which of a year's goals continue from the year before, and how the area did on them then: the figure at the end
of that year and whether its local target for that year was met (the final status, shown on this year's card).

A goal continues when its headline indicator was a headline indicator of the year before (the goal's wording may
change from one letter to the next; what is measured is what a chief follows from year to year).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from goals import progress
from goals.models import Goal, GoalSet, Target
from indicators.models import Indicator, Observation
from municipalities.models import Area

MET, NOT_MET = "met", "not_met"
FINAL_LABELS = {MET: _("met"), NOT_MET: _("not met")}


@dataclass
class Carried:
    year: int  # the year before
    goal: Goal  # the goal it continues
    indicator: Indicator
    period: str | None = None  # the year's last period with a figure
    value: Decimal | None = None
    target: Target | None = None

    @property
    def final(self) -> str | None:
        """Met or not met at the end of the year; None without a figure, without a target or for an indicator that
        is not judged (neutral)."""
        if self.value is None or self.target is None or self.indicator.polarity == Indicator.Polarity.NEUTRAL:
            return None
        better = 1 if self.indicator.polarity == Indicator.Polarity.HIGHER_BETTER else -1
        return MET if (self.value - self.target.value) * better >= 0 else NOT_MET

    @property
    def final_label(self) -> str:
        return FINAL_LABELS.get(self.final, "")


def from_year_before(area: Area, goal_set: GoalSet, jobcentre: Area | None) -> dict[int, Carried]:
    """This year's goal number → what it continues. Without `jobcentre` (a reader who may not see the jobcentre's
    work), no targets: the figure at the end of the year only."""
    before = GoalSet.objects.filter(year=goal_set.year - 1).first()
    if before is None:
        return {}
    now = {link.indicator_id: link.goal for link in progress.headline_links(goal_set)}
    carried = {
        now[link.indicator_id].number: Carried(before.year, link.goal, link.indicator)
        for link in progress.headline_links(before)
        if link.indicator_id in now
    }
    if not carried:
        return {}
    indicators = {c.indicator.pk: c for c in carried.values()}
    year_end = dt.date(before.year, 12, 31)
    figures = (
        Observation.objects.headlines(c.indicator for c in carried.values())
        .filter(area=area, period_end__gt=year_end.replace(year=before.year - 1), period_end__lte=year_end)
        .exclude(value=None)
        .newest_per_series()
        .values_list("indicator_id", "period", "value")
    )
    for indicator_id, period, value in figures:
        indicators[indicator_id].period, indicators[indicator_id].value = period, value
    if jobcentre is not None:
        for target in Target.objects.filter(jobcentre=jobcentre, year=before.year, indicator_id__in=indicators):
            indicators[target.indicator_id].target = target
    return carried
