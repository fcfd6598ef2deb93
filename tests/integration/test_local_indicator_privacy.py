"""A municipality's own (local) indicators are working material: only users who may see that municipality see them
or their figures, on the front page and in the API (issue 10)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from goals.models import Goal, GoalIndicator
from indicators.models import Indicator, Observation
from municipalities.models import Area
from tests import factories
from tests.factories import log_in

pytestmark = pytest.mark.django_db

TAARNBY, AARHUS = "LOK-185-1", "LOK-751-1"
NAMES = {TAARNBY: "Borgere med handicap i job", AARHUS: "Unge i fleksjob"}

# Who sees which own indicator: Tårnby's belongs to Jobcenter Tårnby-Dragør, Aarhus's to Jobcenter Aarhus.
USERS = {
    "chief-taarnby-dragoer": ({"role": "chief", "jobcentre": "taarnby-dragoer"}, {TAARNBY}),
    "chief-aarhus": ({"role": "chief", "jobcentre": "aarhus"}, {AARHUS}),
    "chair-aarhus": ({"role": "chair", "municipality_id": "751"}, {AARHUS}),
    # In Tårnby's jobcentre, but a chair sees their own municipality only.
    "chair-dragoer": ({"role": "chair", "municipality_id": "155"}, set()),
    "ministry": ({"role": "ministry"}, {TAARNBY, AARHUS}),
    "no-role": (None, set()),
}


def _own_indicator(code: str, municipality: str) -> Indicator:
    indicator = Indicator.objects.create(
        code=code,
        name_da=NAMES[code],
        name_en=NAMES[code],
        unit="percent",
        polarity="higher",
        frequency="M",
        scope="local",
        municipality_id=municipality,
    )
    GoalIndicator.objects.create(
        goal=Goal.objects.get(goal_set__year=2020, number=3), indicator=indicator, role="local", order=101
    )
    Observation.objects.create(
        indicator=indicator,
        area=Area.objects.get(kind="municipality", code=municipality),
        period="2020M03",
        period_start=dt.date(2020, 3, 1),
        period_end=dt.date(2020, 3, 31),
        value=Decimal("12.5"),
        source="manual",
        retrieved_at=timezone.now(),
    )
    return indicator


@pytest.fixture(autouse=True)
def own_indicators():
    _own_indicator(TAARNBY, "185")
    _own_indicator(AARHUS, "751")
    national = Indicator.objects.get(code="MM10")
    factories.observation(
        national, Area.objects.get(kind="municipality", code="185"), "2020M03", Decimal("40"), source="api_v3"
    )


def _national_name() -> str:
    # The front page names indicators, it does not show their codes (issue 12).
    return Indicator.objects.get(code="MM10").name_da


def _log_in(client, name: str):
    """Log in as one of USERS, a jobcentre's code in their scope resolved to its Area."""
    scope = dict(USERS[name][0] or {})
    if "jobcentre" in scope:
        scope["jobcentre"] = Area.objects.get(kind="jobcentre", code=scope["jobcentre"])
    log_in(client, name, **scope)
    return client


def _shown(html: str) -> set[str]:
    return {code for code in NAMES if code in html or NAMES[code] in html}


def test_anonymous_visitors_see_no_own_indicators_on_the_front_page(client):
    html = client.get("/").content.decode()
    assert _national_name() in html and "LOK-" not in html and not _shown(html)


def test_anonymous_visitors_get_nothing_from_the_api(client):
    for url in ["/api/v1/indicators/", f"/api/v1/indicators/{TAARNBY}/", f"/api/v1/observations/?indicator={TAARNBY}"]:
        response = client.get(url)
        assert response.status_code in (401, 403) and b"LOK-" not in response.content


@pytest.mark.parametrize("name", list(USERS))
def test_the_front_page_lists_own_indicators_only_to_those_who_may_see_them(client, name):
    html = _log_in(client, name).get("/").content.decode()
    assert _national_name() in html
    assert _shown(html) == USERS[name][1]


