"""The ministry's benchmark (Y30R21) page: per period and benefit group, each municipality's expected and actual
persons on public support, the differences and the source's rank, checked against the figures; the rank's range
over the four periods before (a move inside it is noise, not news); and the follow-up list (*skærpet opfølgning*):
those above their expected share in each of the latest N periods. The reasoning is in indicators/benchmark.py;
this module reads the figures, in one query for all periods."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from goals import charts
from indicators import benchmark
from indicators.models import Observation
from municipalities.models import Area, danish_sort_key

CODE = benchmark.CODE
GROUP_PREFIX = "ydelsesgruppe="


class BenchmarkError(ValueError):
    pass


@dataclass
class Row:
    area: Area
    figures: dict[str, Decimal | None]
    contradiction: benchmark.Contradiction | None = None
    range: benchmark.RankRange | None = None
    own: bool = False
    near: bool = True  # shown on a phone before "Vis alle" (dashboard/windows.py)

    @property
    def rank(self) -> int | None:
        value = self.figures.get("placering")
        return None if value is None else int(value)


@dataclass
class Page:
    period: str | None
    periods: list[str]
    group: str
    groups: list[str]
    rows: list[Row]
    follow_up: list[benchmark.FollowUp]
    follow_periods: int
    names: dict[int, str]
    is_demo: bool
    chosen: Row | None = None  # the municipality whose rank history is shown
    history: list[tuple[str, int | None, Decimal | None]] = field(default_factory=list)  # period, rank, difference
    retrieved: dict[str, dt.datetime] = field(default_factory=dict)  # the newest retrieval of each period's figures

    def retrieved_at(self, periods: list[str]) -> dt.datetime | None:
        """When the newest of these periods' figures were fetched."""
        times = [self.retrieved[p] for p in periods if p in self.retrieved]
        return max(times) if times else None

    @property
    def follow_up_periods(self) -> list[str]:
        """The periods the follow-up list looks at: the latest N up to the period shown."""
        upto = self.periods[: self.periods.index(self.period) + 1] if self.period else []
        return upto[-self.follow_periods :]


def build(
    *,
    period: str | None = None,
    group: str = "",
    follow_periods: int = 2,
    own: set[str] = frozenset(),
    municipality: str | None = None,
) -> Page:
    """The page for a period (default the latest) and benefit group; `municipality` (a kommunekode) chooses whose
    rank history is shown, by default the reader's own (of `own`), else the municipality ranked first."""
    if not 1 <= follow_periods <= 8:
        raise BenchmarkError(_("the number of periods must be between 1 and 8"))
    figures = Observation.objects.benchmark()
    groups = sorted(set(figures.values_list("breakdown", flat=True).distinct()))
    if group not in groups and groups:
        raise BenchmarkError(_("unknown benefit group %(group)r") % {"group": group})
    by_area: dict[int, dict[str, dict[str, Decimal | None]]] = defaultdict(lambda: defaultdict(dict))
    starts: dict[str, object] = {}
    retrieved: dict[str, dt.datetime] = {}
    demo = False
    for area_id, code, start, measure, value, is_demo, fetched in figures.filter(breakdown=group).values_list(
        "area_id", "period", "period_start", "measure", "value", "is_demo", "retrieved_at"
    ):
        by_area[area_id][code][measure] = value
        starts[code] = start
        retrieved[code] = max(fetched, retrieved.get(code, fetched))
        demo = demo or is_demo
    periods = sorted(starts, key=starts.get)
    if period is None:
        period = periods[-1] if periods else None
    elif period not in periods:
        raise BenchmarkError(_("no benchmark figures for the period %(period)r") % {"period": period})
    upto = periods[: periods.index(period) + 1] if period else []

    areas = {a.pk: a for a in Area.objects.filter(pk__in=list(by_area)).select_related("municipality")}
    rows = []
    for area_id, series in by_area.items():
        if period not in series:
            continue
        area = areas[area_id]
        history = [_rank(series.get(code, {})) for code in upto]
        rows.append(
            Row(area=area, figures=series[period], range=benchmark.rank_range(history), own=area.municipality_id in own)
        )
    flagged = {
        c.area: c for c in benchmark.contradictions({r.area.pk: (r.rank, r.figures.get("forskel_andel")) for r in rows})
    }
    for r in rows:
        r.contradiction = flagged.get(r.area.pk)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.area.name))

    gaps = {area_id: [_gap(code, series.get(code)) for code in upto] for area_id, series in by_area.items()}
    follow = benchmark.follow_up(gaps, follow_periods) if upto else []
    chosen = _chosen(rows, municipality, own)
    history = []
    if chosen is not None:
        series = by_area[chosen.area.pk]
        history = [(code, _rank(series.get(code, {})), series.get(code, {}).get("forskel_andel")) for code in periods]
    return Page(
        period=period,
        periods=periods,
        group=group,
        groups=groups,
        rows=rows,
        follow_up=follow,
        follow_periods=follow_periods,
        names={pk: a.name for pk, a in areas.items()},
        is_demo=demo,
        chosen=chosen,
        history=history,
        retrieved=retrieved,
    )


def _chosen(rows: list[Row], municipality: str | None, own: set[str]) -> Row | None:
    if municipality:
        found = [r for r in rows if r.area.municipality_id == municipality]
        if not found:
            raise BenchmarkError(_("no benchmark figures for the municipality %(code)r") % {"code": municipality})
        return found[0]
    mine = sorted((r for r in rows if r.own), key=lambda r: danish_sort_key(r.area.name))
    return mine[0] if mine else (rows[0] if rows else None)


def group_label(group: str) -> str:
    """A benefit group as the page names it: "A-dagpenge mv.", or all benefits for the total."""
    return group.removeprefix(GROUP_PREFIX) if group else _("All benefits")


def municipalities(page: Page) -> list[Area]:
    """The municipalities ranked in the period, in Danish alphabetical order: the choice of rank history."""
    return sorted((r.area for r in page.rows), key=lambda a: danish_sort_key(a.name))


def scatter(page: Page) -> charts.Chart:
    """Expected against actual share of every municipality in the period, the diagonal between them."""
    subtitle = f"{group_label(page.group).lower()}, {charts.period_words(page.period)}"
    points = [
        charts.Point(
            r.area.name,
            r.figures.get("forventet_andel"),
            r.figures.get("faktisk_andel"),
            r.figures.get("forskel_andel"),
            r.own,
        )
        for r in page.rows
    ]
    return charts.scatter("benchmark-scatter", _("Expected and actual share"), points, subtitle=subtitle)


def rank_history(page: Page) -> charts.Chart | None:
    """The chosen municipality's rank in every period."""
    if page.chosen is None:
        return None
    title = _("Benchmark rank, %(group)s") % {"group": group_label(page.group).lower()}
    return charts.rank_history("benchmark-rank-history", title, page.chosen.area.name, page.history)


def _rank(figures: dict) -> int | None:
    value = figures.get("placering")
    return None if value is None else int(value)


def _gap(code: str, figures: dict | None) -> benchmark.Gap | None:
    if not figures or figures.get("forskel_andel") is None:
        return None
    return benchmark.Gap(code, figures.get("forskel_antal"), figures["forskel_andel"])
