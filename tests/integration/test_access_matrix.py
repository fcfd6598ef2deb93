"""Every URL in the URLconf, asked for by every role, about their own municipality's objects and another's: each
answer must be what the view's declared access rule says (municipalities/access.py). A view without a rule, or
one this test cannot build a URL for, fails by name; so does a view that answers otherwise than its rule (issue 10).
"""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, path, reverse
from rest_framework.views import APIView

from goals.models import ChartSnapshot, GoalSet
from indicators.models import ImportRun, Indicator
from municipalities import access, groups
from municipalities.models import Area, UserRole
from reports.models import Report
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "chief", "chair", "ministry"]
# Own is Aarhus: a jobcentre serving one municipality, so its chair may see the jobcentre's pages as well.
OWN, ANOTHER = ("751", "aarhus"), ("185", "taarnby-dragoer")
CSRF_SECRET = "matrix0123456789matrix0123456789"  # any 32 letters and digits do
REFUSED = {"login", "admin login", "admin index", 401, 403, 404, 405}


@dataclasses.dataclass
class Side:
    """One municipality's objects: the jobcentre serving it, an own indicator, a chart and an import run."""

    code: str
    jobcentre: Area
    indicator: Indicator
    chart: ChartSnapshot
    run: ImportRun
    group: Area | None = None  # a custom group, its owner's alone
    report: Report | None = None  # a committee report of the municipality, built


@dataclasses.dataclass
class World:
    users: dict[str, object]
    sides: dict[str, Side]


# The arguments each URL takes for one side, and the object its rule is asked about.
URLS: dict[str, Callable[[Side], tuple[dict, object]]] = {
    "dashboard-municipality": lambda s: ({"code": s.code}, s.code),
    "dashboard-municipality-goal": lambda s: ({"code": s.code, "goal": 2}, s.code),
    "dashboard-jobcentre": lambda s: ({"slug": s.jobcentre.code}, s.jobcentre),
    "dashboard-jobcentre-goal": lambda s: ({"slug": s.jobcentre.code, "goal": 2}, s.jobcentre),
    "goals-targets": lambda s: ({"slug": s.jobcentre.code, "goal": 2}, s.jobcentre),
    "goals-local-indicators": lambda s: ({"slug": s.jobcentre.code}, s.jobcentre),
    "goals-local-indicator": lambda s: ({"slug": s.jobcentre.code, "code": s.indicator.code}, s.jobcentre),
    "dashboard-chart-csv": lambda s: ({"pk": s.chart.pk}, s.chart),
    "indicators-import-run": lambda s: ({"pk": s.run.pk}, s.run),
    "indicators-import-run-status": lambda s: ({"pk": s.run.pk}, s.run),
    "api-indicator-detail": lambda s: ({"code": s.indicator.code}, s.indicator),
    "dashboard-municipality-peers": lambda s: ({"code": s.code}, s.code),
    "dashboard-jobcentre-peers": lambda s: ({"slug": s.jobcentre.code}, s.jobcentre),
    "dashboard-group": lambda s: ({"code": s.group.code}, s.group),
    "reports-municipality": lambda s: ({"code": s.code}, s.code),
    "reports-jobcentre": lambda s: ({"slug": s.jobcentre.code}, s.jobcentre),
    "reports-texts-municipality": lambda s: ({"code": s.code}, s.report.area),
    "reports-texts-jobcentre": lambda s: ({"slug": s.jobcentre.code}, s.jobcentre),
    "reports-report": lambda s: ({"pk": s.report.pk}, s.report),
    "reports-report-status": lambda s: ({"pk": s.report.pk}, s.report),
    "reports-download": lambda s: ({"pk": s.report.pk}, s.report),
}
# The admin refuses anyone but staff before it reads its arguments, so any of the right shape will do; its URLs
# are filled in from the route, as some have no name.
ADMIN_ARGUMENTS = {"object_id": "1", "content_type_id": "1", "id": "1", "app_label": "auth", "url": "nowhere/"}
ADMIN_ARGUMENT = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")
# What a GET answers to whom the rule lets in, where that is not a page.
ALLOWED_GET = {"logout": 405, "set_language": 302}
# The admin sends whoever asks to log out of it without being staff to its index, which asks them to log in.
REFUSED_GET = {"admin:logout": "admin index"}
# Something for each write view to save, should it fail to refuse.
PAYLOAD = {
    "commentary": "x",
    "name": "x",
    "definition": "x",
    "unit": "percent",
    "frequency": "M",
    "polarity": "higher",
    "goal": "2",
    "period": "2020M01",
    "value": "1",
}


