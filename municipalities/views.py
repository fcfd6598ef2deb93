"""The jobcentre chief's screens: a municipality's or jobcentre's progress on each goal. Thin views: the figures
come from goals.progress, the charts were rendered after the last import (goals.rendering). And the log-in page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from goals import exports, progress
from goals.models import ChartRefresh, ChartSnapshot, Commentary, GoalSet
from indicators.models import Indicator, Observation
from municipalities import access
from municipalities.forms import LoginForm
from municipalities.models import Area, Municipality

YEAR = 2020
CACHE_SECONDS = 24 * 3600  # a version changes with the data, so this only bounds how long unused pages stay
BREAKDOWN_CHARTS = ["MM13-gender", "MM13-residence"]  # goal 2: switched between on the page, gender first


def _body(request, area: Area, members, jobcentre: Area | None, goal_number: int | None) -> str:
    """The page's figures as HTML, rendered once per version of the data behind them and then served from the
    cache: a new import, a rebuilt chart, a changed target or commentary makes a new version (one cheap query)."""
    can_edit = bool(jobcentre and access.can_edit_jobcentre(request.user, jobcentre))
    language = "en" if (get_language() or "da").startswith("en") else "da"
    version = progress.version(area, jobcentre)
    key = ":".join(map(str, ["dashboard", area.pk, goal_number or 0, language, int(can_edit), *version]))
    body = cache.get(key)
    if body is None:
        context = _dashboard(area, members(), jobcentre, goal_number, language, can_edit)
        template = "municipalities/_goal_body.html" if goal_number else "municipalities/_cards.html"
        body = render_to_string(template, context, request=request)
        cache.set(key, body, CACHE_SECONDS)
    return mark_safe(body)  # noqa: S308 (rendered by our own templates, escaped there)


def _dashboard(area: Area, members: list[Area], jobcentre: Area | None, goal_number: int | None, language: str,
               can_edit: bool) -> dict:  # fmt: skip
    cards, peers = progress.cards(area, members, jobcentre, YEAR)
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
        latest = {}
        for obs in Observation.objects.filter(indicator__in=indicators, is_derived=False).order_by("period_start"):
            latest[obs.indicator_id] = obs
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
        "goal_set": GoalSet.objects.filter(year=YEAR).first(),
        "commentaries": commentaries,
        "can_edit": can_edit,
        "own_indicators": own,
        "charts_pending": goal_number is not None and ChartRefresh.objects.filter(area=area).exists(),
        "year": str(YEAR),  # a year, not a number: no thousands dot
    }


@login_required
def municipality(request, code: str, goal: int | None = None):
    municipality = get_object_or_404(Municipality, code=code)
    access.require(access.can_view_municipality(request.user, code))
    area = get_object_or_404(Area, kind=Area.Kind.MUNICIPALITY, municipality=municipality)
    jobcentre = Area.objects.filter(kind=Area.Kind.JOBCENTRE, memberships__municipality=municipality).first()
    context = {"area": area, "jobcentre": jobcentre, "municipality": municipality, "goal_number": goal,
               "year": str(YEAR), "body": _body(request, area, lambda: [area], jobcentre, goal)}  # fmt: skip
    if not goal:
        context["memberships"] = municipality.memberships.select_related("area").order_by("area__kind", "valid_from")
    template = "municipalities/goal.html" if goal else "municipalities/municipality.html"
    return render(request, template, context)


@login_required
def jobcentre(request, slug: str, goal: int | None = None):
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    access.require(access.can_view_jobcentre(request.user, jobcentre))

    def members() -> list[Area]:  # only read when the page's figures are not in the cache
        codes = list(jobcentre.members_on().values_list("code", flat=True))
        return list(Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality_id__in=codes).order_by("name"))

    context = {"area": jobcentre, "jobcentre": jobcentre, "goal_number": goal, "year": str(YEAR),
               "body": _body(request, jobcentre, members, jobcentre, goal)}  # fmt: skip
    template = "municipalities/goal.html" if goal else "municipalities/jobcentre.html"
    return render(request, template, context)


@login_required
def chart_csv(request, pk: int):
    """A chart's data table as CSV (semicolon and decimal comma, as Danish spreadsheets expect)."""
    chart = get_object_or_404(ChartSnapshot.objects.select_related("area"), pk=pk)
    area = chart.area
    access.require(access.can_view_area(request.user, area))
    response = HttpResponse(exports.chart_csv(chart), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jobmaal-{area.code}-{chart.key}.csv"'
    return response


class LoginView(auth_views.LoginView):
    """A locked log-in (municipalities/login_throttle.py) is the log-in page with the reason, answered 429."""

    form_class = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "locked"):
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response
