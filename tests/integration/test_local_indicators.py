import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from goals.models import Change, QueuedUpload
from goals.tasks import import_upload
from indicators.models import ImportRun, Indicator, Observation
from municipalities.models import Area
from tests.factories import log_in, xlsx_bytes

pytestmark = pytest.mark.django_db
BASE = "/jobcenter/taarnby-dragoer/lokale-indikatorer/"


def _jobcentre(slug="taarnby-dragoer"):
    return Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug)


@pytest.fixture
def chief(client):
    log_in(client, "chief", "chief", jobcentre=_jobcentre())
    return client


@pytest.fixture
def own(chief) -> Indicator:
    response = chief.post(
        BASE,
        {
            "goal": 3,
            "municipality": "185",
            "name": "Borgere med handicap i job",
            "unit": "percent",
            "frequency": "M",
            "polarity": "higher",
            "definition": "Egen opgørelse",
        },
    )
    indicator = Indicator.objects.get(scope="local")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{indicator.code}/"
    return indicator


def test_a_chief_defines_an_own_indicator_for_a_goal(chief, own):
    assert own.code == "LOK-185-1" and own.municipality_id == "185" and own.unit == "percent"
    assert own.goal_links.get().goal.number == 3 and own.goal_links.get().role == "local"
    assert Change.objects.get().what == "Ny egen indikator: Borgere med handicap i job"  # its name, not its code
    listed = chief.get(BASE).content.decode()
    assert f'href="{BASE}LOK-185-1/">Borgere med handicap i job</a>' in listed and ">LOK-185-1<" not in listed


def test_values_from_the_form_are_validated_like_imports_and_logged(chief, own):
    url = f"{BASE}{own.code}/"
    assert chief.post(url, {"municipality": "185", "period": "2020M03", "value": "12,5"}).status_code == 302
    obs = Observation.objects.get(indicator=own)
    assert (obs.area.municipality_id, obs.period, obs.value, obs.source) == (
        "185",
        "2020M03",
        Decimal("12.5"),
        "manual",
    )
    chief.post(url, {"municipality": "185", "period": "2020M03", "value": "13"})
    assert obs.revisions.get().new_value == 13
    log = list(Change.objects.order_by("id").values_list("old_value", "new_value"))[1:]
    assert log == [("", "12.5"), ("12.5", "13")]
    runs = ImportRun.objects.count()
    html = chief.post(url, {"municipality": "185", "period": "2020M13", "value": "14"}).content.decode()
    assert "Marker en gyldig valgmulighed" in html  # chosen from the indicator's periods, not typed (issue 21)
    html = chief.post(url, {"municipality": "185", "period": "2020M04", "value": "140"}).content.decode()
    assert "andelen 140 ligger uden for 0–100" in html
    assert Observation.objects.filter(indicator=own).count() == 1
    assert ImportRun.objects.count() == runs  # a refused entry leaves no import run behind (issue 21)
    page = chief.get(url).content.decode()
    assert '<option value="2020M03">marts 2020</option>' in page and '<option value="2020">' not in page


def test_csv_and_xlsx_uploads_go_through_the_pipeline_and_only_for_own_municipalities(chief, own):
    url = f"{BASE}{own.code}/"
    # Dragør is of the same jobcentre, but Tårnby's own indicator holds Tårnby's figures only (issue 20, R11).
    csv = "Område;Periode;Værdi\nTårnby;2020M01;10,5\nDragør;2020M01;9\n".encode()
    html = _upload(chief, own, "begge.csv", csv).content.decode()
    assert "begge.csv, række 3, Område: &#x27;Dragør&#x27; er ikke en af kommunerne for LOK-185-1 (Tårnby)" in html
    assert not Observation.objects.filter(indicator=own).exists()
    csv = "Område;Periode;Værdi\nTårnby;2020M01;10,5\nTårnby;2019M12;9\n".encode()
    response = chief.post(url, {"upload": "1", "file": SimpleUploadedFile("egne.csv", csv, "text/csv")})
    assert response.status_code == 302
    assert Observation.objects.filter(indicator=own, is_derived=False).count() == 2

    book = Workbook()
    sheet = book.active
    sheet.append(["Område", "Periode", "Værdi"])
    sheet.append(["Tårnby", "2020M02", 11.25])
    sheet.append(["Aarhus", "2020M02", 30])
    sheet.append(["Tårnby", "2020M03", "abc"])
    buffer = io.BytesIO()
    book.save(buffer)
    html = _upload(chief, own, "egne.xlsx", buffer.getvalue()).content.decode()
    assert ">Fejlet</td>" in html and "data-import-pending" not in html
    assert "<li>egne.xlsx, række 3, Område: ukendt område &#x27;Aarhus&#x27;</li>" in html
    assert "<li>egne.xlsx, række 4, Værdi:" in html
    assert Observation.objects.filter(indicator=own, is_derived=False).count() == 2  # nothing half-written

    good = Workbook()
    good.active.append(["Område", "Periode", "Værdi"])
    good.active.append(["Tårnby", "2020M02", 11.25])
    buffer = io.BytesIO()
    good.save(buffer)
    html = _upload(chief, own, "ok.xlsx", buffer.getvalue()).content.decode()
    assert Observation.objects.get(indicator=own, period="2020M02").value == Decimal("11.25")
    assert "1 nye, 0 ændrede, 0 uændrede" in html


