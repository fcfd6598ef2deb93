"""The ministry's comparison: every municipality on one national indicator, ranked, with the country as reference.
Ranks, quartiles and the country row are checked against values computed here from the observations."""

import csv
import io
from decimal import Decimal

import pytest

from indicators.models import Observation
from tests import databases, factories
from tests.factories import log_in

pytestmark = pytest.mark.django_db
URL = "/sammenligning/"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with databases.for_module(django_db_blocker, databases.demo(("MM13",))):
        yield


def _login(client, role, **scope):
    """A user named after their role; "anonymous" is a user without one."""
    return log_in(client, role, None if role == "anonymous" else role, **scope)


def _expected(period: str) -> dict[str, tuple[Decimal, int]]:
    """Rank by hand: MM13 is a share where higher is better; equal values share the better rank."""
    values = dict(
        Observation.objects.filter(
            indicator__code="MM13", measure="andel", breakdown="", period=period, area__kind="municipality"
        ).values_list("area__name", "value")
    )
    return {name: (value, 1 + sum(1 for v in values.values() if v > value)) for name, value in values.items()}


def test_the_default_view_ranks_all_98_municipalities_as_computed_from_the_observations(client, demo):
    _login(client, "ministry")
    response = client.get(URL + "?indikator=MM13")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.measure == "andel" and result.level == "kommuner" and len(result.rows) == 98 == result.ranked
    latest = Observation.objects.filter(indicator__code="MM13", area__kind="municipality").latest("period_start")
    assert result.period == latest.period
    expected = _expected(result.period)
    assert {r.area.name: (r.value, r.rank) for r in result.rows} == expected
    assert [r.rank for r in result.rows] == sorted(r.rank for r in result.rows)  # sorted by rank by default
    assert sum(1 for r in result.rows if r.quartile == 1) in (24, 25)
    country = Observation.objects.get(
        indicator__code="MM13", measure="andel", breakdown="", period=result.period, area__kind="country"
    )
    assert result.country.value == country.value
    year_before = Observation.objects.get(
        indicator__code="MM13", measure="andel", breakdown="", period=result.year_before, area__kind="country"
    )
    assert result.country.change == country.value - year_before.value
    html = response.content.decode()
    assert "Hele landet" in html and "demo" in html
    # The same figures as a chart: a bar per municipality in rank order, the country as a line, and in words.
    chart = response.context["chart"]
    ranked = sorted(result.rows, key=lambda r: r.rank)
    assert chart.figure["data"][0]["y"] == [r.area.name for r in ranked]
    assert chart.figure["layout"]["shapes"][0]["x0"] == float(country.value)
    assert chart.summary.startswith(f"{result.indicator.name}, ") and ranked[0].area.name in chart.summary
    assert 'id="figure-comparison"' in html and chart.summary in html


def test_filter_sort_and_level_come_from_the_url_and_keep_the_national_rank(client, demo):
    _login(client, "ministry")
    everyone = {r.area.name: r.rank for r in client.get(URL + "?indikator=MM13").context["result"].rows}
    capital = client.get(URL + "?indikator=MM13&region=1084&sorter=navn").context["result"]
    assert len(capital.rows) == 29  # Region Hovedstaden's municipalities
    assert [r.area.name for r in capital.rows][:2] == ["Albertslund", "Allerød"]
    assert all(r.rank == everyone[r.area.name] for r in capital.rows)  # the rank among all 98, not among 29
    descending = client.get(URL + "?indikator=MM13&sorter=vaerdi&retning=ned").context["result"]
    values = [r.value for r in descending.rows if r.value is not None]
    assert values == sorted(values, reverse=True)
    jobcentres = client.get(URL + "?indikator=MM13&niveau=jobcentre").context["result"]
    assert {r.area.kind for r in jobcentres.rows} == {"jobcentre"} and len(jobcentres.rows) >= 90


@pytest.mark.parametrize(
    "query",
    ["indikator=NOPE", "indikator=MM13&niveau=planeter", "indikator=MM13&sorter=x", "indikator=MM13&region=9999"],
)
def test_a_choice_that_names_nothing_is_a_400_that_says_which(client, demo, query):
    _login(client, "ministry")
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400 and "Sammenligningen kan ikke vises." in response.content.decode()


