"""The jobcentre chief's screens: a municipality's or jobcentre's progress on each goal. Thin views: the figures
come from goals.progress, the charts were rendered after the last import (goals.rendering)."""

import hashlib
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboard import benchmark as bench
from dashboard import comparison as compare
from goals import charts, exports, goalsets, progress
from goals.models import ChartRefresh, ChartSnapshot, Commentary, GoalSet
from goals.templatetags.jobmaal import period as period_label
from indicators.models import Indicator, Observation
from municipalities import access, data_version
from municipalities.models import Area, Municipality

BREAKDOWN_CHARTS = ["MM13-gender", "MM13-residence"]  # goal 2: switched between on the page, gender first


def _language() -> str:
    return "en" if (get_language() or "da").startswith("en") else "da"


def _body(request, area: Area, members: list[Area], jobcentre: Area | None, goal_number: int | None,
          can_edit: bool, goal_set: GoalSet) -> str:  # fmt: skip
    """The page's figures as HTML: rendered once per version of the data behind them and then served from the
    cache (data_version.cached). A new import, a rebuilt chart, a changed target or commentary is a new version."""
    context = _dashboard(area, members, jobcentre, goal_number, _language(), can_edit, goal_set)
    template = "dashboard/_goal_body.html" if goal_number else "dashboard/_cards.html"
    return render_to_string(template, context, request=request)


def _dashboard(area: Area, members: list[Area], jobcentre: Area | None, goal_number: int | None, language: str,
               can_edit: bool, goal_set: GoalSet) -> dict:  # fmt: skip
    cards, peers = progress.cards(area, members, jobcentre, goal_set.year)
    if goal_number is not None:
        cards = [c for c in cards if c.goal.number == goal_number]
        if not cards:
            raise Http404
    charts = []
    if goal_number is not None:
        charts = list(ChartSnapshot.objects.filter(area=area, language=language, goal_number=goal_number))
        for chart in charts:
            chart.dom_id = f"figure-{chart.pk}"
    own = []
    if goal_number is not None:
        codes = [m.municipality_id for m in members if m.municipality_id]
        indicators = list(
            Indicator.objects.filter(
                scope=Indicator.Scope.LOCAL, municipality_id__in=codes, goal_links__goal__number=goal_number
            )
            .select_related("municipality")
            .order_by("code")
        )
        # An own indicator has a series per municipality of the jobcentre: the table shows the newest of them.
        series = Observation.objects.filter(indicator__in=indicators).published().latest()
        latest = {obs.indicator_id: obs for obs in sorted(series, key=lambda obs: obs.period_start)}
        own = [(i, latest.get(i.pk)) for i in indicators]
    commentaries = {c.goal_id: c for c in Commentary.objects.filter(jobcentre=jobcentre)} if jobcentre else {}
    return {
        "area": area,
        "members": members if len(members) > 1 else [],
        "served": members,
        "jobcentre": jobcentre,
        "cards": cards,
        "peers": peers,
        "charts": charts,
        "breakdowns": [c for c in charts if c.key in BREAKDOWN_CHARTS],
        "goal_number": goal_number,
        "goal_set": goal_set,
        "year_query": goalsets.query(goal_set),
        "commentaries": commentaries,
        "can_edit": can_edit,
        "own_indicators": own,
        "charts_pending": goal_number is not None and ChartRefresh.objects.filter(area=area).exists(),
        "year": str(goal_set.year),  # a year, not a number: no thousands dot
    }


@access.rule("view_municipality")
@login_required
def municipality(request, code: str, goal: int | None = None):
    municipality = get_object_or_404(Municipality, code=code)
    access.require(access.can_view_municipality(request.user, code))
    area = get_object_or_404(Area, kind=Area.Kind.MUNICIPALITY, municipality=municipality)
    jobcentre = Area.objects.filter(kind=Area.Kind.JOBCENTRE, memberships__municipality=municipality).first()
    can_edit = bool(jobcentre and access.can_edit_jobcentre(request.user, jobcentre))
    goal_set = goalsets.from_request(request)
    body = data_version.cached(
        f"dashboard:{area.pk}:{goal or 0}:{_language()}:{int(can_edit)}:{goal_set.year}",
        lambda: _body(request, area, [area], jobcentre, goal, can_edit, goal_set),
        fallback=lambda: progress.version(area, jobcentre),
    )
    context = {"area": area, "jobcentre": jobcentre, "municipality": municipality, "goal_number": goal,
               "year": str(goal_set.year), "body": mark_safe(body)}  # fmt: skip  # noqa: S308 (our own templates escape)
    if not goal:
        context["memberships"] = municipality.memberships.select_related("area").order_by("area__kind", "valid_from")
    template = "dashboard/goal.html" if goal else "dashboard/municipality.html"
    return render(request, template, context)