@pytest.mark.parametrize("name", list(USERS))
def test_the_indicator_list_and_detail_hold_only_visible_own_indicators(client, name):
    api = _log_in(client, name)
    visible = USERS[name][1]
    codes = {row["code"] for row in api.get("/api/v1/indicators/", {"page_size": 5000}).json()["results"]}
    assert "MM10" in codes
    assert codes & set(NAMES) == visible
    for code in NAMES:
        response = api.get(f"/api/v1/indicators/{code}/")
        assert response.status_code == (200 if code in visible else 404)
        if code in visible:
            assert response.json()["scope"] == "local" and response.json()["goals"] == ["2020.3"]
    assert api.get("/api/v1/indicators/MM10/").status_code == 200


@pytest.mark.parametrize("name", list(USERS))
def test_observations_of_own_indicators_only_for_those_who_may_see_them(client, name):
    api = _log_in(client, name)
    visible = USERS[name][1]
    rows = api.get("/api/v1/observations/").json()["results"]
    assert {row["indicator"] for row in rows} == {"MM10", *visible}
    for code in NAMES:
        response = api.get("/api/v1/observations/", {"indicator": code})
        if code in visible:
            assert response.status_code == 200
            assert [(r["indicator"], r["value"]) for r in response.json()["results"]] == [(code, 12.5)]
        else:
            # Told apart from nothing: the same answer as for a code that was never defined.
            assert response.status_code == 400
            assert response.json() == {"indicator": [f"Unknown indicator code: {code}"]}
        # Asked together with a national one, the hidden one is not half-answered either.
        both = api.get("/api/v1/observations/", {"indicator": f"MM10,{code}"})
        assert both.status_code == (200 if code in visible else 400)
    by_area = api.get("/api/v1/observations/", {"area": "185,751", "area_kind": "municipality"}).json()["results"]
    assert {row["indicator"] for row in by_area} == {"MM10", *visible}
    # There is no way to a single observation by id.
    observation = Observation.objects.filter(indicator__code=TAARNBY).get()
    assert api.get(f"/api/v1/observations/{observation.pk}/").status_code == 404


def test_a_visible_own_indicator_is_found_like_a_national_one_for_its_chief(client):
    api = _log_in(client, "chief-taarnby-dragoer")
    page = api.get("/api/v1/observations/", {"indicator": f"MM10,{TAARNBY}", "area": "185"}).json()
    assert sorted(row["indicator"] for row in page["results"]) == [TAARNBY, "MM10"]
    assert page["demo"] is False


@pytest.mark.parametrize("name", list(USERS))
def test_the_list_rule_is_the_page_rule(client, name):
    """visible_municipalities, which filters the lists, says what can_view_municipality says page by page."""
    from municipalities import access
    from municipalities.models import Municipality

    user = User.objects.get(pk=_log_in(client, name).session["_auth_user_id"])
    codes = set(Municipality.objects.values_list("code", flat=True))
    visible = access.visible_municipalities(user)
    listed = (
        codes if visible is None else set(Municipality.objects.filter(code__in=visible).values_list("code", flat=True))
    )
    assert listed == {code for code in codes if access.can_view_municipality(user, code)}
    assert bool(listed) == (name != "no-role")


def test_a_neighbours_row_under_an_own_indicator_is_read_by_nobody_through_the_api(client):
    """R11: a Dragør row stored under Tårnby's own indicator (as the form and uploads let a chief do before they
    refused it) is not read through the indicator: reads filter by the row's area as well as the indicator."""
    factories.observation(
        Indicator.objects.get(code=TAARNBY), Area.objects.get(kind="municipality", code="155"), "2020M03", Decimal("99")
    )
    for name in ("chief-taarnby-dragoer", "ministry"):
        api = _log_in(client, name)
        rows = api.get("/api/v1/observations/", {"indicator": TAARNBY}).json()["results"]
        assert [Decimal(str(row["value"])) for row in rows] == [Decimal("12.5")], (name, rows)
