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
from django.utils.translation import gettext_lazy as _

from goals.models import Goal, GoalIndicator, GoalSet, Target
from indicators import periods
from indicators.models import Indicator, Observation, headline_q
from indicators.numbers import rounded
from municipalities.models import Area

ON_TRACK, AT_RISK, BEHIND = "on_track", "at_risk", "behind"
STATUS_LABELS = {ON_TRACK: _("On track"), AT_RISK: _("At risk"), BEHIND: _("Behind")}
PEERS = 5  # comparable municipalities shown beside a municipality
BENCHMARK = "Y30R21"
TREND_MONTHS = 24  # the card's trend line
# A card leads with this breakdown's figure, the total beside it: the minister's letter asks for a particular focus on
# women with an immigrant background (goal 2).

# How a difference reads when there is no target: better or worse by the indicator's polarity; up or down for a
# neutral indicator, which is not judged; the same when it is nothing as shown (one decimal).
BETTER, WORSE, SAME, UP, DOWN = "better", "worse", "same", "up", "down"
TONES = {
    ON_TRACK: "good",
    AT_RISK: "warn",
    BEHIND: "bad",
    BETTER: "good",
    WORSE: "bad",
    SAME: "neutral",
    UP: "neutral",
    DOWN: "neutral",
}
STATUS_ICONS = {ON_TRACK: "success", AT_RISK: "warning", BEHIND: "error"}  # DKFDS icons
YEAR_WORDS = {
    BETTER: _("Better than last year"),
    WORSE: _("Worse than last year"),
    SAME: _("Unchanged from last year"),
    UP: _("Higher than last year"),
    DOWN: _("Lower than last year"),
}
COUNTRY_LEVEL_WORDS = {
    BETTER: _("Better than the whole country"),
    WORSE: _("Worse than the whole country"),
    SAME: _("Same as the whole country"),
    UP: _("Above the whole country"),
    DOWN: _("Below the whole country"),
}
COUNTRY_CHANGE_WORDS = {
    BETTER: _("Developing better than the whole country"),
    WORSE: _("Developing worse than the whole country"),
    SAME: _("Developing as the whole country"),
    UP: _("Change above the whole country's"),
    DOWN: _("Change below the whole country's"),
}


def status(value: Decimal | None, target: Decimal | None, change: Decimal | None, polarity: str) -> str | None:
    """On track when the latest figure meets the target; at risk when it does not yet but moved towards it over
    the year; behind otherwise. Polarity says which way is better; a neutral indicator gets no status."""
    if value is None or target is None or polarity == Indicator.Polarity.NEUTRAL:
        return None
    better = 1 if polarity == Indicator.Polarity.HIGHER_BETTER else -1
    if (value - target) * better >= 0:
        return ON_TRACK
    if change is not None and change * better > 0:
        return AT_RISK
    return BEHIND


def _shown(value: Decimal) -> Decimal:
    return rounded(value, 1)  # as the card shows it (goals/templatetags/jobmaal.py)


def direction(delta: Decimal | None, polarity: str) -> str | None:
    """How a difference (now minus a year before, or the area minus the whole country) reads: BETTER or WORSE by the
    polarity, UP or DOWN for a neutral indicator, SAME when it rounds to nothing as shown; None without a figure."""
    if delta is None:
        return None
    if _shown(delta) == 0:
        return SAME
    if polarity == Indicator.Polarity.NEUTRAL:
        return UP if delta > 0 else DOWN
    better = 1 if polarity == Indicator.Polarity.HIGHER_BETTER else -1
    return BETTER if delta * better > 0 else WORSE


@dataclass
class Mark:
    """One status mark on a card: a word, a tone (its colour) and an icon, never the colour alone."""

    key: str
    word: str
    tone: str
    icon: str


def _arrow(delta: Decimal, reading: str) -> str:
    return "minus" if reading == SAME else ("arrow-upward" if delta > 0 else "arrow-downward")


def marks(card: Card) -> list[Mark]:
    """The card's status at a glance: with a target, on track / at risk / behind; without one, the direction
    against a year before and against the whole country (a share's level; a count's change, as counts of areas of
    different size cannot be compared)."""
    if card.status:
        return [Mark(card.status, STATUS_LABELS[card.status], TONES[card.status], STATUS_ICONS[card.status])]
    polarity, out = card.indicator.polarity, []
    if card.change is not None:
        reading = direction(card.change, polarity)
        out.append(Mark(f"year-{reading}", YEAR_WORDS[reading], TONES[reading], _arrow(card.change, reading)))
    if card.is_share and card.value is not None and card.country is not None:
        delta, words = _shown(card.value) - _shown(card.country), COUNTRY_LEVEL_WORDS
    elif not card.is_share and card.change is not None and card.country_change is not None:
        delta, words = _shown(card.change) - _shown(card.country_change), COUNTRY_CHANGE_WORDS
    else:
        return out
    reading = direction(delta, polarity)
    out.append(Mark(f"country-{reading}", words[reading], TONES[reading], _arrow(delta, reading)))
    return out


