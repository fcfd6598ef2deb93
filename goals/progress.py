"""Where a jobcentre or municipality stands on each goal: the figures on the goal cards.

Everything is read in a fixed number of queries, whatever the amount of data, and with plain Python (no pandas):
a page view must stay cheap. Charts are not built here; they are rendered after each import (charts.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from goals.models import Goal, GoalIndicator, GoalSet, Target
from goals.peers import Peers, custom_peers, peers_for
from goals.status import STATUS_LABELS, Mark, change, marks, status
from indicators import periods
from indicators.models import Indicator, Observation, headline_q
from municipalities.models import Area

TREND_MONTHS = 24  # the card's trend line


@dataclass
class Figure:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    status: str = ""
    is_demo: bool = False
    retrieved_at: object = None
    source: str = ""


@dataclass
class Card:
    goal: Goal
    indicator: Indicator
    role: str
    measure: str
    breakdown: str
    period: str | None = None
    value: Decimal | None = None
    change: Decimal | None = None
    country: Decimal | None = None
    country_change: Decimal | None = None
    peers: Decimal | None = None
    peers_change: Decimal | None = None
    target: Target | None = None
    status: str | None = None
    flags: list[str] = field(default_factory=list)
    is_demo: bool = False
    retrieved_at: object = None
    source: str = ""
    members: list[tuple[str, Decimal | None, Decimal | None]] = field(default_factory=list)
    lead_label: str = ""  # the breakdown the card leads with (GoalIndicator.lead_breakdown), its figure and change
    lead_value: Decimal | None = None
    lead_change: Decimal | None = None
    trend: list[tuple[str, dt.date, Decimal]] = field(default_factory=list)  # (period, start, value), TREND_MONTHS
    carried: object | None = None  # the goal it continues from the year before (goals.continuity), set by the page

    @property
    def is_share(self) -> bool:
        return self.indicator.unit == Indicator.Unit.PERCENT

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, "")

    @property
    def marks(self) -> list[Mark]:
        return marks(self)

    @property
    def trend_months(self) -> int:
        return TREND_MONTHS


def headline_links(goal_set: GoalSet) -> list[GoalIndicator]:
    """Each goal's headline indicator: the one marked headline, else its first proxy (goal 3)."""
    links = GoalIndicator.objects.filter(goal__goal_set=goal_set).select_related("goal", "indicator")
    chosen: dict[int, GoalIndicator] = {}
    for link in sorted(links, key=lambda gi: (gi.goal.number, gi.role != GoalIndicator.Role.HEADLINE, gi.order)):
        if link.role in (GoalIndicator.Role.HEADLINE, GoalIndicator.Role.PROXY):
            chosen.setdefault(link.goal_id, link)
    return sorted(chosen.values(), key=lambda gi: gi.goal.number)


def combine(figures: list[Figure], is_share: bool) -> Decimal | None:
    """A group's figure from its members': summed counts, or summed numerators over summed denominators."""
    if not figures or any(f.value is None for f in figures):
        return None
    if is_share:
        if any(f.numerator is None or f.denominator is None for f in figures):
            return None
        den = sum(f.denominator for f in figures)
        return sum(f.numerator for f in figures) / den * 100 if den else None
    return sum(f.value for f in figures)


