"""Renders and stores every jobcentre's and municipality's charts, after each import and when a target changes.

The data is read once for all areas; the figures come from the pure functions in charts.py; the results are
stored as ChartSnapshot rows in one transaction, so a page always shows a complete, consistent set.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, FloatField, Max, Q
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from goals import charts
from goals import peers as peer_groups
from goals.models import ChartRefresh, ChartSnapshot, GoalIndicator, GoalSet, Target
from indicators.models import ImportRun, Indicator, Observation
from municipalities import data_version
from municipalities.models import Area, Membership

log = logging.getLogger(__name__)

CHART_LOCK = 0x4A4D0001  # advisory lock id for chart rebuilds ("JM", 1)
LANGUAGES = ["da", "en"]


# A series' key, then its rows' fields, as the read gives them (goals/charts.py draws from the rows).
KEY = ["code", "area_id", "breakdown"]
ROW = ["period", "start", "value", "numerator", "denominator", "is_demo"]


def shown_links(goal_set: GoalSet) -> list[GoalIndicator]:
    """The goal set's national indicators in the order the pages show them, each with how it is shown."""
    return list(
        GoalIndicator.objects.filter(goal__goal_set=goal_set, indicator__scope=Indicator.Scope.NATIONAL)
        .exclude(role=GoalIndicator.Role.LOCAL)
        .select_related("goal", "indicator")
        .order_by("goal__number", "order", "pk")
    )


def _shown(link: GoalIndicator) -> Q:
    """The figures a link's charts draw: its headline figure, the breakdown its card leads with and every value of
    the breakdowns it is charted by."""
    measure, breakdown = link.indicator.headline_key
    breakdowns = Q(breakdown=breakdown)
    if link.lead_breakdown:
        breakdowns |= Q(breakdown=link.lead_breakdown)
    for part in link.breakdown_charts:
        breakdowns |= Q(breakdown__startswith=f"{part['dimension']}=")
    return Q(indicator=link.indicator, measure=measure) & breakdowns