@dataclasses.dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None  # with its namespaces, as reverse() takes it
    namespaces: tuple[str, ...]
    callback: Callable
    arguments: frozenset[str]

    def __str__(self) -> str:
        return f"{self.name or '(unnamed)'} [{self.route}]"


def patterns(resolver: URLResolver | None = None, prefix: str = "", namespaces: tuple = (), arguments=frozenset()):
    """Every URL pattern, the included URLconfs' too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        names = arguments | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from patterns(entry, route, inner, names)
        else:
            name = ":".join([*namespaces, entry.name]) if entry.name else None
            yield Pattern(route, name, namespaces, entry.callback, frozenset(names))


class CannotBuild(Exception):
    pass


def urls(pattern: Pattern, world: World) -> Iterator[tuple[str, str, object]]:
    """(whose, url, object for the rule): one per side for a URL that names an object, else one."""
    if pattern.name in URLS:
        for whose, side in world.sides.items():
            kwargs, obj = URLS[pattern.name](side)
            yield whose, reverse(pattern.name, kwargs=kwargs), obj
    elif pattern.namespaces[:1] == ("admin",) and pattern.arguments <= set(ADMIN_ARGUMENTS):
        route = ADMIN_ARGUMENT.sub(lambda m: ADMIN_ARGUMENTS[m[1] or m[2]], pattern.route)
        yield "-", "/" + route.replace("^", "").replace("$", ""), None
    elif pattern.name is None:
        raise CannotBuild("it has no name")
    elif not pattern.arguments:
        yield "-", reverse(pattern.name), None
    else:
        raise CannotBuild(f"no entry in URLS for its arguments {sorted(pattern.arguments)}")


# Past the admin's door (staff), what a staff member may see is the admin's own model permissions (ministry staff:
# the catalogue, goal sets and groupings, municipalities/staff.py), tested by tests/integration/test_ministry_admin.py.
ADMIN_INSIDE = {200, 302, "admin index", 403, 404, 405}  # 405: the log-out wants a POST


def expected(pattern: Pattern, rule: str, user, obj) -> int | str | set:
    """What the rule says a GET answers: the page, or each kind of view's way of refusing."""
    if access.RULES[rule](user, obj):
        if pattern.namespaces[:1] == ("admin",) and not user.is_superuser:
            return ADMIN_INSIDE
        return ALLOWED_GET.get(pattern.name, 200)
    if pattern.name in REFUSED_GET:
        return REFUSED_GET[pattern.name]
    if pattern.namespaces[:1] == ("admin",):
        return "admin login"
    if isinstance(getattr(pattern.callback, "cls", None), type) and issubclass(pattern.callback.cls, APIView):
        # A token client is told to authenticate; what a user may not see does not exist for them.
        return 401 if not user.is_authenticated else 404
    return 403 if user.is_authenticated else "login"


def answer(response) -> int | str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(resolve_url(settings.LOGIN_URL) + "?next="):
            return "login"
        if location.startswith(reverse("admin:login") + "?next="):
            return "admin login"
        if location == reverse("admin:index"):
            return "admin index"
    return response.status_code


