"""The jobcentre chief's screens: a municipality's or jobcentre's progress on each goal. Thin views: the figures
come from goals.progress, the charts were rendered after the last import (goals.rendering)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboard import benchmark as bench
from dashboard import comparison as compare
from dashboard import kept_pages, maps, tables, windows
from dashboard import reference as group_reference
from goals import charts, continuity, exports, goalsets, local_indicators, progress
from goals import peers as peer_groups
from goals.models import ChartRefresh, ChartSnapshot, Commentary, GoalIndicator, GoalSet
from goals.templatetags.jobmaal import period as period_label
from municipalities import access, data_version, tabular
from municipalities import groups as custom_groups
from municipalities.models import Area, Municipality, danish_sort_key


def _language() -> str:
    return "en" if (get_language() or "da").startswith("en") else "da"


def _body(
    request,
    area: Area,
    members: list[Area],
    jobcentre: Area | None,
    goal_number: int | None,
    can_edit: bool,
    goal_set: GoalSet,
    reference: Area | None = None,
    work: bool = True,
) -> str:
    """The page's figures as HTML: rendered once per version of the data behind them and then served from the
    cache (data_version.cached). A new import, a rebuilt chart, a changed target or commentary is a new version.
    Without `work`, only the national figures: no targets (on cards or as lines), commentary or own indicators."""
    context = _dashboard(area, members, jobcentre, goal_number, _language(), can_edit, goal_set, reference, work)
    template = "dashboard/_goal_body.html" if goal_number else "dashboard/_cards.html"
    return render_to_string(template, context, request=request)


def _dashboard(
    area: Area,
    members: list[Area],
    jobcentre: Area | None,
    goal_number: int | None,
    language: str,
    can_edit: bool,
    goal_set: GoalSet,
    reference: Area | None = None,
    work: bool = True,
) -> dict:
    cards, peers = progress.cards(area, members, jobcentre if work else None, goal_set.year, reference)
    carried = continuity.from_year_before(area, goal_set, jobcentre if work else None)
    for card in cards:
        card.carried = carried.get(card.goal.number)
    if goal_number is not None:
        cards = [c for c in cards if c.goal.number == goal_number]
        if not cards:
            raise Http404
    snapshots = []
    if goal_number is not None:
        snapshots = list(
            ChartSnapshot.objects.filter(area=area, goal_set=goal_set, language=language, goal_number=goal_number)
        )
        if reference is not None:
            indicators = group_reference.charts_with_peers(goal_set)
            snapshots = [
                group_reference.add_to(c, indicators[c.key], peers) if c.key in indicators else c for c in snapshots
            ]
        for chart in snapshots:
            chart.dom_id = f"figure-{chart.pk}"
            if not work:
                chart.figure = charts.without_target(chart.figure)
    # The charts by breakdown of one indicator are switched between on the page, in the goal set's order.
    labels = _breakdown_labels(goal_set) if goal_number is not None else {}
    breakdowns = [c for c in snapshots if c.key in labels]
    for chart in breakdowns:
        chart.breakdown_label = labels[chart.key]
    own = local_indicators.latest(members, goal_number) if goal_number is not None and work else []
    commentaries = {c.goal_id: c for c in Commentary.objects.filter(jobcentre=jobcentre)} if jobcentre and work else {}
    return {
        "area": area,
        "members": members if len(members) > 1 else [],
        "served": members,
        "jobcentre": jobcentre,
        "cards": cards,
        "peers": peers,
        "charts": snapshots,
        "breakdowns": breakdowns,
        "goal_number": goal_number,
        "goal_set": goal_set,
        "year_query": _page_query(goal_set, reference),
        "commentaries": commentaries,
        "can_edit": can_edit,
        "work": work,
        "own_indicators": own,
        "charts_pending": goal_number is not None and ChartRefresh.objects.filter(area=area).exists(),
        "year": str(goal_set.year),  # a year, not a number: no thousands dot
    }


@access.rule("public")
def municipality(request, code: str, goal: int | None = None):
    """Public: a municipality's national figures are anyone's to read; its own work only for those who may
    (access.can_read_work)."""
    municipality = get_object_or_404(Municipality, code=code)
    area = get_object_or_404(Area, kind=Area.Kind.MUNICIPALITY, municipality=municipality)
    jobcentre = Area.objects.filter(kind=Area.Kind.JOBCENTRE, memberships__municipality=municipality).first()
    can_edit = bool(jobcentre and access.can_edit_jobcentre(request.user, jobcentre))
    work = access.can_read_municipality_work(request.user, code)
    goal_set = goalsets.from_request(request)
    reference = _reference(request)
    body = data_version.cached(
        f"dashboard:{area.pk}:{goal or 0}:{_language()}:{int(can_edit)}:{int(work)}:{goal_set.year}:"
        f"{reference and reference.pk}",
        lambda: _body(request, area, [area], jobcentre, goal, can_edit, goal_set, reference, work),
        fallback=lambda: progress.version(area, jobcentre),
    )
    context = {
        "area": area,
        "jobcentre": jobcentre,
        "municipality": municipality,
        "goal_number": goal,
        "year": str(goal_set.year),
        "body": mark_safe(body),  # noqa: S308 (our own templates escape)
        "work": work,
        "goal_years": goalsets.switch(request, goal_set, goal, reverse("dashboard-municipality", args=[code])),
        **_reference_choice(request, reference),
    }
    if not goal:
        context["memberships"] = municipality.memberships.select_related("area").order_by("area__kind", "valid_from")
    template = "dashboard/goal.html" if goal else "dashboard/municipality.html"
    return render(request, template, context)


def _jobcentre_page(request, slug: str, goal: int | None = None) -> str | None:
    # A page asked for with a query string (which it echoes in its language switch) is not kept. The jobcentre its
    # reader may edit is part of the key (a chief's own page shows edit links), and so is the default goal year.
    if request.META.get("QUERY_STRING"):
        return None
    editor = access.editable_jobcentre(request.user)
    return f"{slug}:{goal or 0}:{editor or 0}:{settings.DEFAULT_GOAL_YEAR}"


def _may_still_read_work(request, facts) -> bool:
    jobcentre, work = facts
    return access.can_read_jobcentre_work(request.user, jobcentre) == work


def _jobcentre_version(slug: str, goal: int | None = None) -> tuple:
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    return progress.version(jobcentre, jobcentre)


@access.rule("public")
@kept_pages.keep(_jobcentre_page, check=_may_still_read_work, fallback=_jobcentre_version)
def jobcentre(request, slug: str, goal: int | None = None):
    """Public, as the municipality's page: the national figures for anyone, the jobcentre's work for those who may
    (checked again on every request, also when the page is kept)."""
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    work = access.can_read_jobcentre_work(request.user, jobcentre)
    can_edit = access.editable_jobcentre(request.user) == jobcentre.pk
    goal_set = goalsets.from_request(request)
    reference = _reference(request)
    codes = list(jobcentre.members_on().values_list("code", flat=True))
    members = list(Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality_id__in=codes).order_by("name"))
    body = _body(request, jobcentre, members, jobcentre, goal, can_edit, goal_set, reference, work)
    context = {
        "area": jobcentre,
        "jobcentre": jobcentre,
        "goal_number": goal,
        "year": str(goal_set.year),
        "body": mark_safe(body),  # noqa: S308 (rendered by our own templates, escaped there)
        "work": work,
        "goal_years": goalsets.switch(request, goal_set, goal, reverse("dashboard-jobcentre", args=[slug])),
        **_reference_choice(request, reference),
    }
    response = render(request, "dashboard/goal.html" if goal else "dashboard/jobcentre.html", context)
    response.kept_facts = (jobcentre, work)
    return response


def _breakdown_labels(goal_set: GoalSet) -> dict[str, str]:
    """Chart key → the label of its breakdown, for each chart by breakdown the goal set specifies."""
    english = _language() == "en"
    labels = {}
    for link in GoalIndicator.objects.filter(goal__goal_set=goal_set).select_related("indicator"):
        for part in link.breakdown_charts:
            labels[f"{link.indicator.code}-{part['key']}"] = part["label_en"] if english else part["label_da"]
    return labels


def _page_query(goal_set: GoalSet, reference: Area | None) -> str:
    """The query string that keeps the goal set and the chosen reference group on the links between the pages."""
    query = goalsets.query(goal_set)
    if reference is None:
        return query
    return f"{query}{'&' if query else '?'}sammenlign={reference.code}"


def _reference(request) -> Area | None:
    """The custom group chosen as the reference (`?sammenlign=`); one that is gone is said so, and the page shows
    the comparable municipalities instead."""
    try:
        return group_reference.chosen(request.user, request.GET.get("sammenlign"))
    except group_reference.UnknownGroup as exc:
        messages.warning(request, str(exc))
        return None


def _reference_choice(request, reference: Area | None) -> dict:
    groups = list(Area.objects.custom_groups_for(request.user).order_by("name").only("code", "name"))
    return {"reference_groups": groups, "reference": reference}


@access.rule("public")
def chart_csv(request, pk: int):
    """A chart's data table as CSV (semicolon and decimal comma, as Danish spreadsheets expect). Public: the tables
    hold national figures only (a target is a line in the figure, never a column)."""
    chart = get_object_or_404(ChartSnapshot.objects.select_related("area"), pk=pk)
    return tabular.download(*exports.chart_csv(chart))


def _comparison_page(request) -> str | None:
    """The key of a comparison page: each known choice at its value, a default as absent, so unknown parameters
    make no page of their own (an invalid value is a 400, which is not kept). A download is not kept, nor a form
    that still names the indicator shown before (see comparison)."""
    if request.GET.get("format") or _changed_indicator(request):
        return None
    return urlencode(
        sorted(
            (k, v)
            for k, v in request.GET.items()
            if k in COMPARISON_CHOICES and v and v != COMPARISON_DEFAULTS.get(k) and (k != "alle" or v == "1")
        )
    )


def _changed_indicator(request) -> bool:
    chosen, shown = request.GET.get("indikator"), request.GET.get("fra")
    return bool(shown and chosen and shown != chosen)


@access.rule("public")
@kept_pages.keep(_comparison_page)
def comparison(request):
    """All municipalities (or jobcentres, regions, RAR areas) side by side on one national indicator. National
    figures are public on Jobindsats, so anyone may compare them, logged in or not; own indicators are not offered.
    Every choice is in the URL, so a link reproduces the view; `format=csv|xlsx` downloads the table as shown. Kept
    whole per reader, choice and data version (kept_pages): a view asked for again costs no query."""
    if _changed_indicator(request):
        # Another indicator was chosen in the form, which still held the one shown's period and breakdown: they
        # are dropped (each indicator has its own), so the new one opens at its defaults and the URL says so.
        kept = request.GET.copy()
        for name in ("fra", "periode", "opdeling"):
            kept.pop(name, None)
        return redirect(f"{request.path}?{kept.urlencode()}")
    return _comparison(request)


COMPARISON_CHOICES = {
    "indikator",
    "periode",
    "opdeling",
    "niveau",
    "sorter",
    "retning",
    "kort",
    "alle",
    *compare.FILTERS,
}
COMPARISON_DEFAULTS = {"niveau": "kommuner", "sorter": "placering", "retning": "op", "kort": "vaerdi"}


def _comparison(request):
    params = request.GET
    goal_set = GoalSet.objects.current()
    links = progress.headline_links(goal_set) if goal_set else []
    default = links[0].indicator.code if links else compare.indicators().values_list("code", flat=True).first()
    indicator = compare.indicators().filter(code=params.get("indikator") or default).first()
    own = access.own_municipality_codes(request.user)
    error, result = None, None
    if indicator is None:
        error = _("There is no national indicator %(code)r to compare.") % {"code": params.get("indikator")}
    elif params.get("retning", COMPARISON_DEFAULTS["retning"]) not in {"op", "ned"}:
        error = _("Unknown order %(value)r: ascending is 'op', descending 'ned'.") % {"value": params["retning"]}
    elif params.get("kort", COMPARISON_DEFAULTS["kort"]) not in maps.MODES:
        words = {"value": params["kort"], "modes": ", ".join(maps.MODES)}
        error = _("Unknown map colouring %(value)r: choose one of %(modes)s.") % words
    else:
        try:
            result = compare.build(
                indicator,
                period=params.get("periode") or None,
                breakdown=params.get("opdeling"),
                level=params.get("niveau", COMPARISON_DEFAULTS["niveau"]),
                sort=params.get("sorter", COMPARISON_DEFAULTS["sorter"]),
                descending=params.get("retning") == "ned",
                filters={n: params.get(n, "") for n in compare.FILTERS},
                own=own,
                user=request.user,
            )
        except compare.ComparisonError as exc:
            error = str(exc)
    chart = None
    if result is not None and result.period:
        ranked = sorted((r for r in result.rows if r.rank is not None), key=lambda r: r.rank)
        country = result.country
        chart = charts.ranking(
            "comparison",
            f"{result.indicator.name}, {period_label(result.period)}",
            [(r.area.name, float(r.value), r.own) for r in ranked],
            unit=result.indicator.unit,
            reference=(country.area.name, float(country.value)) if country and country.value is not None else None,
        )
    if result is not None:
        shown = windows.near(result.rows, lambda row: row.own)
        for i, row in enumerate(result.rows):
            row.near = i in shown
            row.link = row.area.get_absolute_url()  # every area's national figures are public
    if result is not None and params.get("format") in tables.FORMATS:
        return tables.response(tables.comparison(result), params["format"])
    context = {
        "result": result,
        "error": error,
        "indicators": compare.indicators(),
        "levels": compare.LEVELS,
        "filter_choices": compare.filter_choices(request.user),
        "sorts": compare.SORTS,
        "params": params,
        "chart": chart,
    }
    if result is not None and result.period:  # after the links: the map opens the same pages as the table
        context["map"] = maps.comparison_map(result, mode=params.get("kort"))
    response = render(request, "dashboard/comparison.html", context, status=400 if error else 200)
    response.kept = not (result and result.notices)  # a choice replaced by a default is not a page of its own
    return response


@access.rule("public")
def benchmark_page(request):
    """The ministry's benchmark (Y30R21), as published nationally: ranks checked against the figures, the rank's
    range, the follow-up list, expected against actual share and a municipality's rank history. Choices in the URL:
    periode, ydelsesgruppe, perioder (N for the list), kommune (whose history); `format=csv|xlsx` with
    `tabel=rangering|opfoelgning|placeringer` downloads that table as shown."""
    params = request.GET
    raw_n, fmt, which = params.get("perioder", "2"), params.get("format", ""), params.get("tabel", "rangering")
    error, page = None, None
    try:
        if not (raw_n.isascii() and raw_n.isdigit()):  # "²" is a digit to str.isdigit, not to int()
            raise bench.BenchmarkError(_("the number of periods must be a whole number, not %(n)r") % {"n": raw_n})
        if fmt and (fmt not in tables.FORMATS or which not in tables.BENCHMARK_TABLES):
            words = {"table": which, "format": fmt}
            raise bench.BenchmarkError(_("no table %(table)r as %(format)r to download") % words)
        page = bench.build(
            period=params.get("periode") or None,
            group=params.get("ydelsesgruppe", ""),
            follow_periods=int(raw_n),
            own=access.own_municipality_codes(request.user),
            municipality=params.get("kommune") or None,
        )
    except bench.BenchmarkError as exc:
        error = str(exc)
    if page is not None and page.period and fmt:
        return tables.response(tables.BENCHMARK_TABLES[which](page), fmt)
    context = {"page": page, "error": error, "n": raw_n, "params": params, "scatter": None, "history": None}
    if page is not None and page.period:
        context.update(
            scatter=bench.scatter(page), history=bench.rank_history(page), municipalities=bench.municipalities(page)
        )
        context["links"] = _area_links(page.names)
        shown = windows.near(page.rows, lambda row: row.own)
        for i, row in enumerate(page.rows):
            row.near = i in shown
    return render(request, "dashboard/benchmark.html", context, status=400 if error else 200)


def _area_links(area_ids) -> dict[int, str]:
    """Each municipality's page: its national figures are public, so every reader may follow the link."""
    areas = Area.objects.filter(pk__in=list(area_ids), kind=Area.Kind.MUNICIPALITY)
    return {a.pk: a.get_absolute_url() for a in areas}


