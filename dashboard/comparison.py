"""All municipalities (or jobcentres, regions, RAR areas) side by side on one figure: the ministry's comparison.

One indicator, period and breakdown; its headline measure by default. Every area of the level is ranked (rank 1 is
the best by the indicator's polarity, ties share a rank, indicators/ranking.py) before any filter, so a filtered
table still shows each area's place among all of them. The whole country is the reference row. The number of
queries does not depend on the filter or the sort.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from indicators import periods as period_codes
from indicators import ranking
from indicators.breakdowns import in_words
from indicators.models import Indicator, Observation, headline_q
from municipalities.models import Area, Membership, danish_sort_key

# URL words (Danish, as the rest of the URLs) → area kinds.
LEVELS = {
    "kommuner": (Area.Kind.MUNICIPALITY, _("Municipalities")),
    "jobcentre": (Area.Kind.JOBCENTRE, _("Jobcentres")),
    "regioner": (Area.Kind.REGION, _("Regions")),
    "rar": (Area.Kind.RAR, _("RAR areas")),
}
FILTERS = {
    "region": Area.Kind.REGION,
    "rar": Area.Kind.RAR,
    "gruppe": Area.Kind.DST_GROUP,
    "egengruppe": Area.Kind.CUSTOM,
}
SORTS = {"navn": _("Name"), "vaerdi": _("Value"), "aendring": _("Change on a year before"), "placering": _("Rank")}


class ComparisonError(ValueError):
    """A choice in the URL that names nothing: the page says which."""


@dataclass
class Row:
    area: Area
    value: Decimal | None = None
    year_before: Decimal | None = None
    rank: int | None = None
    quartile: int | None = None
    status: str = ""
    is_demo: bool = False
    own: bool = False
    link: str | None = None  # the area's page, for readers allowed to open it
    near: bool = True  # shown on a phone before "Vis alle" (dashboard/windows.py)
    share: bool = True  # percentage points of change for a share, per cent for a count

    @property
    def change(self) -> Decimal | None:
        return ranking.change(self.value, self.year_before, share=self.share)


@dataclass
class Comparison:
    indicator: Indicator
    measure: str
    breakdown: str
    level: str
    period: str | None
    year_before: str | None
    periods: list[str]
    breakdowns: list[str]
    rows: list[Row]
    ranked: int  # areas of the level with a value, before the filter
    country: Row | None
    sort: str
    descending: bool
    filters: dict[str, Area] = field(default_factory=dict)
    # What was asked for but does not exist for this indicator, and what is shown instead (the form kept the
    # previous indicator's choices): said on the page, never an error.
    notices: list[str] = field(default_factory=list)
    is_ranked: bool = True  # False for a count (is_ranked())

    @property
    def is_demo(self) -> bool:
        return any(row.is_demo for row in self.rows) or bool(self.country and self.country.is_demo)


def is_ranked(indicator: Indicator) -> bool:
    """Only a measure areas of any size can be compared on is ranked: a share, an index, a rank. A count (persons in
    fleksjob) grows with the municipality, so ranking it ranks population: shown, sorted, never ranked."""
    return indicator.unit not in (Indicator.Unit.PERSONS, Indicator.Unit.FULLTIME, Indicator.Unit.COUNT)


def indicators():
    """The national indicators that can be compared (own indicators belong to one municipality)."""
    return Indicator.objects.filter(scope=Indicator.Scope.NATIONAL).order_by("code")


def filter_choices(user=None) -> dict[str, list[Area]]:
    """The groups to filter by, in one query; of the custom groups, only the reader's own and the shared ones."""
    groups = sorted(_filter_groups(user), key=lambda a: danish_sort_key(a.name))
    return {name: [g for g in groups if g.kind == kind] for name, kind in FILTERS.items()}


def _filter_groups(user):
    kinds = [kind for kind in FILTERS.values() if kind != Area.Kind.CUSTOM]
    return Area.objects.filter(kind__in=kinds).union(Area.objects.custom_groups_for(user))


