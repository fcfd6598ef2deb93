"""A reader's custom group as the reference on a dashboard (`?sammenlign=<group>`): the cards compare with it
(goals.progress.cards) and the trend charts, stored per area after each import, get its line added when the page
is shown. A group is summed as the comparable municipalities are: counts added up, shares as summed numerators
over summed denominators, and a period only where every member has a figure."""

from __future__ import annotations

import copy
from collections import defaultdict

from django.utils.translation import gettext as _

from goals import charts, progress
from goals import peers as peer_groups
from goals.models import ChartSnapshot, GoalIndicator
from indicators.models import Indicator, Observation
from municipalities.models import Area

COLOUR = "#6b2a8c"


def charts_with_peers(goal_set) -> dict[str, Indicator]:
    """The charts that carry the comparable municipalities' line as a line of shares or values (not an index), by
    key, with their indicator: the group's line goes beside it. The goal set says which (GoalIndicator)."""
    links = GoalIndicator.objects.filter(
        goal__goal_set=goal_set, with_peers=True, chart=GoalIndicator.Chart.TREND
    ).select_related("indicator")
    return {link.indicator.code: link.indicator for link in links}


class UnknownGroup(LookupError):
    pass


def chosen(user, code: str | None) -> Area | None:
    """The custom group named in the URL, if the reader may use it; None for none chosen."""
    if not code:
        return None
    group = Area.objects.custom_groups_for(user).filter(code=code).first()
    if group is None:
        raise UnknownGroup(_("There is no group %(code)r of yours to compare with.") % {"code": code})
    return group


def line(indicator: Indicator, group_peers: peer_groups.Peers) -> list[tuple[str, object, float]]:
    """(period code, period start, value) of the group on the indicator's headline figure, oldest first."""
    measure, breakdown = indicator.headline_key
    rows = (
        Observation.objects.for_areas(group_peers.area_ids)
        .filter(indicator=indicator, measure=measure, breakdown=breakdown)
        .values_list("period", "period_start", "area_id", "value", "numerator", "denominator")
    )
    by_period: dict[tuple[str, object], list[progress.Figure]] = defaultdict(list)
    for period, start, _area, value, numerator, denominator in rows:
        by_period[period, start].append(progress.Figure(value, numerator, denominator))
    share = indicator.unit == Indicator.Unit.PERCENT
    out = []
    for (period, start), figures in sorted(by_period.items(), key=lambda item: item[0][1]):
        if len(figures) != len(group_peers.area_ids):
            continue
        value = progress.combine(figures, share)
        if value is not None:
            out.append((period, start, float(value)))
    return out


def add_to(chart: ChartSnapshot, indicator: Indicator, group_peers: peer_groups.Peers) -> ChartSnapshot:
    """The chart with the group's line and data-table column added (a copy: the stored chart is not changed)."""
    points = line(indicator, group_peers)
    chart = copy.copy(chart)
    chart.figure = copy.deepcopy(chart.figure)
    chart.table = copy.deepcopy(chart.table)
    unit = indicator.unit
    suffix = _("pct.") if unit == Indicator.Unit.PERCENT else ""
    chart.figure["data"].append(
        {
            "type": "scatter",
            "mode": "lines",
            "name": group_peers.period,
            "x": [start.isoformat() for _p, start, _v in points],
            "y": [value for _p, _s, value in points],
            "line": {"color": COLOUR, "dash": "dot", "width": 3},
            "hovertemplate": f"%{{y:,.1f}} {suffix}<extra>{group_peers.period}</extra>",
        }
    )
    values = {charts.month(start, period): charts.number(value) for period, start, value in points}
    chart.table["columns"].append(f"{group_peers.period} ({suffix})" if suffix else group_peers.period)
    chart.table["rows"] = [[*row, values.get(row[0], "–")] for row in chart.table["rows"]]
    latest = points[-1] if points else None
    if latest:
        chart.summary += " " + _("Your group %(group)s: %(value)s in %(period)s.") % {
            "group": group_peers.period,
            "value": f"{charts.number(latest[2])} {suffix}".strip(),
            "period": charts.month(latest[1], latest[0]),
        }
    return chart