def test_others_cannot_define_or_fill_a_jobcentres_indicators(client, own):
    for role, scope in [
        ("chief", {"jobcentre": _jobcentre("aarhus")}),
        ("chair", {"municipality_id": "185"}),
        ("ministry", {}),
    ]:
        log_in(client, f"other-{role}", role, **scope)
        assert client.get(BASE).status_code == 403
        assert (
            client.post(
                BASE, {"goal": 3, "municipality": "185", "name": "x", "unit": "count", "polarity": "higher"}
            ).status_code
            == 403
        )
        assert (
            client.post(f"{BASE}{own.code}/", {"municipality": "185", "period": "2020M01", "value": "1"}).status_code
            == 403
        )
    assert Indicator.objects.filter(scope="local").count() == 1
    assert not Observation.objects.filter(indicator=own).exists()


def test_the_goal_page_shows_own_indicators_to_viewers(client, chief, own):
    chief.post(f"{BASE}{own.code}/", {"municipality": "185", "period": "2020M03", "value": "12,5"})
    log_in(client, "chair", "chair", municipality_id="185")
    html = client.get("/kommune/185/maal/3/").content.decode()
    assert "Borgere med handicap i job" in html and "12,5 pct." in html and "marts 2020" in html


def _upload(chief, own, name: str, content: bytes):
    """Upload as the chief does. A workbook or a large file is left to the worker: the request only queues it,
    and the task's body (what the worker runs) does the import here; then the chief's page shows the outcome."""
    url = f"{BASE}{own.code}/"
    response = chief.post(url, {"upload": "1", "file": SimpleUploadedFile(name, content)})
    queued = QueuedUpload.objects.filter(indicator=own).first()
    if queued is None:
        return response
    assert response.status_code == 302
    assert "data-import-pending" in chief.get(url).content.decode()  # "indlæses…" until the worker is done
    assert import_upload.apply(args=[queued.pk]).get() == queued.pk
    assert not QueuedUpload.objects.exists()
    return chief.get(url)


BAD_VALUES = [
    ("1e20", "&#x27;1e20&#x27; er i videnskabelig notation"),
    ("1E+20", "&#x27;1E+20&#x27; er i videnskabelig notation"),
    ("1e-30", "&#x27;1e-30&#x27; er i videnskabelig notation"),
    ("1e309", "&#x27;1e309&#x27; er i videnskabelig notation"),
    ("Infinity", "ikke et tal: &#x27;Infinity&#x27;"),
    ("99999999999999999", "99999999999999999 er for stort"),
    ("12.5", "&#x27;12.5&#x27; har et decimalpunktum, men filen skriver decimaler med komma"),
]


@pytest.mark.parametrize(("value", "message"), BAD_VALUES, ids=[v for v, _ in BAD_VALUES])
def test_an_upload_with_a_value_out_of_range_or_rule_is_refused_not_a_500(chief, own, value, message):
    csv = f"Område;Periode;Værdi\nTårnby;2020M01;10,5\nTårnby;2020M02;{value}\n".encode()
    response = _upload(chief, own, "egne.csv", csv)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Intet blev gemt." in html and message in html, html[html.find("alert") :][:800]
    assert not Observation.objects.filter(indicator=own).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"columns": [1, 2, 3], "rows": 5}', "rækkerne er ikke en liste af rækker"),
        (b"[" * 100_000, "JSON indlejret for dybt til at være en tabel"),
        (
            '{"columns": ["Område", "Periode", "Værdi"], "rows": [["Tårnby", "2020M01", 1e300]]}'.encode(),
            "er i videnskabelig notation",
        ),
        (
            '{"columns": ["Område", "Periode", "Værdi"], "rows": [["Tårnby", "2020M01", Infinity]]}'.encode(),
            "&#x27;inf&#x27; er ikke et endeligt tal",
        ),
    ],
    ids=["rows-not-a-list", "deeply-nested", "1e300", "Infinity"],
)
def test_json_that_is_not_a_table_is_refused_not_a_500(chief, own, content, message):
    response = _upload(chief, own, "egne.json", content)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Observation.objects.filter(indicator=own).exists()