def build(
    indicator: Indicator,
    *,
    period: str | None = None,
    breakdown: str | None = None,
    level: str = "kommuner",
    sort: str = "placering",
    descending: bool = False,
    filters: dict[str, str] | None = None,
    own: set[str] = frozenset(),
    user=None,
) -> Comparison:
    """The comparison as the page shows it. `filters` maps FILTERS names to area codes; `own` holds the kommunekoder
    of the reader's own municipalities, highlighted. Raises ComparisonError for a choice that names nothing."""
    if level not in LEVELS:
        raise ComparisonError(_("unknown area level %(level)r") % {"level": level})
    if sort not in SORTS:
        raise ComparisonError(_("unknown sort %(sort)r") % {"sort": sort})
    notices: list[str] = []
    kind = LEVELS[level][0]
    measure, headline_breakdown = indicator.headline_key
    figures = Observation.objects.filter(headline_q(indicator, every_breakdown=True))
    if not figures.filter(area__kind=kind).exists():
        # Published at other levels only (forgæves rekrutteringer: RAR areas): show the first level it has. One
        # EXISTS per level, not a DISTINCT over every figure (half a second for the largest indicator).
        other = next((key for key, (k, _label) in LEVELS.items() if figures.filter(area__kind=k).exists()), None)
        if other is not None:
            label = str(LEVELS[other][1])  # "Kommuner" mid-sentence is "kommuner"; "RAR-områder" stays as it is
            words = {
                "indicator": indicator.name,
                "level": label[:1].lower() + label[1:] if label[1:2].islower() else label,
            }
            notices.append(_("%(indicator)s is published for %(level)s only: they are shown.") % words)
            level, kind = other, LEVELS[other][0]
    breakdowns = sorted(set(figures.filter(area__kind=kind).values_list("breakdown", flat=True).distinct()))
    default_breakdown = headline_breakdown if headline_breakdown in breakdowns or not breakdowns else breakdowns[0]
    if breakdown is None:
        breakdown = default_breakdown
    elif breakdowns and breakdown not in breakdowns:
        words = {"indicator": indicator.name, "breakdown": in_words(breakdown)[:60]}
        notices.append(_("%(indicator)s has no breakdown %(breakdown)s: its default is shown.") % words)
        breakdown = default_breakdown
    shown = figures.filter(breakdown=breakdown)
    available = list(
        shown.filter(area__kind=kind).values_list("period", "period_start").distinct().order_by("-period_start")
    )
    codes = [code for code, _start in available]
    if period is not None and period not in codes:
        if codes:
            words = {"indicator": indicator.name, "period": period_codes.in_words(period)[:40]}
            notices.append(_("%(indicator)s has no figures for %(period)s: the latest period is shown.") % words)
        period = None
    if period is None:
        period = codes[0] if codes else None
    year_before = period_codes.parse(period).shifted_years(-1) if period else None

    areas = list(Area.objects.filter(kind=kind).select_related("municipality"))
    country_area = Area.objects.get(kind=Area.Kind.COUNTRY)
    values: dict[int, dict[str, Observation]] = {}
    for obs in shown.filter(period__in=[p for p in (period, year_before) if p], area__in=[*areas, country_area]):
        values.setdefault(obs.area_id, {})[obs.period] = obs

    def row(area: Area) -> Row:
        now, before = values.get(area.pk, {}).get(period), values.get(area.pk, {}).get(year_before)
        return Row(
            area=area,
            value=now.value if now else None,
            year_before=before.value if before else None,
            share=indicator.unit == Indicator.Unit.PERCENT,
            status=now.status if now else "",
            is_demo=bool(now and now.is_demo),
            own=area.municipality_id in own or area.code in own,
        )

    rows = [row(area) for area in areas]
    if is_ranked(indicator):
        ranks = ranking.ranks({r.area.pk: r.value for r in rows}, indicator.polarity)
        quartiles = ranking.quartiles(ranks)
        for r in rows:
            r.rank, r.quartile = ranks[r.area.pk], quartiles[r.area.pk]
    elif sort == "placering":
        sort = "vaerdi"  # a count has no rank: largest first, said on the page
        descending = True
    ranked = sum(1 for r in rows if r.rank is not None)

    # The same queries whatever the filter and the level: every group one may filter by, and the members of those
    # groups and of the level's areas (unless they are municipalities), each in one query.
    groups = {(g.kind, g.code): g for g in _filter_groups(user)}
    chosen: dict[str, Area] = {}
    for name, code in (filters or {}).items():
        if not code:
            continue
        group = groups.get((FILTERS[name], code)) if name in FILTERS else None
        if group is None:
            raise ComparisonError(_("unknown filter %(name)s=%(code)r") % {"name": name, "code": code})
        chosen[name] = group
    grouped = [g.pk for g in groups.values()] + ([a.pk for a in areas] if kind != Area.Kind.MUNICIPALITY else [])
    member_of: dict[int, set[str]] = {}
    for group_id, code in Membership.objects.filter(area__in=grouped).values_list("area_id", "municipality_id"):
        member_of.setdefault(group_id, set()).add(code)
    if chosen:
        # An area is kept when each chosen group holds it (or, for a grouping, one of its municipalities).
        served = (
            {a.pk: {a.municipality_id} for a in areas}
            if kind == Area.Kind.MUNICIPALITY
            else {a.pk: member_of.get(a.pk, set()) for a in areas}
        )
        rows = [r for r in rows if all(served[r.area.pk] & member_of.get(g.pk, set()) for g in chosen.values())]

    def order(r: Row):
        missing = r.value is None if sort != "navn" else False
        key = {"navn": danish_sort_key(r.area.name), "vaerdi": r.value, "aendring": r.change, "placering": r.rank}[sort]
        return (missing or key is None, key if key is not None else 0)

    rows.sort(key=order, reverse=False)
    if descending:
        present = [r for r in rows if not order(r)[0]]
        rows = present[::-1] + [r for r in rows if order(r)[0]]  # areas without a figure stay last
    return Comparison(
        indicator=indicator,
        measure=measure,
        breakdown=breakdown,
        level=level,
        period=period,
        year_before=year_before,
        periods=codes,
        breakdowns=breakdowns,
        rows=rows,
        ranked=ranked,
        country=row(country_area) if country_area.pk in values else None,
        sort=sort,
        descending=descending,
        filters=chosen,
        notices=notices,
        is_ranked=is_ranked(indicator),
    )