def fingerprint() -> list[tuple[str, str]]:
    """A digest of every table's rows but the sessions (logging in and out writes those)."""
    quote = connection.ops.quote_name
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed and not m._meta.proxy})
    tables.remove("django_session")
    sql = " UNION ALL ".join(
        f"SELECT '{t}', md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM {quote(t)} r" for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def client_for(user) -> Client:
    """A browser holding a CSRF cookie and sending its token, as a form of ours would."""
    client = Client(enforce_csrf_checks=True, HTTP_X_CSRFTOKEN=CSRF_SECRET)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    if user.is_authenticated:
        client.force_login(user)
    return client


def check(world: World) -> tuple[int, list[str]]:
    """Request every URL as every role, GET and POST; the number of requests and what differed from the rules."""
    users = {role: world.users.get(role) or AnonymousUser() for role in ROLES}
    clients = {role: client_for(user) for role, user in users.items()}
    cases, failures = 0, []
    for pattern in patterns():
        rule = access.rule_of(pattern.callback, pattern.name, list(pattern.namespaces))
        if rule is None:
            failures.append(f"{pattern}: no access rule declared (@access.rule or access.URL_RULES)")
            continue
        try:
            built = list(urls(pattern, world))
        except (CannotBuild, NoReverseMatch) as exc:
            failures.append(f"{pattern}: the test cannot build its URL: {exc}")
            continue
        for whose, url, obj in built:
            data = {**PAYLOAD, "municipality": world.sides.get(whose, world.sides["own"]).code}
            for role, user in users.items():
                where = f"{url} ({pattern}, rule {rule}) as {role}, {whose}"
                failures += check_one(clients[role], user, pattern, rule, url, obj, data, where)
                cases += 2
    return cases, failures


def check_one(client: Client, user, pattern: Pattern, rule: str, url: str, obj, data: dict, where: str) -> list[str]:
    """A GET answers as the rule says; a POST from a role the rule refuses is refused and writes nothing."""
    failures = []
    allowed = access.RULES[rule](user, obj)
    want, got = expected(pattern, rule, user, obj), answer(client.get(url))
    if got not in (want if isinstance(want, set) else {want}):
        failures.append(f"GET {where}: {got}, expected {want}")
    before = None if allowed else fingerprint()
    got = answer(client.post(url, data))
    if user.is_authenticated and "_auth_user_id" not in client.session:
        client.force_login(user)  # it was a log-out
    if not allowed:
        changed = fingerprint() != before
        if got not in REFUSED or changed:
            changes = "data" if changed else "nothing"
            failures.append(f"POST {where}: {got} with {changes} changed; expected refused, nothing changed")
    elif (got == 403 and want is not ADMIN_INSIDE) or (isinstance(got, int) and got >= 500):
        # a 403 here would be a bad CSRF token (in the admin, it may be a model permission)
        failures.append(f"POST {where}: {got}, expected let through")
    return failures


def _side(code: str, slug: str, release: ImportRun) -> Side:
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug)
    indicator = Indicator.objects.create(
        code=f"LOK-{code}-1",
        name_da="Egen",
        name_en="Own",
        unit="percent",
        polarity="higher",
        frequency="M",
        scope="local",
        municipality_id=code,
    )
    chart = ChartSnapshot.objects.create(
        area=jobcentre,
        goal_set=GoalSet.objects.get(year=2020),
        key="MM13",
        language="da",
        goal_number=2,
        data_version=1,
        title="MM13",
        figure={},
        table={"columns": ["Periode"], "rows": [["2020M01"]]},
        summary="",
    )
    report = Report.objects.create(
        area=Area.objects.get(kind=Area.Kind.MUNICIPALITY, municipality_id=code),
        release=release,
        format="csv",
        year=2020,
        status="done",
        content=b"\xef\xbb\xbfx",
        filename=f"{code}.csv",
        content_type="text/csv",
    )
    run = ImportRun.objects.create(source="manual", origin=f"{code}.csv")
    return Side(code, jobcentre, indicator, chart, run, report=report)


@pytest.fixture
def world() -> World:
    # Two data releases: the reports are of the older, so that a target saved by the matrix (which makes the current
    # release's reports stale, reports/signals.py) leaves them; the pages offer the newer.
    older = ImportRun.objects.create(source="demo", status="succeeded", rows_created=1)
    own, another = _side(*OWN, older), _side(*ANOTHER, older)
    ImportRun.objects.create(source="demo", status="succeeded", rows_created=1)
    users = {
        "chief": factories.user("chief", UserRole.Role.CHIEF, jobcentre=own.jobcentre),
        "chair": factories.user("chair", UserRole.Role.CHAIR, municipality_id=own.code),
        "ministry": factories.user("ministry", UserRole.Role.MINISTRY),
    }
    own.group = groups.save(users["chief"], "Chefens gruppe", ["751", "101"])
    another.group = groups.save(
        factories.user("stranger", UserRole.Role.CHIEF, jobcentre=another.jobcentre), "Fremmed gruppe", ["185", "101"]
    )
    return World(users, {"own": own, "another": another})


