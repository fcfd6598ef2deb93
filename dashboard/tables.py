"""The tables of the pages exactly as a page shows them, its filter and sort included, as municipalities.tabular
tables (CSV and XLSX, each with what the figures are, where they come from, when they were fetched, and whether they
are demo data).

Shares and differences are written with the places the source publishes them with (Y30R21: two), which may be more
than the page rounds to for reading.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Max
from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dashboard import benchmark as bench
from dashboard.comparison import LEVELS, SORTS
from goals.charts import period_words
from indicators.breakdowns import in_words
from indicators.models import Indicator, Observation
from municipalities import tabular
from municipalities.tabular import DECIMAL, INTEGER, PERCENT, POINTS, Column, Table

FORMATS = tabular.FORMATS


def describe(
    *,
    is_demo: bool,
    indicator: Indicator | None = None,
    period: str | None = None,
    retrieved_at: dt.datetime | None = None,
    details: list[tuple[str, str]] | None = None,
) -> list[tuple[str, str]]:
    """The metadata of a table: demo or real first, then the indicator, the period in words and as its code, what
    the page chose (breakdown, filters, sort: `details`), the source table and when the figures were fetched."""
    rows = [(_("Data"), tabular.demo_label(is_demo))]
    if indicator is not None:
        rows.append((_("Indicator"), f"{indicator.code} {indicator.name}"))
    if period:
        rows.append((_("Period"), f"{period_words(period)} ({period})"))
    rows.extend(details or [])
    if indicator is not None:
        rows.append((_("Source table"), _("%(table)s on Jobindsats.dk (STAR)") % {"table": indicator.source_table}))
    if retrieved_at is not None:
        rows.append((_("Retrieved"), formats.date_format(timezone.localtime(retrieved_at), "DATETIME_FORMAT")))
    rows.append((_("Exported"), formats.date_format(timezone.localtime(), "DATETIME_FORMAT")))
    rows.append((_("Source"), _("Jobindsats.dk (STAR); processed by Jobmål")))
    return rows


def filename(what: str, indicator: str, period: str | None) -> str:
    """jobmaal-<what>-<indicator>-<period>, in the letters a file system takes anywhere."""
    words = what.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    parts = [re.sub(r"[^a-z0-9]+", "-", words).strip("-"), indicator, period or "ingen"]
    return "-".join(["jobmaal", *(re.sub(r"[^A-Za-z0-9_-]+", "-", part) for part in parts)])


def response(table: Table, fmt: str) -> HttpResponse:
    """The table as a download in `fmt` (one of FORMATS)."""
    return tabular.download(*tabular.export(table, fmt))


# The tables of the pages


def _places(values, least: int) -> int:
    """Decimals enough for every value (as stored, trailing zeros dropped), and at least as many as the page shows."""
    found = [-v.normalize().as_tuple().exponent for v in values if v is not None and v.is_finite()]
    return max([least, *(min(n, 6) for n in found)])


def comparison(result) -> Table:
    """The comparison table as the page shows it: the country as reference row first, then the areas in the page's
    filter and sort."""
    indicator = result.indicator
    percent = indicator.unit == Indicator.Unit.PERCENT
    places = _places(
        [r.value for r in [*result.rows, result.country] if r] + ([r.change for r in result.rows] if percent else []),
        1 if percent else 0,
    )
    kind = PERCENT if percent else (INTEGER if places == 0 else DECIMAL)
    pct = _("pct.")
    unit = f" ({pct})" if percent else ""
    columns = [
        Column(_("Rank"), INTEGER),
        Column(_("Area")),
        Column(_("Code")),
        Column(_("Value") + unit, kind, places),
        # a count's change is a per cent, rounded as the page shows it
        Column(_("Change (pct. points)"), POINTS, places) if percent else Column(_("Change (per cent)"), POINTS, 1),
        Column(_("Quartile"), INTEGER),
        Column(_("Status")),
    ]

    def status(row) -> str:
        if row.value is None and row.status != Observation.Status.SUPPRESSED:
            return _("no figure")
        return str(Observation.Status(row.status).label) if row.status else ""

    rows = []
    if result.country:
        c = result.country
        rows.append([None, c.area.name, c.area.code, c.value, c.change, None, status(c)])
    for r in result.rows:
        rows.append(
            [r.rank, r.area.name, r.area.municipality_id or r.area.code, r.value, r.change, r.quartile, status(r)]
        )
    order = _("descending") if result.descending else _("ascending")
    details = [
        (_("Breakdown"), in_words(result.breakdown, str(_("(total)")))),
        (_("Areas"), str(LEVELS[result.level][1])),
        (_("Filters"), ", ".join(f"{a.name} ({a.code})" for a in result.filters.values()) or _("none")),
        (_("Sort"), f"{SORTS[result.sort]}, {order}"),
        (_("Rows"), str(len(result.rows))),
    ]
    figures = Observation.objects.filter(
        indicator=indicator, measure=result.measure, breakdown=result.breakdown, period=result.period
    )
    areas = [r.area.pk for r in result.rows] + ([result.country.area.pk] if result.country else [])
    fetched = figures.for_areas(areas).aggregate(latest=Max("retrieved_at"))["latest"]
    title = f"{indicator.name}, {period_words(result.period)}" if result.period else indicator.name
    return Table(
        title,
        columns,
        rows,
        describe(
            is_demo=result.is_demo, indicator=indicator, period=result.period, retrieved_at=fetched, details=details
        ),
        result.is_demo,
        filename("sammenligning", indicator.code, result.period),
    )


def _words(page: bench.Page) -> dict[str, str]:
    return {"group": bench.group_label(page.group).lower(), "period": period_words(page.period)}


def _benchmark_details(page: bench.Page) -> list[tuple[str, str]]:
    return [(_("Benefit group"), bench.group_label(page.group))]


def ranking(page: bench.Page) -> Table:
    """The benchmark's ranking for the period and benefit group, in rank order, with the checks the page shows."""
    columns = [
        Column(_("Rank"), INTEGER),
        Column(_("Municipality")),
        Column(_("Code")),
        Column(_("Expected share (pct.)"), PERCENT, 2),
        Column(_("Actual share (pct.)"), PERCENT, 2),
        Column(_("Difference (pct. points)"), POINTS, 2),
        Column(_("Expected persons"), INTEGER),
        Column(_("Actual persons"), INTEGER),
        Column(_("Difference, persons"), INTEGER),
        Column(_("Best rank of the four periods before"), INTEGER),
        Column(_("Worst rank of the four periods before"), INTEGER),
        Column(_("Move")),
        Column(_("Check")),
    ]
    rows = []
    for r in page.rows:
        f = r.figures
        move = ""
        if r.range:
            move = _("within (noise)") if r.range.is_noise else _("outside (news)")
        check = _("consistent")
        if r.contradiction:
            check = _("contradicted: %(ahead)s (rank %(rank)s) has a larger difference") % {
                "ahead": page.names.get(r.contradiction.ahead),
                "rank": r.contradiction.ahead_rank,
            }
        rows.append(
            [
                r.rank,
                r.area.name,
                r.area.municipality_id,
                f.get("forventet_andel"),
                f.get("faktisk_andel"),
                f.get("forskel_andel"),
                f.get("forventet_antal"),
                f.get("faktisk_antal"),
                f.get("forskel_antal"),
                r.range.low if r.range else None,
                r.range.high if r.range else None,
                move,
                check,
            ]
        )
    details = [*_benchmark_details(page), (_("Sort"), _("Rank, ascending (1 = furthest below expected)"))]
    title = _("Benchmark ranking, %(group)s, %(period)s") % _words(page)
    return _benchmark_table(page, title, columns, rows, details, [page.period], "rangering")