@access.rule("public")
def municipality_peers(request, code: str):
    municipality = get_object_or_404(Municipality, code=code)
    area = get_object_or_404(Area, kind=Area.Kind.MUNICIPALITY, municipality=municipality)
    return _peers_page(request, area, [code])


@access.rule("public")
def jobcentre_peers(request, slug: str):
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    return _peers_page(request, jobcentre, list(jobcentre.members_on().values_list("code", flat=True)))


def _peers_page(request, area: Area, member_codes: list[str]):
    """How the five comparable municipalities beside an area's figures are chosen, with the figures chosen by."""
    choice = peer_groups.explain_peers(member_codes)
    return render(request, "dashboard/peers.html", {"area": area, "choice": choice, "count": peer_groups.PEERS})


@access.rule("logged_in")
@login_required
def groups(request):
    """The reader's own groups of municipalities, and a new one saved from the form."""
    values, errors = {"name": "", "members": []}, {}
    if request.method == "POST":
        values = {"name": request.POST.get("name", ""), "members": request.POST.getlist("kommuner")}
        try:
            group = custom_groups.save(request.user, values["name"], values["members"])
        except custom_groups.GroupError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The group %(name)s is saved.") % {"name": group.name})
            return redirect("dashboard-groups")
    return _groups_page(request, None, values, errors)


