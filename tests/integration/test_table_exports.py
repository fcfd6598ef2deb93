"""Every table as shown, downloaded: the comparison and the benchmark's ranking, follow-up list and rank history as
CSV and XLSX, checked against the HTML page and the stored observations; and the benchmark's scatter and rank
history charts checked against the observations."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from indicators.models import Observation
from tests import databases
from tests.factories import log_in

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with databases.for_module(django_db_blocker, databases.demo(("MM13", "Y30R21"))):
        yield


class _Table(HTMLParser):
    """The body rows of one table of a page as cell texts, without the tags ("dine", "reference") inside cells."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.body, self.skip = table_id, False, False, 0
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tbody":
            self.body = True
        elif self.body and tag == "tr":
            self.rows.append([])
        elif self.body and tag in ("td", "th"):
            self.rows[-1].append("")
        elif self.body and tag == "span" and "jm-tag" in attrs.get("class", ""):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside = self.body = False
        elif tag == "span" and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.body and self.rows and self.rows[-1] and not self.skip:
            self.rows[-1][-1] += data

    @classmethod
    def rows_of(cls, html: str, table_id: str) -> list[list[str]]:
        parser = cls(table_id)
        parser.feed(html)
        return [[" ".join(cell.split()) for cell in row] for row in parser.rows]


def _sheet(response) -> tuple[list[list], dict[str, str]]:
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows(min_row=3)]
    return rows, dict((label, value) for label, value in book["Metadata"].iter_rows(values_only=True))


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffDEMODATA")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def _shown(value) -> str:
    """A workbook's number as the page shows a share (and Excel its number format): one decimal, half up."""
    return f"{Decimal(str(value)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}".replace(".", ",")


def _figures(measure: str, period: str, group: str = "") -> dict[str, Decimal]:
    return dict(
        Observation.objects.filter(
            indicator__code="Y30R21", measure=measure, period=period, breakdown=group, area__kind="municipality"
        ).values_list("area__name", "value")
    )


def test_the_comparison_workbook_and_csv_hold_the_rows_shown_in_the_pages_filter_and_order(client, demo):
    log_in(client, "ministry", "ministry")
    query = "/sammenligning/?indikator=MM13&region=1084&sorter=vaerdi&retning=ned"
    page = client.get(query)
    shown = _Table.rows_of(page.content.decode(), "comparison")
    assert len(shown) == 30 and shown[0][0] == "Hele landet"  # the country as reference, then 29 municipalities
    response = client.get(query + "&format=xlsx")
    rows, meta = _sheet(response)
    period = page.context["result"].period  # asked for again, the page would come from the cache
    assert response["Content-Disposition"] == f'attachment; filename="jobmaal-sammenligning-MM13-{period}.xlsx"'
    assert [r[1] for r in rows] == [s[0] for s in shown]  # the same areas in the same order
    assert [r[0] for r in rows[1:]] == [int(s[3]) for s in shown[1:]]  # the national rank as on the page
    values = [r[3] for r in rows[1:]]
    assert all(isinstance(v, float) for v in values) and values == sorted(values, reverse=True)
    assert [f"{_shown(r[3])} pct." for r in rows] == [s[1] for s in shown]
    stored = dict(
        Observation.objects.filter(
            indicator__code="MM13", measure="andel", breakdown="", period=period, area__kind="municipality"
        ).values_list("area__name", "value")
    )
    assert all(Decimal(str(r[3])) == stored[r[1]] for r in rows[1:])
    assert meta["Data"] == "Demodata (genererede tal, ikke rigtige tal)"
    assert meta["Filtre"] == "Region Hovedstaden (1084)" and meta["Sortering"] == "Værdi, faldende"
    assert meta["Periode"].endswith(f"({period})") and meta["Indikator"].startswith("MM13 ")
    assert meta["Hentet"]  # the retrieval time of the figures
    table = _csv(client.get(query + "&format=csv"))
    header = table.index(["Placering", "Område", "Kode", "Værdi (pct.)", "Ændring (procentpoint)", "Kvartil", "Status"])
    assert [r[1] for r in table[header + 1 : header + 31]] == [s[0] for s in shown]


def test_the_benchmark_ranking_downloads_as_shown_with_the_published_figures(client, demo):
    log_in(client, "ministry", "ministry")
    group = "ydelsesgruppe=A-dagpenge mv."
    query = f"/benchmark/?periode=2020QMAT04&ydelsesgruppe={group}"
    shown = _Table.rows_of(client.get(query).content.decode(), "benchmark")
    response = client.get(query + "&format=xlsx&tabel=rangering")
    rows, meta = _sheet(response)
    name = "jobmaal-rangering-a-dagpenge-mv-Y30R21-2020QMAT04.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert len(rows) == 98 and [r[1] for r in rows] == [s[1] for s in shown]
    ranks, expected = _figures("placering", "2020QMAT04", group), _figures("forventet_andel", "2020QMAT04", group)
    differences = _figures("forskel_andel", "2020QMAT04", group)
    assert [r[0] for r in rows] == sorted(int(v) for v in ranks.values())
    for row in rows:
        assert row[0] == ranks[row[1]] and Decimal(str(row[3])) == expected[row[1]]
        assert Decimal(str(row[5])) == differences[row[1]]
    assert meta["Ydelsesgruppe"] == "A-dagpenge mv." and meta["Data"].startswith("Demodata")
    assert meta["Periode"] == "fire kvartaler til og med 4. kvartal 2020 (2020QMAT04)"
    assert meta["Kildetabel"] == "Y30R21 på Jobindsats.dk (STAR)"


