"""The ministry's benchmark (Y30R21) page: per period and benefit group, each municipality's expected and actual
persons on public support, the differences and the source's rank, checked against the figures; the rank's range
over the four periods before (a move inside it is noise, not news); and the follow-up list (*skærpet opfølgning*):
those above their expected share in each of the latest N periods. The reasoning is in indicators/benchmark.py;
this module reads the figures, in one query for all periods."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators import benchmark
from indicators.models import Observation
from municipalities.models import Area

CODE = "Y30R21"
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


def build(*, period: str | None = None, group: str = "", follow_periods: int = 2, own: set[str] = frozenset()) -> Page:
    if not 1 <= follow_periods <= 8:
        raise BenchmarkError(_("the number of periods must be between 1 and 8"))
    figures = Observation.objects.filter(indicator__code=CODE, area__kind=Area.Kind.MUNICIPALITY)
    groups = sorted(set(figures.values_list("breakdown", flat=True).distinct()))
    if group not in groups and groups:
        raise BenchmarkError(_("unknown benefit group %(group)r") % {"group": group})
    by_area: dict[int, dict[str, dict[str, Decimal | None]]] = defaultdict(lambda: defaultdict(dict))
    starts: dict[str, object] = {}
    demo = False
    for area_id, code, start, measure, value, is_demo in figures.filter(breakdown=group).values_list(
        "area_id", "period", "period_start", "measure", "value", "is_demo"
    ):
        by_area[area_id][code][measure] = value
        starts[code] = start
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
        rows.append(Row(area=area, figures=series[period], range=benchmark.rank_range(history),
                        own=area.municipality_id in own))  # fmt: skip
    flagged = {c.area: c for c in benchmark.contradictions({r.area.pk: (r.rank, r.figures.get("forskel_andel"))
                                                             for r in rows})}  # fmt: skip
    for r in rows:
        r.contradiction = flagged.get(r.area.pk)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.area.name))

    gaps = {
        area_id: [_gap(code, series.get(code)) for code in upto] for area_id, series in by_area.items()
    }  # fmt: skip
    follow = benchmark.follow_up(gaps, follow_periods) if upto else []
    return Page(period=period, periods=periods, group=group, groups=groups, rows=rows, follow_up=follow,
                follow_periods=follow_periods, names={pk: a.name for pk, a in areas.items()}, is_demo=demo)  # fmt: skip


def _rank(figures: dict) -> int | None:
    value = figures.get("placering")
    return None if value is None else int(value)


def _gap(code: str, figures: dict | None) -> benchmark.Gap | None:
    if not figures or figures.get("forskel_andel") is None:
        return None
    return benchmark.Gap(code, figures.get("forskel_antal"), figures["forskel_andel"])