def test_every_url_answers_every_role_as_its_rule_says(world):
    """Over 20 s: every URL of the URLconf asked as every role and area (about 1,560 requests, each a full page)."""
    assert set(URLS) <= {pattern.name for pattern in patterns()}, "URLS names a URL the URLconf no longer has"

    cases, failures = check(world)

    print(f"access matrix: {cases} cases, {len(failures)} failures")
    assert not failures, f"{len(failures)} of {cases} cases differ from the declared rules:\n" + "\n".join(failures)


def _undeclared(request):
    return HttpResponse("no rule")


@access.rule("public")
def _public(request, thing: int | None = None):
    return HttpResponse("public")


def test_a_view_without_a_rule_or_a_buildable_url_fails_by_name(world, settings):
    urlconf = types.ModuleType("undeclared_urls")
    urlconf.urlpatterns = [
        path("public/", _public, name="public"),
        path("undeclared/", _undeclared, name="undeclared"),
        path("thing/<int:thing>/", _public, name="thing"),
    ]
    settings.ROOT_URLCONF = urlconf

    cases, failures = check(world)

    assert cases == 2 * len(ROLES)  # the declared one, GET and POST
    assert len(failures) == 2
    assert failures[0].startswith("undeclared [undeclared/]: no access rule declared")
    assert failures[1].startswith("thing [thing/<int:thing>/]: the test cannot build its URL")


def test_a_post_without_the_csrf_token_is_refused_even_to_the_chief(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["chief"])
    before = fingerprint()

    response = client.post(reverse("goals-targets", kwargs={"slug": OWN[1], "goal": 2}), PAYLOAD)

    assert response.status_code == 403
    assert fingerprint() == before


def _private(world: World) -> list:
    """Each side's objects that are its municipality's or its owner's alone: the own indicator, its source column,
    goal link, figure and upload run, and the custom group with its memberships."""
    from goals.models import Goal, GoalIndicator
    from indicators.models import SourceColumn

    found = []
    for side in world.sides.values():
        indicator = side.indicator
        column = SourceColumn.objects.create(indicator=indicator, role="measure", key="value", label="Egen kolonne")
        link = GoalIndicator.objects.create(
            goal=Goal.objects.filter(number=2).first(), indicator=indicator, role="local", order=101
        )
        area = Area.objects.get(kind="municipality", municipality_id=side.code)
        figure = factories.observation(indicator, area, value=7, retrieved_at="2020-02-01T00:00Z")
        found += [indicator, column, link, figure, side.run, side.group, *side.group.memberships.all()]
    return found


def test_ministry_staff_in_the_admin_never_reach_a_municipalitys_or_users_own_objects(world):
    """Issue 20, point 1: every add and change URL of every model in the admin, as ministry staff. A municipality's
    own objects and a user's group are not found (the admin's "does not exist", or refused), a POST to them changes
    nothing, and no add or change form offers or names one of them."""
    from django.contrib import admin

    ministry = world.users["ministry"]
    client = client_for(ministry)
    private = _private(world)
    names = {obj.code for obj in private if isinstance(obj, Indicator)} | {s.group.name for s in world.sides.values()}
    cases, failures = 0, []
    before = fingerprint()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        add = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        shared = model_admin.get_queryset(_request_for(ministry)).order_by("pk").first()
        pages = [add] + (
            [reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[shared.pk])]
            if shared is not None
            else []
        )
        for url in pages:
            cases += 1
            response = client.get(url)
            shown = response.content.decode() if response.status_code == 200 else ""
            failures += [f"GET {url}: names {name!r}" for name in names if name in shown]
        for obj in (o for o in private if isinstance(o, model)):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            for method in ("GET", "POST"):
                cases += 1
                got = answer(client.get(url) if method == "GET" else client.post(url, {"_save": "1"}))
                if got not in {"admin index", 403, 404}:
                    failures.append(f"{method} {url} ({meta.label} {obj.pk}, private): {got}")
    print(f"admin matrix for ministry staff: {cases} cases, {len(failures)} failures")
    assert cases > 40
    assert not failures, "\n".join(failures)
    assert fingerprint() == before


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