def test_the_follow_up_list_downloads_as_shown(client, demo):
    log_in(client, "ministry", "ministry")
    query = "/benchmark/?periode=2021QMAT04&perioder=3"
    page = client.get(query)
    shown = _Table.rows_of(page.content.decode(), "follow-up")
    assert shown  # the demo data has municipalities above expected for three periods
    table = _csv(client.get(query + "&format=csv&tabel=opfoelgning"))
    header = table.index(
        [
            "Kommune",
            "Kode",
            "Over forventet, personer",
            "Over forventet, procentpoint",
            "Udvikling over perioderne",
            "Ændring i afstanden (procentpoint)",
        ]
    )
    body = table[header + 1 : header + 1 + len(shown)]
    assert [r[0] for r in body] == [s[0] for s in shown] and table[header + 1 + len(shown)] == []
    persons, points = _figures("forskel_antal", "2021QMAT04"), _figures("forskel_andel", "2021QMAT04")
    for row in body:
        assert int(row[2]) == persons[row[0]] and Decimal(row[3].replace(",", ".")) == points[row[0]] > 0
    assert [
        "Filter",
        "over den forventede andel i hver af de seneste 3 perioder: 2020QMAT04, 2021QMAT02, 2021QMAT04",
    ] in table
    rows, _meta = _sheet(client.get(query + "&format=xlsx&tabel=opfoelgning"))
    assert [r[0] for r in rows] == [s[0] for s in shown]


def test_the_scatter_has_a_point_per_municipality_at_its_expected_and_actual_share(client, demo):
    log_in(client, "chair", "chair", municipality_id="185")
    response = client.get("/benchmark/?periode=2021QMAT02")
    chart = response.context["scatter"]
    diagonal, others, own = chart.figure["data"]
    points = {
        name: (x, y)
        for trace in (others, own)
        for name, x, y in zip(trace["text"], trace["x"], trace["y"], strict=True)
    }
    expected, actual = _figures("forventet_andel", "2021QMAT02"), _figures("faktisk_andel", "2021QMAT02")
    assert points == {name: (float(expected[name]), float(actual[name])) for name in expected}
    assert own["text"] == ["Tårnby"] and len(points) == 98
    below = sum(1 for name in expected if _figures("forskel_andel", "2021QMAT02")[name] < 0)
    assert f": {below} af 98 kommuner har en mindre faktisk andel end forventet" in chart.summary
    html = response.content.decode()
    assert 'id="figure-scatter"' in html and chart.summary in html


def test_the_rank_history_shows_the_stored_ranks_of_the_chosen_municipality(client, demo):
    log_in(client, "chair", "chair", municipality_id="185")
    periods = list(
        Observation.objects.filter(
            indicator__code="Y30R21", area__municipality_id="751", breakdown="", measure="placering"
        )
        .order_by("period_start")
        .values_list("period", "value")
    )
    response = client.get("/benchmark/?kommune=751")
    chart = response.context["history"]
    assert chart.figure["data"][0]["y"] == [int(v) for _p, v in periods] and len(periods) == 12
    html = response.content.decode()
    shown = _Table.rows_of(html, "rank-history")
    assert [int(r[1]) for r in shown] == [int(v) for _p, v in periods]
    assert '<option value="751" selected>Aarhus</option>' in html
    rows, meta = _sheet(client.get("/benchmark/?kommune=751&format=xlsx&tabel=placeringer"))
    assert [(r[1], r[2]) for r in rows] == [(p, int(v)) for p, v in periods]
    assert meta["Kommune"] == "Aarhus (751)"
    # By default the reader's own municipality; for ministry staff the one ranked first.
    assert client.get("/benchmark/").context["page"].chosen.area.name == "Tårnby"
    client.logout()
    log_in(client, "ministry", "ministry")
    page = client.get("/benchmark/").context["page"]
    assert page.chosen.rank == 1 and page.history[-1][1] == 1


@pytest.mark.parametrize("query", ["kommune=999", "format=pdf", "format=csv&tabel=alt"])
def test_a_download_or_municipality_that_names_nothing_is_a_400(client, demo, query):
    log_in(client, "ministry", "ministry")
    response = client.get(f"/benchmark/?{query}")
    assert response.status_code == 400 and "Benchmarket kan ikke vises." in response.content.decode()