def test_one_decimal_rule_per_file(chief):
    """Danish numbers in a semicolon file; a file that writes decimal points is read with points throughout, and
    a value that could be either is refused rather than guessed."""
    chief.post(
        BASE,
        {"goal": 3, "municipality": "185", "name": "Timer", "unit": "count", "frequency": "M", "polarity": "higher"},
    )
    own = Indicator.objects.get(scope="local")
    _upload(chief, own, "komma.csv", "Område;Periode;Værdi\nTårnby;2020M01;1.500\nTårnby;2020M02;12,5\n".encode())
    assert Observation.objects.get(indicator=own, area__code="185", period="2020M01").value == 1500
    _upload(chief, own, "punktum.csv", "Område;Periode;Værdi\nTårnby;2020M03;1.5\nTårnby;2020M04;12.5\n".encode())
    assert Observation.objects.get(indicator=own, area__code="185", period="2020M04").value == Decimal("12.5")
    html = _upload(
        chief, own, "blandet.csv", "Område;Periode;Værdi\nTårnby;2020M05;12.5\nTårnby;2020M06;1.500\n".encode()
    ).content.decode()
    assert "&#x27;1.500&#x27; kan være et tusindtalspunktum eller et decimalpunktum" in html
    assert not Observation.objects.filter(indicator=own, period="2020M05").exists()


def test_a_formula_without_a_saved_result_is_refused(chief, own):
    # openpyxl saves formulas without results, as a workbook written by a program rather than Excel has them.
    content = xlsx_bytes(["Område", "Periode", "Værdi"], ["Tårnby", "2020M01", "=2*5"])
    html = _upload(chief, own, "formel.xlsx", content).content.decode()
    assert "formel.xlsx, række 2: formlen =2*5 har intet gemt resultat" in html
    assert not Observation.objects.filter(indicator=own).exists()


def test_a_workbook_that_unpacks_to_a_huge_sheet_is_refused_before_it_is_parsed(chief, own):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/worksheets/sheet1.xml", "<row/>" * 5_000_000)  # 30 MB that zips to ~30 KB
    assert len(buffer.getvalue()) < 200_000
    html = _upload(chief, own, "bombe.xlsx", buffer.getvalue()).content.decode()
    assert "bombe.xlsx pakkes ud til 28 MB; en upload må højst fylde 20 MB udpakket" in html
    many = xlsx_bytes(["Område", "Periode", "Værdi"], *(["Tårnby", "2020M01", 1] for _ in range(20_001)))
    assert "mange.xlsx har mere end 20.000 rækker" in _upload(chief, own, "mange.xlsx", many).content.decode()
    assert not Observation.objects.filter(indicator=own).exists()


def test_an_own_indicator_import_re_renders_only_its_jobcentres_areas(own):
    from goals.signals import areas_to_render

    areas = Area.objects.filter(pk__in=areas_to_render([own.pk]))
    assert sorted(a.code for a in areas) == ["155", "185", "taarnby-dragoer"]
    national = Indicator.objects.get(code="MM13")
    assert areas_to_render([own.pk, national.pk]) is None  # a national indicator is on every area's charts


def test_from_goal_3_the_form_opens_with_goal_3_and_asks_how_often_it_is_measured(chief):
    # Issue 21: the link from goal 3 opened the form with goal 1 chosen; a monthly indicator then refused "2020".
    goal_page = chief.get("/jobcenter/taarnby-dragoer/maal/3/").content.decode()
    assert f'href="{BASE}?maal=3"' in goal_page
    form = chief.get(f"{BASE}?maal=3").content.decode()
    assert re.search(r'<option value="3"[^>]*selected', form) and 'name="frequency"' in form
    fields = {"goal": "3", "municipality": "185", "name": "Virksomhedsbesøg", "unit": "count", "frequency": "Q"}
    response = chief.post(BASE, {**fields, "polarity": "higher", "definition": ""})
    assert response.status_code == 302
    made = Indicator.objects.get(name_da="Virksomhedsbesøg")
    assert made.frequency == "Q" and made.goal_links.get().goal.number == 3
    page = chief.get(f"{BASE}{made.code}/").content.decode()
    assert '<option value="2020Q1">1. kvt. 2020</option>' in page or ">1. kvartal 2020<" in page