@access.rule("view_jobcentre")
@login_required
def jobcentre(request, slug: str, goal: int | None = None):
    # The jobcentre and its page's figures are one cache entry, read in one round trip to Redis: a cached page needs
    # no query. The key names the jobcentre its reader may edit (a chief's own), as the figures show edit links
    # to its chief only; whether the reader may see the page at all is checked on every request.
    editor = access.editable_jobcentre(request.user)

    def page() -> tuple[Area, str, GoalSet]:
        jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
        access.require(access.can_view_jobcentre(request.user, jobcentre))
        goal_set = goalsets.from_request(request)  # only on a cache miss: a cached page needs no query
        codes = list(jobcentre.members_on().values_list("code", flat=True))
        members = list(Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality_id__in=codes).order_by("name"))
        return (
            jobcentre,
            _body(request, jobcentre, members, jobcentre, goal, editor == jobcentre.pk, goal_set),
            goal_set,
        )

    def version_in_postgresql() -> tuple:
        jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
        return progress.version(jobcentre, jobcentre)

    def whole_page() -> tuple[Area, str]:
        jobcentre, body, goal_set = page()
        context = {"area": jobcentre, "jobcentre": jobcentre, "goal_number": goal, "year": str(goal_set.year),
                   "body": mark_safe(body)}  # fmt: skip  # noqa: S308 (rendered by our own templates, escaped there)
        template = "dashboard/goal.html" if goal else "dashboard/jobcentre.html"
        return jobcentre, _without_csrf_token(render_to_string(template, context, request=request))

    # The whole page, per reader: its header names the reader and its forms carry their CSRF token, which is put
    # in on every request. A page with a message to show, or asked for with a query string (which the page echoes
    # in its language switch, and which nobody should be able to multiply cache entries with), is rendered afresh.
    user = request.user
    reader = hashlib.sha256(f"{user.pk}:{user.get_full_name()}:{user.username}".encode()).hexdigest()[:16]
    key = f"page:jobcentre:{slug}:{goal or 0}:{_language()}:{editor or 0}:{reader}:{settings.DEFAULT_GOAL_YEAR}"
    if request.META.get("QUERY_STRING") or len(messages.get_messages(request)):
        jobcentre, html = whole_page()
    else:
        jobcentre, html = data_version.cached(key, whole_page, fallback=version_in_postgresql)
    access.require(access.can_view_jobcentre(request.user, jobcentre))
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


CSRF_PLACEHOLDER = "\x00csrf\x00"  # never in a rendered page: a NUL cannot come from our templates or data
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]+)(")')


def _without_csrf_token(html: str) -> str:
    """The rendered page with its CSRF token replaced by a placeholder, so it can be kept and served to its reader
    with the token of each request (Django masks the token anew every time)."""
    return _CSRF_INPUT.sub(lambda m: m.group(1) + CSRF_PLACEHOLDER + m.group(3), html)


@access.rule("view_chart")
@login_required
def chart_csv(request, pk: int):
    """A chart's data table as CSV (semicolon and decimal comma, as Danish spreadsheets expect)."""
    chart = get_object_or_404(ChartSnapshot.objects.select_related("area"), pk=pk)
    area = chart.area
    access.require(access.can_view_area(request.user, area))
    response = HttpResponse(exports.chart_csv(chart), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jobmaal-{area.code}-{chart.key}.csv"'
    return response


@access.rule("logged_in")
@login_required
def comparison(request):
    """All municipalities (or jobcentres, regions, RAR areas) side by side on one national indicator. National
    figures are public on Jobindsats, so every logged-in user may compare them; own indicators are not offered.
    Every choice is in the URL, so a link reproduces the view; `format=csv` downloads the table as shown."""
    params = request.GET
    goal_set = GoalSet.objects.current()
    default = progress.headline_links(goal_set)[0].indicator.code if goal_set else "MM10"
    indicator = compare.indicators().filter(code=params.get("indikator") or default).first()
    own = access.own_municipality_codes(request.user)
    error, result = None, None
    if indicator is None:
        error = _("There is no national indicator %(code)r to compare.") % {"code": params.get("indikator")}
    else:
        try:
            result = compare.build(
                indicator, period=params.get("periode") or None, breakdown=params.get("opdeling"),
                level=params.get("niveau", "kommuner"), sort=params.get("sorter", "placering"),
                descending=params.get("retning") == "ned", filters={n: params.get(n, "") for n in compare.FILTERS},
                own=own,
            )  # fmt: skip
        except compare.ComparisonError as exc:
            error = str(exc)
    chart = None
    if result is not None and result.period:
        ranked = sorted((r for r in result.rows if r.rank is not None), key=lambda r: r.rank)
        country = result.country
        chart = charts.ranking(
            "comparison", f"{result.indicator.name}, {period_label(result.period)}",
            [(r.area.name, float(r.value), r.own) for r in ranked], unit=result.indicator.unit,
            reference=(country.area.name, float(country.value)) if country and country.value is not None else None,
        )  # fmt: skip
    if result is not None:
        everyone = access.is_ministry(request.user)
        for row in result.rows:
            if everyone or row.own:  # a link others may not follow is no use to them
                row.link = row.area.get_absolute_url()
    if result is not None and params.get("format") == "csv":
        response = HttpResponse(exports.comparison_csv(result), content_type="text/csv; charset=utf-8")
        name = f"jobmaal-sammenligning-{result.indicator.code}-{result.period or 'ingen'}-{result.level}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context = {
        "result": result, "error": error, "indicators": compare.indicators(), "levels": compare.LEVELS,
        "filter_choices": compare.filter_choices(), "sorts": compare.SORTS, "params": params, "chart": chart,
    }  # fmt: skip
    return render(request, "dashboard/comparison.html", context, status=400 if error else 200)


@access.rule("logged_in")
@login_required
def benchmark_page(request):
    """The ministry's benchmark (Y30R21), as published nationally: ranks checked against the figures, the rank's
    range, and the follow-up list. Choices in the URL: periode, ydelsesgruppe, perioder (N for the list)."""
    params = request.GET
    raw_n = params.get("perioder", "2")
    error, page = None, None
    try:
        if not raw_n.isdigit():
            raise bench.BenchmarkError(_("the number of periods must be a whole number, not %(n)r") % {"n": raw_n})
        page = bench.build(period=params.get("periode") or None, group=params.get("ydelsesgruppe", ""),
                           follow_periods=int(raw_n), own=access.own_municipality_codes(request.user))  # fmt: skip
    except bench.BenchmarkError as exc:
        error = str(exc)
    return render(request, "dashboard/benchmark.html", {"page": page, "error": error, "n": raw_n},
                  status=400 if error else 200)  # fmt: skip