def follow_up(page: bench.Page) -> Table:
    """The follow-up list: those above their expected share in each of the latest N periods, largest gap first."""
    columns = [
        Column(_("Municipality")),
        Column(_("Code")),
        Column(_("Above expected, persons"), INTEGER),
        Column(_("Above expected, pct. points"), POINTS, 2),
        Column(_("Trend over the periods")),
        Column(_("Change of the gap (pct. points)"), POINTS, 2),
    ]
    municipalities = {r.area.pk: r.area.municipality_id for r in page.rows}
    rows = []
    for f in page.follow_up:
        trend = _("closing") if f.trend < 0 else (_("widening") if f.trend > 0 else _("unchanged"))
        rows.append(
            [page.names.get(f.area), municipalities.get(f.area), f.latest.persons, f.latest.points, trend, f.trend]
        )
    periods = page.follow_up_periods
    details = [
        *_benchmark_details(page),
        (
            _("Filter"),
            _("above the expected share in each of the latest %(n)s periods: %(periods)s")
            % {"n": page.follow_periods, "periods": ", ".join(periods)},
        ),
        (_("Sort"), _("largest gap in the latest period first")),
    ]
    title = _("Follow-up list, %(group)s, %(period)s") % _words(page)
    return _benchmark_table(page, title, columns, rows, details, periods, "opfoelgning")


def rank_history(page: bench.Page) -> Table:
    """The chosen municipality's rank in every period, oldest first."""
    area = page.chosen.area
    columns = [
        Column(_("Period")),
        Column(_("Period code")),
        Column(_("Rank"), INTEGER),
        Column(_("Difference (pct. points)"), POINTS, 2),
    ]
    rows = [[period_words(code), code, rank, diff] for code, rank, diff in page.history]
    first, last = page.periods[0], page.periods[-1]
    details = [
        (_("Periods"), f"{period_words(first)} ({first}) – {period_words(last)} ({last})"),
        *_benchmark_details(page),
        (_("Municipality"), f"{area.name} ({area.municipality_id})"),
        (_("Sort"), _("period, oldest first")),
    ]
    title = _("Benchmark rank of %(name)s, %(group)s") % {"name": area.name, "group": _words(page)["group"]}
    return _benchmark_table(
        page,
        title,
        columns,
        rows,
        details,
        page.periods,
        f"placeringer-{area.municipality_id}",
        period=None,
        file_period=f"{first}-{last}",
    )


BENCHMARK_TABLES = {"rangering": ranking, "opfoelgning": follow_up, "placeringer": rank_history}


def _benchmark_table(
    page: bench.Page,
    title: str,
    columns: list[Column],
    rows: list[list],
    details: list[tuple[str, str]],
    periods: list[str],
    what: str,
    *,
    period: str | None = "",
    file_period: str = "",
) -> Table:
    """A benchmark table; its figures come from `periods` (for the retrieval time), `period` is the one it shows
    (by default the page's; None for a table over all periods)."""
    indicator = Indicator.objects.filter(code=bench.CODE).first()
    period = page.period if period == "" else period
    metadata = describe(
        is_demo=page.is_demo,
        indicator=indicator,
        period=period,
        retrieved_at=page.retrieved_at(periods),
        details=details,
    )
    slug = what if not page.group else f"{what}-{page.group.removeprefix(bench.GROUP_PREFIX)}"
    return Table(title, columns, rows, metadata, page.is_demo, filename(slug, bench.CODE, file_period or page.period))
