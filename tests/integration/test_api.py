"""The analysts' read-only JSON API under /api/v1/ (indicators/api.py), against the real test database."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from indicators.api import DEMO_NOTICE
from indicators.models import ImportRun, Indicator, Observation
from municipalities.models import Area
from tests import factories

pytestmark = pytest.mark.django_db

OBSERVATIONS = "/api/v1/observations/"


@pytest.fixture
def user(django_user_model):
    return factories.user("analyst", password="a-long-test-password")


@pytest.fixture
def api(client, user):
    client.force_login(user)
    return client


def month(year: int, number: int) -> tuple[str, dt.date, dt.date]:
    start = dt.date(year, number, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return f"{year}M{number:02d}", start, end


def make_observations(n: int, indicator: str = "MM10", *, demo: bool = False, first_month: int = 1, **extra):
    """n observations of one indicator: every municipality for a month, then the next month."""
    municipalities = list(Area.objects.filter(kind=Area.Kind.MUNICIPALITY).order_by("code"))
    ind = Indicator.objects.get(code=indicator)
    now = timezone.now()
    rows = []
    for i in range(n):
        period, start, end = month(2020, first_month + i // len(municipalities))
        rows.append(
            Observation(
                indicator=ind,
                area=municipalities[i % len(municipalities)],
                period=period,
                period_start=start,
                period_end=end,
                breakdown="samarbejde=Alle jobcentre",
                measure="samarbejdsgrad",
                value=Decimal("12.5") + i,
                numerator=Decimal(25 + i),
                denominator=Decimal(200),
                is_demo=demo,
                source=Observation.Source.DEMO if demo else Observation.Source.API_V3,
                retrieved_at=now,
                **extra,
            )
        )
    return Observation.objects.bulk_create(rows)


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# Authentication


@pytest.mark.parametrize("url", ["/api/v1/indicators/", "/api/v1/areas/", OBSERVATIONS, "/api/v1/schema/"])
def test_anonymous_requests_are_refused(client, url):
    assert client.get(url).status_code in (401, 403)


def test_session_log_in_gives_access(client, user):
    assert client.login(username="analyst", password="a-long-test-password")
    assert get(client, "/api/v1/indicators/")["count"] >= 3


def test_token_gives_access_and_a_wrong_token_does_not(user):
    token = Token.objects.create(user=user)
    assert Client(HTTP_AUTHORIZATION=f"Token {token.key}").get("/api/v1/areas/").status_code == 200
    assert Client(HTTP_AUTHORIZATION="Token not-a-real-token").get("/api/v1/areas/").status_code == 401


def test_the_api_is_read_only(api):
    assert api.post(OBSERVATIONS, {}, content_type="application/json").status_code == 405
    assert api.delete("/api/v1/indicators/MM10/").status_code == 405


# Indicators and areas


def test_indicators_list_their_goals(api):
    indicators = {row["code"]: row for row in get(api, "/api/v1/indicators/")["results"]}
    mm10 = indicators["MM10"]
    assert mm10["goals"] == ["2020.1"]
    assert indicators["MM13"]["goals"] == ["2020.2"]
    assert mm10["unit"] == "percent" and mm10["polarity"] == "higher" and mm10["frequency"] == "M"
    assert mm10["scope"] == "national" and mm10["is_proxy"] is False and mm10["source_table"] == "MM10"
    assert mm10["name_da"] == "Samarbejdsgrad med virksomheder"
    assert get(api, "/api/v1/indicators/MM10/")["goals"] == ["2020.1"]


def test_areas_filter_by_kind(api):
    municipalities = get(api, "/api/v1/areas/", kind="municipality")
    assert municipalities["count"] == 98
    fanoe = next(area for area in municipalities["results"] if area["code"] == "563")
    assert fanoe == {
        "kind": "municipality",
        "code": "563",
        "name": "Fanø",
        "valid_from": None,
        "valid_to": None,
        "kommunekode": "563",
    }
    jobcentres = get(api, "/api/v1/areas/", kind="jobcentre")["results"]
    assert len(jobcentres) == 94 and all(area["kommunekode"] is None for area in jobcentres)
    both = get(api, "/api/v1/areas/", kind="municipality,jobcentre")
    assert both["count"] == 98 + 94
    assert api.get("/api/v1/areas/", {"kind": "county"}).status_code == 400


# Observations


def test_observation_fields_are_typed_and_carry_provenance(api):
    run = ImportRun.objects.create(source="api_v3", table="MM10")
    make_observations(1, import_run=run, query="/v3/data/mm10_1/json")
    factories.observation(
        Indicator.objects.get(code="MM10"),
        Area.objects.get(kind="country", code="dk"),
        measure="samarbejdsgrad",
        source=Observation.Source.API_V3,
    )
    rows = get(api, OBSERVATIONS, indicator="MM10")["results"]
    municipal = next(row for row in rows if row["area"]["kind"] == "municipality")
    assert municipal["indicator"] == "MM10"
    assert municipal["area"] == {"kind": "municipality", "code": "101", "name": "København"}
    assert municipal["period"] == "2020M01"
    assert (municipal["period_start"], municipal["period_end"]) == ("2020-01-01", "2020-01-31")
    assert municipal["breakdown"] == "samarbejde=Alle jobcentre" and municipal["measure"] == "samarbejdsgrad"
    assert municipal["value"] == 12.5 and isinstance(municipal["value"], float)
    assert municipal["numerator"] == 25 and municipal["denominator"] == 200
    assert municipal["status"] == "final" and municipal["is_demo"] is False and municipal["is_derived"] is False
    provenance = municipal["provenance"]
    assert provenance["source"] == "api_v3" and provenance["query"] == "/v3/data/mm10_1/json"
    assert provenance["import_run"] == run.pk and provenance["retrieved_at"]
    suppressed = next(row for row in rows if row["area"]["code"] == "dk")
    assert suppressed["value"] is None and suppressed["status"] == "suppressed" and suppressed["breakdown"] == ""


def test_numbers_are_json_numbers_not_strings(api):
    make_observations(3)
    text = api.get(OBSERVATIONS).content.decode()
    rows = json.loads(text)["results"]
    assert all(isinstance(row[key], int | float) for row in rows for key in ("value", "numerator", "denominator"))
    assert '"value":"' not in text.replace(" ", "")


def test_filters_take_several_values_repeated_or_comma_separated(api):
    make_observations(98 * 3)  # MM10, 2020M01–M03
    make_observations(98, "MM13")
    assert get(api, OBSERVATIONS)["count"] == 98 * 4
    assert get(api, OBSERVATIONS, indicator="MM13")["count"] == 98
    assert get(api, OBSERVATIONS, indicator=["MM10", "MM13"], area="101")["count"] == 4
    assert get(api, OBSERVATIONS, indicator="MM10,MM13", area="101,563")["count"] == 8
    assert get(api, OBSERVATIONS, indicator="MM10", period=["2020M01", "2020M03"], area="101")["count"] == 2
    assert get(api, OBSERVATIONS, period="2020M02,2020M03", area_kind="municipality")["count"] == 98 * 2
    assert get(api, OBSERVATIONS, measure="samarbejdsgrad,other", area="101")["count"] == 4
    assert get(api, OBSERVATIONS, measure="other")["count"] == 0
    assert get(api, OBSERVATIONS, breakdown="samarbejde=Alle jobcentre", area="101")["count"] == 4
    assert get(api, OBSERVATIONS, breakdown="", area="101")["count"] == 0  # an empty breakdown is the total
    rows = get(api, OBSERVATIONS, indicator="MM13,MM10", area="563", period="2020M01")["results"]
    assert sorted(row["indicator"] for row in rows) == ["MM10", "MM13"]
    assert {row["area"]["code"] for row in rows} == {"563"}


def test_unknown_codes_in_filters_are_a_400_naming_them(api):
    response = api.get(OBSERVATIONS, {"indicator": ["MM10", "NOPE1,NOPE2"]})
    assert response.status_code == 400
    message = json.dumps(response.json())
    assert "NOPE1" in message and "NOPE2" in message and "MM10" not in message
    response = api.get(OBSERVATIONS, {"area": "101,atlantis"})
    assert response.status_code == 400 and "atlantis" in json.dumps(response.json())


def test_pagination(api):
    make_observations(98 * 6)  # 588 rows
    first = get(api, OBSERVATIONS)
    assert first["count"] == 588 and len(first["results"]) == 500
    assert first["previous"] is None and "page=2" in first["next"]
    second = get(api, OBSERVATIONS, page=2)
    assert len(second["results"]) == 88 and second["next"] is None
    keys = {(r["indicator"], r["area"]["code"], r["period"]) for r in first["results"] + second["results"]}
    assert len(keys) == 588  # no row twice, none lost
    small = get(api, OBSERVATIONS, page_size=100, page=6)
    assert len(small["results"]) == 88 and "page_size=100" in small["previous"]
    assert len(get(api, OBSERVATIONS, page_size=100_000)["results"]) == 588  # capped at 5000, not refused


def test_pages_with_demo_rows_say_so_and_others_do_not(api):
    make_observations(10)
    real = get(api, OBSERVATIONS)
    assert real["demo"] is False and "notice" not in real

    make_observations(10, "MM13", demo=True)
    mixed = get(api, OBSERVATIONS)
    assert mixed["demo"] is True and mixed["notice"] == DEMO_NOTICE
    assert DEMO_NOTICE == "Demo data: generated figures, not real Jobindsats figures."
    assert {row["is_demo"] for row in mixed["results"] if row["indicator"] == "MM13"} == {True}
    assert mixed["results"][-1]["provenance"]["source"] == "demo"

    only_real = get(api, OBSERVATIONS, indicator="MM10")
    assert only_real["demo"] is False and "notice" not in only_real


def test_query_count_does_not_grow_with_the_page(api):
    make_observations(10, "MM13")
    get(api, OBSERVATIONS, indicator="MM13")  # the first request caches the user (municipalities/backends.py)
    with CaptureQueriesContext(connection) as ten:
        assert len(get(api, OBSERVATIONS, indicator="MM13", area_kind="municipality")["results"]) == 10
    make_observations(200)
    with CaptureQueriesContext(connection) as two_hundred:
        assert len(get(api, OBSERVATIONS, indicator="MM10", area_kind="municipality")["results"]) == 200
    assert len(two_hundred) == len(ten) <= 6  # session, user, indicator check, count, page


@pytest.mark.parametrize("n", [10, 200])
def test_observations_need_a_fixed_number_of_queries(api, django_assert_max_num_queries, n):
    make_observations(n)
    with django_assert_max_num_queries(5):  # session, user, indicator check, count, page
        assert len(get(api, OBSERVATIONS, indicator="MM10")["results"]) == n


def test_indicators_need_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # session, user, count, page, goal links, goals, goal sets
        get(api, "/api/v1/indicators/")


# Schema


def test_schema_is_an_openapi_3_document_with_the_three_paths(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Jobmål API" and schema["info"]["version"] == "1"
    assert {"/api/v1/indicators/", "/api/v1/areas/", "/api/v1/observations/"} <= set(schema["paths"])
    page = schema["components"]["schemas"]["PaginatedObservationList"]["properties"]
    assert "demo" in page and "notice" in page
    parameters = {p["name"] for p in schema["paths"]["/api/v1/observations/"]["get"]["parameters"]}
    assert {"indicator", "area", "period", "measure", "breakdown", "page", "page_size"} <= parameters
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    assert api.get("/api/v1/schema/", {"format": "yaml"}).content.startswith(b"openapi: 3.")
