import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from goals.models import Change
from indicators.models import Indicator, Observation
from municipalities.models import Area, UserRole

pytestmark = pytest.mark.django_db
BASE = "/jobcenter/taarnby-dragoer/lokale-indikatorer/"


def _jobcentre(slug="taarnby-dragoer"):
    return Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug)


@pytest.fixture
def chief(client):
    user = User.objects.create_user("chief", password="x")
    UserRole.objects.create(user=user, role="chief", jobcentre=_jobcentre())
    client.force_login(user)
    return client


@pytest.fixture
def own(chief) -> Indicator:
    response = chief.post(BASE, {"goal": 3, "municipality": "185", "name": "Borgere med handicap i job",
                                 "unit": "percent", "polarity": "higher", "definition": "Egen opgørelse"})  # fmt: skip
    indicator = Indicator.objects.get(scope="local")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{indicator.code}/"
    return indicator


def test_a_chief_defines_an_own_indicator_for_a_goal(chief, own):
    assert own.code == "LOK-185-1" and own.municipality_id == "185" and own.unit == "percent"
    assert own.goal_links.get().goal.number == 3 and own.goal_links.get().role == "local"
    assert Change.objects.get().what == "Ny lokal indikator LOK-185-1"
    assert "LOK-185-1" in chief.get(BASE).content.decode()


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
    html = chief.post(url, {"municipality": "185", "period": "2020M13", "value": "14"}).content.decode()
    assert "Intet blev gemt." in html and "ukendt periode" in html
    html = chief.post(url, {"municipality": "185", "period": "2020M04", "value": "140"}).content.decode()
    assert "andelen 140 ligger uden for 0–100" in html
    assert Observation.objects.filter(indicator=own).count() == 1


def test_csv_and_xlsx_uploads_go_through_the_pipeline_and_only_for_own_municipalities(chief, own):
    url = f"{BASE}{own.code}/"
    csv = "Område;Periode;Værdi\nTårnby;2020M01;10,5\nDragør;2020M01;9\n".encode()
    response = chief.post(url, {"upload": "1", "file": SimpleUploadedFile("egne.csv", csv, "text/csv")})
    assert response.status_code == 302
    assert Observation.objects.filter(indicator=own, is_derived=False).count() == 2

    book = Workbook()
    sheet = book.active
    sheet.append(["Område", "Periode", "Værdi"])
    sheet.append(["Tårnby", "2020M02", 11.25])
    sheet.append(["Aarhus", "2020M02", 30])
    sheet.append(["Dragør", "2020M02", "abc"])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("egne.xlsx", buffer.getvalue(), "application/octet-stream")
    html = chief.post(url, {"upload": "1", "file": upload}).content.decode()
    assert "Intet blev gemt." in html
    assert "<td>egne.xlsx</td><td>3</td><td>Område</td><td>ukendt område &#x27;Aarhus&#x27;</td>" in html
    assert "<td>egne.xlsx</td><td>4</td><td>Værdi</td>" in html
    assert Observation.objects.filter(indicator=own, is_derived=False).count() == 2  # nothing half-written

    good = Workbook()
    good.active.append(["Område", "Periode", "Værdi"])
    good.active.append(["Tårnby", "2020M02", 11.25])
    buffer = io.BytesIO()
    good.save(buffer)
    chief.post(url, {"upload": "1", "file": SimpleUploadedFile("ok.xlsx", buffer.getvalue())})
    assert Observation.objects.get(indicator=own, period="2020M02").value == Decimal("11.25")


def test_others_cannot_define_or_fill_a_jobcentres_indicators(client, own):
    for role, scope in [("chief", {"jobcentre": _jobcentre("aarhus")}), ("chair", {"municipality_id": "185"}),
                        ("ministry", {})]:  # fmt: skip
        user = User.objects.create_user(f"other-{role}", password="x")
        UserRole.objects.create(user=user, role=role, **scope)
        client.force_login(user)
        assert client.get(BASE).status_code == 403
        assert client.post(BASE, {"goal": 3, "municipality": "185", "name": "x", "unit": "count",
                                  "polarity": "higher"}).status_code == 403  # fmt: skip
        assert client.post(f"{BASE}{own.code}/", {"municipality": "185", "period": "2020M01",
                                                   "value": "1"}).status_code == 403  # fmt: skip
    assert Indicator.objects.filter(scope="local").count() == 1
    assert not Observation.objects.filter(indicator=own).exists()


def test_the_goal_page_shows_own_indicators_to_viewers(client, chief, own):
    chief.post(f"{BASE}{own.code}/", {"municipality": "185", "period": "2020M03", "value": "12,5"})
    user = User.objects.create_user("chair", password="x")
    UserRole.objects.create(user=user, role="chair", municipality_id="185")
    client.force_login(user)
    html = client.get("/kommune/185/maal/3/").content.decode()
    assert "Borgere med handicap i job" in html and "12,5 pct." in html and "marts 2020" in html
