"""Custom groups of municipalities: saved by a user for themselves, checked before anything is written, a filter
on the comparison and the reference on a dashboard's cards and charts; the page that explains how the comparable
municipalities are chosen. Expected figures are summed here from the observations, independently of the code."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from goals import peers as peer_groups
from indicators import aggregates
from indicators.models import Indicator, Observation
from municipalities import groups
from municipalities.models import Area, Membership
from tests import databases, factories

pytestmark = pytest.mark.django_db
CHIEF_JOBCENTRE = "taarnby-dragoer"
GROUP = ["101", "147", "751"]  # København, Frederiksberg, Aarhus


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    areas = (("jobcentre", CHIEF_JOBCENTRE), ("municipality", "751"))
    with databases.for_module(django_db_blocker, databases.demo(("MM13", "Y30R21"), areas)):
        yield


def chief(client):
    return factories.log_in(client, "chef", "chief", jobcentre=Area.objects.get(kind="jobcentre", code=CHIEF_JOBCENTRE))


# Before any test that imports the benchmark: the module's demo figures stay until its last test.
def test_without_benchmark_figures_the_page_names_the_dst_group(client):
    factories.log_in(client, "formand", "chair", municipality_id="751")
    response = client.get("/kommune/751/sammenlignelige/")
    assert response.status_code == 200
    assert response.context["choice"].peers.basis == "dst_group"
    assert 'id="peers-fallback"' in response.content.decode()


def test_a_group_is_saved_with_its_members_and_listed_for_its_owner_only(client):
    owner = chief(client)
    response = client.post("/grupper/", {"name": "  Storbyer  ", "kommuner": GROUP})
    assert response.status_code == 302
    group = Area.objects.get(kind="custom", owner=owner)
    assert group.name == "Storbyer"
    assert sorted(group.memberships.values_list("municipality_id", flat=True)) == sorted(GROUP)
    page = client.get("/grupper/").content.decode()
    assert "Storbyer" in page and "Aarhus" in page

    factories.log_in(client, "ministerie", "ministry")
    assert "Storbyer" not in client.get("/grupper/").content.decode()
    assert client.get(f"/grupper/{group.code}/").status_code == 403
    assert client.post(f"/grupper/{group.code}/", {"slet": "1"}).status_code == 403
    assert Area.objects.filter(pk=group.pk).exists()


@pytest.mark.parametrize(
    ("name", "members", "field", "words"),
    [
        ("", GROUP, "name", "navn"),
        ("x" * 121, GROUP, "name", "121"),
        ("To", ["101"], "members", "2"),
        ("To", ["101", "999", "abc"], "members", "999, abc"),
    ],
)
def test_a_bad_group_is_refused_by_field_and_nothing_is_written(client, name, members, field, words):
    chief(client)
    before = (Area.objects.count(), Membership.objects.count())
    response = client.post("/grupper/", {"name": name, "kommuner": members})
    assert response.status_code == 400
    assert field in response.context["errors"] and words in response.context["errors"][field]
    assert (Area.objects.count(), Membership.objects.count()) == before


def test_a_name_is_used_once_per_owner_but_another_user_may_use_it():
    first, second = factories.user("a", "ministry"), factories.user("b", "ministry")
    groups.save(first, "Nabokommuner", ["101", "147"])
    with pytest.raises(groups.GroupError) as exc:
        groups.save(first, "nabokommuner", ["101", "751"])
    assert "name" in exc.value.errors
    assert groups.save(second, "Nabokommuner", ["101", "751"]).owner == second


def test_the_owner_changes_and_deletes_a_group(client):
    owner = chief(client)
    group = groups.save(owner, "Vest", ["101", "147"])
    response = client.post(f"/grupper/{group.code}/", {"name": "Vest og Aarhus", "kommuner": ["101", "751"]})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Vest og Aarhus"
    assert sorted(group.memberships.values_list("municipality_id", flat=True)) == ["101", "751"]
    bad = client.post(f"/grupper/{group.code}/", {"name": "", "kommuner": ["101"]})
    assert bad.status_code == 400
    assert sorted(group.memberships.values_list("municipality_id", flat=True)) == ["101", "751"]  # unchanged
    assert client.post(f"/grupper/{group.code}/", {"slet": "1"}).status_code == 302
    assert not Area.objects.filter(pk=group.pk).exists()


def test_the_comparison_filters_by_ones_own_group_and_refuses_anothers(client, demo):
    owner = chief(client)
    group = groups.save(owner, "Storbyer", GROUP)
    response = client.get(f"/sammenligning/?indikator=MM13&egengruppe={group.code}")
    assert response.status_code == 200
    rows = response.context["result"].rows
    assert sorted(r.area.municipality_id for r in rows) == sorted(GROUP)
    assert {r.rank for r in rows} <= set(range(1, 99)) and any(r.rank > 3 for r in rows)  # ranked among all 98

    factories.log_in(client, "someone", "ministry")
    refused = client.get(f"/sammenligning/?indikator=MM13&egengruppe={group.code}")
    assert refused.status_code == 400 and group.code in refused.context["error"]


def _summed(codes: list[str], period: str) -> Decimal:
    figures = Observation.objects.filter(
        indicator__code="MM13", measure="andel", breakdown="", period=period, area__municipality_id__in=codes
    )
    numerator = sum(f.numerator for f in figures)
    denominator = sum(f.denominator for f in figures)
    assert figures.count() == len(codes)
    return numerator / denominator * 100


def test_a_group_is_the_reference_on_the_cards_and_the_charts(client, demo):
    owner = chief(client)
    group = groups.save(owner, "Storbyer", GROUP)
    response = client.get(f"/jobcenter/{CHIEF_JOBCENTRE}/?sammenlign={group.code}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Storbyer" in page and "København, Frederiksberg, Aarhus" not in page  # the names are sorted
    card = next(c for c in response.context["cards"] if c.indicator.code == "MM13")
    assert card.peers == pytest.approx(_summed(GROUP, card.period))
    assert f"/jobcenter/{CHIEF_JOBCENTRE}/maal/2/?sammenlign={group.code}" in page  # the choice follows the links

    goal = client.get(f"/jobcenter/{CHIEF_JOBCENTRE}/maal/2/?sammenlign={group.code}")
    chart = next(c for c in goal.context["charts"] if c.key == "MM13")
    trace = next(t for t in chart.figure["data"] if t["name"] == "Storbyer")
    latest = Observation.objects.filter(indicator__code="MM13", area__municipality_id="101").latest("period_start")
    assert trace["y"][-1] == pytest.approx(float(_summed(GROUP, latest.period)))
    assert chart.table["columns"][-1].startswith("Storbyer")
    assert "Storbyer" in chart.summary


def test_without_a_group_the_cards_use_the_comparable_municipalities(client, demo):
    chief(client)
    response = client.get(f"/jobcenter/{CHIEF_JOBCENTRE}/?sammenlign=gruppe-findesikke")
    assert response.status_code == 200
    assert any("gruppe-findesikke" in str(m) for m in get_messages(response.wsgi_request))
    assert response.context["reference"] is None


def test_an_owned_group_gets_no_stored_figures_and_is_not_in_the_api(client, demo):
    owner = factories.user("ministerie", "ministry")
    group = groups.save(owner, "Storbyer", GROUP)
    shared = Area.objects.create(kind="custom", code="delt", name="Delt gruppe")
    Membership.objects.bulk_create(Membership(area=shared, municipality_id=c) for c in GROUP)
    indicator = Indicator.objects.get(code="MM13")
    periods = list(Observation.objects.filter(indicator=indicator).values_list("period", flat=True).distinct())
    aggregates.derive(indicator, periods)
    assert not Observation.objects.filter(area=group).exists()
    assert Observation.objects.filter(area=shared).exists()
    client.force_login(owner)
    codes = [a["code"] for a in client.get("/api/v1/areas/?kind=custom").json()["results"]]
    assert codes == ["delt"]


def test_the_comparable_municipalities_are_explained_with_their_expected_shares(client, demo):
    factories.log_in(client, "formand", "chair", municipality_id="751")
    response = client.get("/kommune/751/sammenlignelige/")
    assert response.status_code == 200
    choice = response.context["choice"]
    chosen = [c for c in choice.candidates if c.chosen]
    assert [c.area_id for c in chosen] == peer_groups.peers_for(["751"]).area_ids and len(chosen) == 5
    expected = dict(
        Observation.objects.filter(
            indicator__code="Y30R21",
            measure="forventet_andel",
            breakdown="",
            period=choice.period,
            area__kind="municipality",
        ).values_list("area__municipality_id", "value")
    )
    assert {c.code: c.expected for c in choice.candidates} == {c.code: expected[c.code] for c in choice.candidates}
    distances = [abs(expected[c.code] - expected["751"]) for c in choice.candidates]
    assert distances == sorted(distances) and choice.centre == expected["751"]
    assert max(d for d, c in zip(distances, choice.candidates, strict=True) if c.chosen) <= min(
        d for d, c in zip(distances, choice.candidates, strict=True) if not c.chosen
    )
    assert client.get("/kommune/101/sammenlignelige/").status_code == 200  # national figures: public