def change(now: Decimal | None, before: Decimal | None, unit: str) -> Decimal | None:
    """Year-on-year change: percentage points for shares, per cent for counts."""
    if now is None or before is None:
        return None
    if unit == Indicator.Unit.PERCENT:
        return now - before
    return (now - before) / before * 100 if before else None


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


@dataclass
class Peers:
    basis: str  # "benchmark", "dst_group" or "custom" (a group the reader chose)
    area_ids: list[int]
    names: list[str]
    period: str = ""  # the DST group's or the custom group's name


def custom_peers(group: Area) -> Peers:
    """A custom group as the reference: its member municipalities, summed as one line."""
    pairs = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality__memberships__area=group)
        .order_by("name")
        .values_list("id", "name")
    )
    return Peers("custom", [p[0] for p in pairs], [p[1] for p in pairs], group.name)


def headline_links(goal_set: GoalSet) -> list[GoalIndicator]:
    """Each goal's headline indicator: the one marked headline, else its first proxy (goal 3)."""
    links = GoalIndicator.objects.filter(goal__goal_set=goal_set).select_related("goal", "indicator")
    chosen: dict[int, GoalIndicator] = {}
    for link in sorted(links, key=lambda gi: (gi.goal.number, gi.role != GoalIndicator.Role.HEADLINE, gi.order)):
        if link.role in (GoalIndicator.Role.HEADLINE, GoalIndicator.Role.PROXY):
            chosen.setdefault(link.goal_id, link)
    return sorted(chosen.values(), key=lambda gi: gi.goal.number)


def headline_key(indicator: Indicator) -> tuple[str, str]:
    return indicator.headline_key


def benchmark_rows() -> list[tuple[str, int, str, Decimal]]:
    """(municipality code, area id, name, expected share) from the latest benchmark period, ministry-wide."""
    rows = list(
        Observation.objects.filter(
            indicator__code=BENCHMARK, measure="forventet_andel", breakdown="", area__kind=Area.Kind.MUNICIPALITY
        )
        .exclude(value=None)
        .order_by("-period_end", "area_id")
        .values_list("period", "area__municipality_id", "area_id", "area__name", "value")[:98]
    )
    if not rows:
        return []
    latest = rows[0][0]
    return [(code, area_id, name, value) for period, code, area_id, name, value in rows if period == latest]


def peers_for(member_codes: list[str], benchmark: list | None = None, municipality_area: dict | None = None) -> Peers:
    """Comparable municipalities: the ones nearest in expected share in the latest benchmark (Y30R21), else
    the members' DST municipality group."""
    benchmark = benchmark_rows() if benchmark is None else benchmark
    own = [value for code, _, _, value in benchmark if code in member_codes]
    if own:
        centre = sum(own) / len(own)
        others = sorted((r for r in benchmark if r[0] not in member_codes), key=lambda r: (abs(r[3] - centre), r[0]))
        nearest = others[:PEERS]
        return Peers("benchmark", [r[1] for r in nearest], [r[2] for r in nearest])
    group = Area.objects.filter(kind=Area.Kind.DST_GROUP, memberships__municipality_id__in=member_codes).first()
    if group is None:
        return Peers("dst_group", [], [])
    pairs = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality__memberships__area=group)
        .exclude(municipality_id__in=member_codes)
        .order_by("name")
        .values_list("id", "name")
    )
    return Peers("dst_group", [p[0] for p in pairs], [p[1] for p in pairs], group.name)


@dataclass
class Candidate:
    area_id: int
    code: str
    name: str
    expected: Decimal
    distance: Decimal
    chosen: bool


@dataclass
class PeerChoice:
    """How an area's comparable municipalities were chosen, for the page that explains it."""

    peers: Peers
    period: str | None = None  # the benchmark period the expected shares are from
    own: list[tuple[str, Decimal]] = field(default_factory=list)  # (name, expected share) of the area's members
    centre: Decimal | None = None
    candidates: list[Candidate] = field(default_factory=list)  # nearest first: the chosen, then the next ones


def explain_peers(member_codes: list[str], shown: int = PEERS * 2) -> PeerChoice:
    rows = benchmark_rows()
    peers = peers_for(member_codes, rows)
    if peers.basis != "benchmark":
        return PeerChoice(peers)
    period = (
        Observation.objects.filter(indicator__code=BENCHMARK, measure="forventet_andel", breakdown="")
        .order_by("-period_end")
        .values_list("period", flat=True)
        .first()
    )
    own = [(name, value) for code, _, name, value in rows if code in member_codes]
    centre = sum(v for _, v in own) / len(own)
    chosen = set(peers.area_ids)
    others = sorted((r for r in rows if r[0] not in member_codes), key=lambda r: (abs(r[3] - centre), r[0]))
    candidates = [
        Candidate(area_id, code, name, value, abs(value - centre), area_id in chosen)
        for code, area_id, name, value in others[:shown]
    ]
    return PeerChoice(peers, period, sorted(own), centre, candidates)


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
        measure, breakdown = headline_key(indicator)
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