def cards(
    area: Area, member_areas: list[Area], jobcentre: Area | None, year: int = 2020, reference: Area | None = None
) -> tuple[list[Card], Peers]:
    """The goal cards for an area (a municipality or a jobcentre) with its members shown apart, compared with the
    comparable municipalities or, given `reference`, with that custom group."""
    goal_set = GoalSet.objects.filter(year=year).first()
    if goal_set is None:
        return [], Peers("dst_group", [], [])
    links = headline_links(goal_set)
    country = Area.objects.get(kind=Area.Kind.COUNTRY)
    member_codes = [m.municipality_id for m in member_areas if m.municipality_id] or [area.municipality_id]
    peers = custom_peers(reference) if reference is not None else peers_for(member_codes)
    shown = {area.pk, country.pk, *(m.pk for m in member_areas)}
    keys = Q()
    leads: dict[int, str] = {}  # indicator id: the breakdown its card leads with
    for link in links:
        keys |= headline_q(link.indicator)
        if link.lead_breakdown:
            leads[link.indicator.pk] = link.lead_breakdown
            keys |= headline_q(link.indicator, breakdown=link.lead_breakdown) & Q(area_id=area.pk)
    series: dict[tuple[int, int], dict[str, Figure]] = defaultdict(dict)
    lead_series: dict[int, dict[str, Figure]] = defaultdict(dict)
    rows = Observation.objects.filter(keys, area_id__in=shown | set(peers.area_ids)).values_list(
        "indicator_id",
        "area_id",
        "breakdown",
        "period",
        "value",
        "numerator",
        "denominator",
        "status",
        "is_demo",
        "retrieved_at",
        "source",
    )
    for indicator_id, area_id, breakdown, period, *rest in rows:
        if breakdown and breakdown == leads.get(indicator_id):
            lead_series[indicator_id][period] = Figure(*rest)
        else:
            series[indicator_id, area_id][period] = Figure(*rest)
    targets = (
        {
            t.indicator_id: t
            for t in Target.objects.filter(jobcentre=jobcentre, year=year, indicator__in=[gi.indicator for gi in links])
        }
        if jobcentre
        else {}
    )

    out = []
    for link in links:
        indicator = link.indicator
        measure, breakdown = indicator.headline_key
        own = series.get((indicator.pk, area.pk), {})
        with_value = sorted((p for p, f in own.items() if f.value is not None), key=lambda p: periods.parse(p).start)
        card = Card(goal=link.goal, indicator=indicator, role=link.role, measure=measure, breakdown=breakdown)
        card.target = targets.get(indicator.pk)
        if with_value:
            latest = with_value[-1]
            year_ago = periods.parse(latest).shifted_years(-1)
            figure = own[latest]
            card.period, card.value = latest, figure.value
            card.is_demo, card.retrieved_at, card.source = figure.is_demo, figure.retrieved_at, figure.source
            before = own.get(year_ago)
            card.change = change(figure.value, before.value if before else None, indicator.unit)
            national = series.get((indicator.pk, country.pk), {})
            now_c, before_c = national.get(latest), national.get(year_ago)
            card.country = now_c.value if now_c else None
            card.country_change = change(card.country, before_c.value if before_c else None, indicator.unit)
            share = indicator.unit == Indicator.Unit.PERCENT

            def peer_value(period: str, share: bool = share, indicator: Indicator = indicator) -> Decimal | None:
                figures = [series.get((indicator.pk, a), {}).get(period) for a in peers.area_ids]
                return combine([f for f in figures if f is not None], share) if all(figures) else None

            card.peers = peer_value(latest)
            card.peers_change = change(card.peers, peer_value(year_ago), indicator.unit)
            card.status = status(
                card.value, card.target.value if card.target else None, card.change, indicator.polarity
            )
            card.flags = _flags(figure, own)
            start = periods.parse(latest).start
            since = start.replace(year=start.year - TREND_MONTHS // 12)
            card.trend = [
                (p, s, own[p].value) for p, s in ((p, periods.parse(p).start) for p in with_value) if s > since
            ]
            if indicator.pk in leads:
                lead_now, lead_before = lead_series[indicator.pk].get(latest), lead_series[indicator.pk].get(year_ago)
                card.lead_label = link.lead_label
                card.lead_value = lead_now.value if lead_now else None
                card.lead_change = change(card.lead_value, lead_before.value if lead_before else None, indicator.unit)
        year_ago = periods.parse(card.period).shifted_years(-1) if card.period else None
        for member in member_areas:
            member_series = series.get((indicator.pk, member.pk), {})
            figure, before = member_series.get(card.period), member_series.get(year_ago)
            value = figure.value if figure else None
            card.members.append((member.name, value, change(value, before.value if before else None, indicator.unit)))
        out.append(card)
    return out, peers


def _flags(figure: Figure, own: dict[str, Figure]) -> list[str]:
    flags = []
    if figure.status == Observation.Status.PROVISIONAL:
        flags.append("provisional")
    if any(f.status == Observation.Status.REVISED for f in own.values()):
        flags.append("revised")
    if any(f.status == Observation.Status.SUPPRESSED for f in own.values()):
        flags.append("suppressed")
    if figure.is_demo:
        flags.append("demo")
    return flags


def version(area: Area, jobcentre: Area | None) -> tuple:
    """What a page's figures depend on, in one query: the database, the newest import, the area's newest chart,
    and the jobcentre's newest target, commentary and logged change. Asked only while Redis cannot say the data
    version (municipalities/data_version.py), which needs no query."""
    from django.db import connection

    from goals.models import Change, ChartSnapshot, Commentary
    from indicators.models import ImportRun

    # The database's own id comes first: a database dropped and created again under the same name restarts its
    # ids, and must not be served the old database's pages from the cache.
    sql = f"""SELECT (SELECT oid FROM pg_database WHERE datname = current_database()),
                     (SELECT max(id) FROM {ImportRun._meta.db_table} WHERE status = 'succeeded'),
                     (SELECT max(id) FROM {ChartSnapshot._meta.db_table} WHERE area_id = %(area)s),
                     (SELECT max(updated_at) FROM {Target._meta.db_table} WHERE jobcentre_id = %(jobcentre)s),
                     (SELECT max(updated_at) FROM {Commentary._meta.db_table} WHERE jobcentre_id = %(jobcentre)s),
                     (SELECT max(id) FROM {Change._meta.db_table} WHERE jobcentre_id = %(jobcentre)s)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"area": area.pk, "jobcentre": jobcentre.pk if jobcentre else None})
        row = cursor.fetchone()
    return tuple(v.timestamp() if hasattr(v, "timestamp") else v for v in row)