def _load(links: list[GoalIndicator]) -> list[tuple]:
    """The figures the goal set's charts show, for municipalities, jobcentres, RAR areas and the country, as plain
    tuples (KEY + ROW, None for a missing figure), in one query of the Observation read layer, run on the cursor: the
    charts need no model instances."""
    if not links:
        return []
    wanted = Q()
    for shown in {str(q): q for q in map(_shown, links)}.values():  # a goal kept from one year to the next, once
        wanted |= shown
    query = (
        Observation.objects.filter(wanted, area__kind__in=["municipality", "jobcentre", "rar", "country"])
        .order_by()  # every chart sorts its own series: the model's ordering would sort 160,000 rows for nothing
        .annotate(
            code=F("indicator__code"),
            start=F("period_start"),
            value_=Cast("value", FloatField()),
            numerator_=Cast("numerator", FloatField()),
            denominator_=Cast("denominator", FloatField()),
        )
        .values_list(*[f"{c}_" if c in ("value", "numerator", "denominator") else c for c in KEY + ROW])
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Year:
    """What one goal set's charts need: its indicators and how each is shown, its year's targets, and who belonged
    to which jobcentre and RAR area at the end of that year."""

    def __init__(self, goal_set: GoalSet):
        self.goal_set, self.year = goal_set, goal_set.year
        self.links = shown_links(goal_set)
        self.members: dict[int, list[str]] = {}
        self.rar: dict[str, int] = {}
        self.jobcentre_of: dict[str, int] = {}
        memberships = Membership.objects.valid_on(dt.date(self.year, 12, 31))
        for m in memberships.filter(area__kind__in=["jobcentre", "rar"]).select_related("area"):
            if m.area.kind == "jobcentre":
                self.members.setdefault(m.area_id, []).append(m.municipality_id)
                self.jobcentre_of[m.municipality_id] = m.area_id
            else:
                self.rar[m.municipality_id] = m.area_id
        self.targets = {
            (t.jobcentre_id, t.indicator.code): t
            for t in Target.objects.filter(year=self.year).select_related("indicator")
        }

    def member_codes(self, area: Area) -> list[str]:
        return [area.municipality_id] if area.municipality_id else self.members.get(area.pk, [])


class Context:
    """Everything the charts of all areas share, read once: the figures of every goal set's indicators (one query),
    the areas, the benchmark. Each goal set is a Year of its own; all are drawn in one rebuild."""

    def __init__(self, goal_sets: list[GoalSet] | None = None):
        goal_sets = goal_sets if goal_sets is not None else list(GoalSet.objects.order_by("year"))
        self.years = [Year(goal_set) for goal_set in goal_sets]
        # Each series as plain rows (ROW), None for a missing figure: the charts loop over them (goals/charts.py);
        # a slice of a data frame per call cost more than the drawing.
        self.groups: dict[tuple, list[tuple]] = {}
        self.demo_areas: set[int] = set()
        for code, area_id, breakdown, *row in _load([link for year in self.years for link in year.links]):
            self.groups.setdefault((code, area_id, breakdown), []).append(tuple(row))
            if row[-1]:
                self.demo_areas.add(area_id)
        self._peers: dict[tuple, list[tuple]] = {}
        self.country = Area.objects.get(kind=Area.Kind.COUNTRY)
        self.areas = {a.pk: a for a in Area.objects.filter(kind__in=["municipality", "jobcentre", "rar"])}
        self.municipality_area = {a.municipality_id: a.pk for a in self.areas.values() if a.municipality_id}
        self.benchmark = peer_groups.benchmark_rows()
        self.version = ImportRun.objects.filter(status=ImportRun.Status.SUCCEEDED).aggregate(v=Max("pk"))["v"] or 0

    def series(self, code: str, area_id: int, breakdown: str = "") -> list[tuple]:
        return self.groups.get((code, area_id, breakdown), [])

    def peers_line(self, code: str, peer_ids: list[int], breakdown: str = "") -> list[tuple]:
        """Comparable municipalities as one line: summed numerators over summed denominators per period, only
        where every one of them has a figure (a count: the figures added up). Kept per peer group: an area's
        charts are drawn in two languages, and neighbours often share their peers."""
        key = (code, tuple(peer_ids), breakdown)
        if key not in self._peers:
            self._peers[key] = _summed([self.series(code, a, breakdown) for a in peer_ids])
        return self._peers[key]


def _summed(parts: list[list[tuple]]) -> list[tuple]:
    """Rows (period, start, value) of the parts' sum per period where every part has a figure: counts added up, or
    numerators over denominators × 100 where the parts are shares. Added as pandas' groupby sum adds (Kahan), so
    the line is the one drawn before to the last bit."""
    if not parts or any(not p for p in parts):
        return []
    share = any(row[3] is not None for part in parts for row in part)
    sums: dict[tuple, list] = {}  # (period, start): [n, value or numerator, its compensation, denominator, its comp.]
    for part in parts:
        for period, start, value, numerator, denominator, _demo in part:
            cell = sums.setdefault((period, start), [0, 0.0, 0.0, 0.0, 0.0])
            first = numerator if share else value
            if first is not None:
                cell[0] += 1
                cell[1], cell[2] = _kahan(cell[1], cell[2], first)
            if share and denominator is not None:
                cell[3], cell[4] = _kahan(cell[3], cell[4], denominator)
    out = []
    for (period, start), (n, total, _c, den, _d) in sorted(sums.items()):
        if n != len(parts):
            continue
        if not share:
            out.append((period, start, total))
        elif den > 0:
            out.append((period, start, total / den * 100))
    return out


def _kahan(total: float, compensation: float, value: float) -> tuple[float, float]:
    y = value - compensation
    t = total + y
    compensation = t - total - y
    return t, 0.0 if compensation != compensation else compensation


def _years_first(breakdown: str) -> tuple:
    """Years-of-residence bands in the order of the years ("0-2 år" before "10 år og derover"), not alphabetically."""
    label = breakdown.split("=", 1)[-1]
    numbers = [int(n) for n in re.findall(r"\d+", label)]
    return (numbers[0] if numbers else 10**6, label)


def _frame(parts: list[tuple[str, list[tuple]]]) -> list[tuple]:
    """The chart's rows (series, period, start, value), series in the order given."""
    return [(label, row[0], row[1], row[2]) for label, rows in parts for row in rows]


def charts_for(area: Area, ctx: Context, year: Year) -> list[tuple[int, charts.Chart]]:
    """(goal number, chart) for one area and goal set, in the active language: for each of the goal set's
    indicators, in the goal's order, its charts by breakdown and then its headline chart, as its specification
    says."""
    members = year.member_codes(area)
    peers = peer_groups.peers_for(members, ctx.benchmark, ctx.municipality_area)
    jobcentre_id = area.pk if area.kind == Area.Kind.JOBCENTRE else year.jobcentre_of.get(area.municipality_id)
    peers_label = _("Comparable municipalities") if peers.basis == "benchmark" else _("Same municipality group")
    english = (translation.get_language() or "da").startswith("en")
    out: list[tuple[int, charts.Chart]] = []
    for link in year.links:
        for part in link.breakdown_charts:
            out.append((link.goal.number, _by_breakdown(link, part, area, ctx, english)))
        if link.indicator.area_level == Area.Kind.RAR:
            rar = ctx.areas.get(year.rar.get(members[0])) if members else None
            if rar is None:
                continue
            shown_area, target = rar, None  # targets are set for the jobcentre, not for a RAR area
        else:
            shown_area, target = area, year.targets.get((jobcentre_id, link.indicator.code))
        out.append((link.goal.number, _headline(link, shown_area, ctx, peers, peers_label, target, year.year)))
    return out


def _headline(link, area: Area, ctx: Context, peers, peers_label: str, target, year: int) -> charts.Chart:
    indicator, code = link.indicator, link.indicator.code
    breakdown = indicator.headline_key[1]
    parts = [(area.name, ctx.series(code, area.pk, breakdown))]
    if link.with_country:
        parts.append((ctx.country.name, ctx.series(code, ctx.country.pk, breakdown)))
    if link.with_peers:
        parts.append((peers_label, ctx.peers_line(code, peers.area_ids, breakdown)))
    frame = _frame(parts)
    if indicator.area_level == Area.Kind.RAR:
        # The figure is published for the RAR area only: the chart says so rather than pass it off as the
        # municipality's own figure.
        title = _("%(name)s in %(rar)s") % {"name": indicator.name, "rar": area.name}
    elif link.role == GoalIndicator.Role.PROXY:
        title = _("%(name)s (proxy)") % {"name": indicator.name}
    else:
        title = indicator.name
    goal_target = {}
    if target is not None:
        goal_target = {"target": float(target.value), "target_label": _("Target %(year)s") % {"year": year}}
    if link.chart == GoalIndicator.Chart.BARS:
        chart = charts.bars(code, title, frame, unit=indicator.unit)
    elif link.chart == GoalIndicator.Chart.INDEX:
        # Counts of very different sizes: the country and the comparable municipalities are drawn as an index
        # beside the area's own, and the area's persons stay in the first column of the data table.
        chart = charts.trend(code, title, frame, unit=indicator.unit, decimals=0, index=True, **goal_target)
    else:
        chart = charts.trend(code, title, frame, unit=indicator.unit, **goal_target)
    if indicator.area_level == Area.Kind.RAR:
        chart.summary += " " + _(
            "The figure is the RAR area's (%(rar)s): the survey is not published for single municipalities."
        ) % {"rar": area.name}
    return chart


def _by_breakdown(link, part: dict, area: Area, ctx: Context, english: bool) -> charts.Chart:
    """One chart of the area's figures by one breakdown: the values the specification names, in its order and with
    its labels, or every value the source has (by years for "sort": "years")."""
    indicator, code = link.indicator, link.indicator.code
    if part.get("series"):  # a list, not an object: PostgreSQL's jsonb keeps no key order
        series = [(en if english else da, ctx.series(code, area.pk, b)) for b, da, en in part["series"]]
    else:
        prefix = f"{part['dimension']}="
        values = [b for (c, a, b) in ctx.groups if c == code and a == area.pk and b.startswith(prefix)]
        values = sorted(values, key=_years_first) if part.get("sort") == "years" else sorted(values)
        series = [(b.split("=", 1)[1], ctx.series(code, area.pk, b)) for b in values]
    title = f"{indicator.name} {part['by_en'] if english else part['by_da']}"
    return charts.trend(f"{code}-{part['key']}", title, _frame(series), unit=indicator.unit)


def render(areas: list[Area] | None = None, ctx: Context | None = None) -> int:
    """Render and store the charts of the given areas (default: every jobcentre and municipality) for every goal
    set; return how many charts were stored."""
    started = timezone.now()
    ctx = ctx or Context()
    areas = areas if areas is not None else [a for a in ctx.areas.values() if a.kind != Area.Kind.RAR]
    snapshots = []
    for year, language in ((y, lang) for y in ctx.years for lang in LANGUAGES):
        with translation.override(language):
            for area in areas:
                demo = area.pk in ctx.demo_areas
                for order, (goal, chart) in enumerate(charts_for(area, ctx, year)):
                    snapshots.append(
                        ChartSnapshot(
                            area=area,
                            goal_set=year.goal_set,
                            key=chart.key,
                            language=language,
                            goal_number=goal,
                            order=order,
                            data_version=ctx.version,
                            title=chart.title,
                            figure=chart.figure,
                            table=chart.table,
                            summary=chart.summary,
                            is_demo=demo,
                        )
                    )
    with transaction.atomic():
        # Two rebuilds may overlap (an import's and a target's): they take turns instead of colliding.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHART_LOCK])
        ChartSnapshot.objects.filter(area__in=areas).delete()
        ChartSnapshot.objects.bulk_create(snapshots, batch_size=500)
        # A request that came in while this rebuild read the data is not covered by it: it stays pending.
        ChartRefresh.objects.filter(area__in=areas, requested_at__lte=started).delete()
        data_version.bump()  # bulk writes send no signal
    return len(snapshots)


def request(areas: list[Area]) -> None:
    """Have the worker render these areas' charts again once the current transaction commits, and mark them as
    being refreshed meanwhile (the page says so). A web request never renders a chart itself: that is the worker's
    second or so, not the user's."""
    now = timezone.now()
    ChartRefresh.objects.bulk_create(
        [ChartRefresh(area=area, requested_at=now) for area in areas],
        update_conflicts=True,
        unique_fields=["area"],
        update_fields=["requested_at"],
    )
    ids = sorted(area.pk for area in areas)
    data_version.bump()  # the goal pages say "opdateres…" from now on
    transaction.on_commit(lambda: queue(ids))


def queue(area_ids: list[int] | None) -> bool:
    """Queue a rebuild (None: every area). With the broker down the figures are saved all the same; the areas
    marked by `request` are rendered by the sweep (`render_pending`) once the worker can be reached again."""
    from goals.tasks import render_charts

    if not settings.RENDER_CHARTS_AFTER_IMPORT:
        return False  # the test suite renders itself (render_pending), so that no rebuild waits for some worker
    try:
        # No publish retries: a web request must not wait seconds for a broker that is down.
        render_charts.apply_async((area_ids,), retry=False)
    except Exception as exc:  # kombu's OperationalError, or redis-py's errors, depending on where it failed
        log.warning("could not queue the chart rebuild of %s: %s", area_ids or "every area", exc)
        return False
    return True


def render_pending(older_than_seconds: float = 60) -> int:
    """Render the areas whose queued rebuild has not happened (lost with the broker, or never queued)."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    area_ids = ChartRefresh.objects.filter(requested_at__lte=cutoff).values_list("area_id", flat=True)
    areas = list(Area.objects.filter(pk__in=list(area_ids)))
    return render(areas) if areas else 0
