"""The benchmark page on a small file in Y30R21's own layout (tests/data/Y30R21_v2.csv): a rank the published
differences contradict is flagged, a tie on the rounded figures is not, and the follow-up list holds those above
their expected share."""

import pytest

from indicators import imports
from municipalities.models import UserRole
from tests.factories import DATA, log_in

pytestmark = pytest.mark.django_db
URL = "/benchmark/"


@pytest.fixture
def ministry(client):
    log_in(client, "m", UserRole.Role.MINISTRY)


def _import(tmp_path, replace: tuple[str, str] | None = None):
    text = (DATA / "Y30R21_v2.csv").read_text(encoding="utf-8-sig")
    if replace:
        text = text.replace(*replace)
    path = tmp_path / "Y30R21.csv"
    path.write_text(text, encoding="utf-8")
    assert imports.from_file(str(path), table="Y30R21").status == "succeeded"


def test_a_contradicting_rank_is_flagged_and_a_tie_on_rounded_figures_is_not(client, ministry, tmp_path):
    # Aarhus moved to rank 60, behind Odense (58) whose difference +0,18 is larger than Aarhus' −0,16.
    _import(
        tmp_path,
        (
            "Aarhus;2020QMAT02;Ydelsesgrupper i alt;27980;27450;-530;8,60;8,44;-0,16;12",
            "Aarhus;2020QMAT02;Ydelsesgrupper i alt;27980;27450;-530;8,60;8,44;-0,16;60",
        ),
    )
    page = client.get(URL + "?periode=2020QMAT02").context["page"]
    by_name = {r.area.name: r for r in page.rows}
    assert [r.area.name for r in page.rows] == ["Gentofte", "Vesthimmerlands", "Odense", "Aarhus", "København"]
    aarhus = by_name["Aarhus"].contradiction
    assert aarhus is not None and page.names[aarhus.ahead] == "Odense" and aarhus.ahead_rank == 58
    # Vesthimmerlands (57) and Odense (58) both publish +0,18: the source broke the tie, nothing to flag.
    assert by_name["Odense"].contradiction is None and by_name["Vesthimmerlands"].contradiction is None
    html = client.get(URL + "?periode=2020QMAT02").content.decode()
    assert "modsagt: Odense (placering 58) har en større forskel" in html


def test_the_follow_up_list_holds_those_above_expected_largest_gap_first(client, ministry, tmp_path):
    _import(tmp_path)
    page = client.get(URL + "?perioder=1").context["page"]
    assert [page.names[f.area] for f in page.follow_up] == ["København", "Odense", "Vesthimmerlands"]
    assert page.follow_up[0].latest.persons == 940 and str(page.follow_up[0].latest.points) == "0.200000"
    assert all(r.contradiction is None for r in page.rows)
    # Two periods asked for, one published: nobody has been above expected in both.
    assert client.get(URL + "?perioder=2").context["page"].follow_up == []


@pytest.mark.parametrize("query", ["periode=1999QMAT02", "perioder=abc", "perioder=0", "ydelsesgruppe=nope"])
def test_a_bad_choice_is_a_400_that_says_which(client, ministry, tmp_path, query):
    _import(tmp_path)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400 and "Benchmarket kan ikke vises." in response.content.decode()


def test_names_link_to_the_municipality_for_every_reader(client, tmp_path):
    # Issue 21: the names on the benchmark and the follow-up list were dead ends. Every municipality's national
    # figures are public, so the names link for every reader, anonymous too, and the pages open.
    _import(tmp_path)
    html = client.get(URL + "?periode=2020QMAT02").content.decode()
    assert '<a href="/kommune/751/">Aarhus</a>' in html and '<a href="/kommune/461/">Odense</a>' in html
    assert client.get("/kommune/461/").status_code == 200
    log_in(client, "c", UserRole.Role.CHAIR, municipality_id="751")
    html = client.get(URL + "?periode=2020QMAT02").content.decode()
    assert '<a href="/kommune/751/">Aarhus</a>' in html and '<a href="/kommune/461/">Odense</a>' in html