def test_a_period_or_breakdown_the_indicator_does_not_have_falls_back_to_its_default_and_says_so(client, demo):
    # Issue 21: a link (or the form) holding another indicator's period or breakdown showed an error.
    _login(client, "ministry")
    latest = client.get(URL + "?indikator=MM13").context["result"]
    for query, said in (
        ("&periode=1999M01", "ingen tal for januar 1999"),
        ("&opdeling=samarbejde%3DAlle+jobcentre", "ingen opdeling Alle jobcentre"),
    ):
        for _ in range(2):  # and not kept as a page of its own: the notice is said each time
            response = client.get(URL + "?indikator=MM13" + query)
            result = response.context["result"]
            assert response.status_code == 200 and said in response.content.decode()
            assert (result.period, result.breakdown) == (latest.period, latest.breakdown)
            assert [r.value for r in result.rows] == [r.value for r in latest.rows]
    breakdowns = client.get(URL + "?indikator=MM13").content.decode()
    assert ">kon=" not in breakdowns and ">Kvinder</option>" in breakdowns  # the source's labels shown, not its keys


def test_choosing_another_indicator_in_the_form_drops_the_shown_ones_period_and_breakdown(client, demo):
    _login(client, "ministry")
    response = client.get(
        URL + "?indikator=MM13&fra=MM10&periode=2021M12&opdeling=samarbejde%3DAlle+jobcentre"
        "&niveau=jobcentre&region=1084"
    )
    assert response.status_code == 302 and response["Location"] == URL + "?indikator=MM13&niveau=jobcentre&region=1084"
    same = client.get(URL + "?indikator=MM13&fra=MM13&opdeling=kon%3DKvinder")  # the same indicator: kept
    assert same.status_code == 200 and same.context["result"].breakdown == "kon=Kvinder"


def test_a_chair_sees_every_municipality_with_their_own_highlighted_and_each_linked(client, demo):
    _login(client, "chair", municipality_id="185")
    result = client.get(URL + "?indikator=MM13").context["result"]
    own = [r for r in result.rows if r.own]
    assert [r.area.name for r in own] == ["Tårnby"] and own[0].link == "/kommune/185/"
    # Every municipality's national figures are public: each name leads to its page, and the page opens.
    others = [r for r in result.rows if not r.own]
    assert len(others) == 97 and all(r.link == f"/kommune/{r.area.municipality_id}/" for r in others)
    assert client.get(others[0].link).status_code == 200


def test_the_csv_is_the_table_as_shown(client, demo):
    _login(client, "ministry")
    response = client.get(URL + "?indikator=MM13&region=1084&sorter=navn&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffDEMODATA")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    header = rows.index(["Placering", "Område", "Kode", "Værdi (pct.)", "Ændring (procentpoint)", "Kvartil", "Status"])
    assert rows[header + 1][1] == "Hele landet"  # the reference row first, as on the page
    body = rows[header + 2 : header + 31]
    assert [r[1] for r in body][:2] == ["Albertslund", "Allerød"] and len(body) == 29
    assert "," in body[0][3] and "." not in body[0][3]  # decimal comma, no thousands dot
    assert rows[header + 31] == []  # then the metadata


def test_anonymous_readers_compare_the_public_national_figures(client, demo):
    response = client.get(URL + "?indikator=MM13")
    assert response.status_code == 200
    rows = response.context["result"].rows
    assert len(rows) == 98 and not any(r.own for r in rows)
    assert rows[0].link and client.get(rows[0].link).status_code == 200


def test_ministry_staff_land_on_the_comparison_and_everyone_has_it_in_the_menu(client, demo):
    factories.user("m", "ministry", password="kodeord-til-test")
    response = client.post("/konto/log-ind/", {"username": "m", "password": "kodeord-til-test"})
    assert response.status_code == 302 and response["Location"] == URL
    menu = client.get(URL).content.decode()
    assert '<a href="/sammenligning/" class="nav-link" aria-current="page"><span>Sammenligning</span>' in menu
    assert 'href="/import/"' in menu
    client.logout()
    _login(client, "chair", municipality_id="185")
    menu = client.get("/").content.decode()
    assert 'href="/sammenligning/" class="nav-link"><span>Sammenligning</span>' in menu
    assert 'href="/import/"' not in menu