@access.rule("own_group")
@login_required
def group(request, code: str):
    """One of the reader's groups: changed, or deleted (`slet`). Nobody else's group can be opened."""
    found = get_object_or_404(Area, kind=Area.Kind.CUSTOM, code=code)
    access.require(access.owns_group(request.user, found))
    values = {"name": found.name, "members": list(found.memberships.values_list("municipality_id", flat=True))}
    errors = {}
    if request.method == "POST":
        if "slet" in request.POST:
            custom_groups.delete(request.user, found)
            messages.success(request, _("The group %(name)s is deleted.") % {"name": found.name})
            return redirect("dashboard-groups")
        values = {"name": request.POST.get("name", ""), "members": request.POST.getlist("kommuner")}
        try:
            custom_groups.save(request.user, values["name"], values["members"], found)
        except custom_groups.GroupError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The group %(name)s is saved.") % {"name": values["name"].strip()})
            return redirect("dashboard-groups")
    return _groups_page(request, found, values, errors)


def _groups_page(request, editing: Area | None, values: dict, errors: dict):
    municipalities = sorted(Municipality.objects.only("code", "name"), key=lambda m: danish_sort_key(m.name))
    mine = custom_groups.owned_by(request.user).prefetch_related("members")
    shared = Area.objects.filter(kind=Area.Kind.CUSTOM, owner__isnull=True).prefetch_related("members")
    context = {
        "editing": editing,
        "values": values,
        "errors": errors,
        "municipalities": municipalities,
        "mine": mine,
        "shared": shared,
        "chosen": set(values["members"]),
    }
    return render(request, "dashboard/groups.html", context, status=400 if errors else 200)
