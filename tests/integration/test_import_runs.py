import pytest
from django.contrib.auth.models import Permission

from indicators import imports
from indicators.formats import SourceError
from indicators.models import ImportRun
from tests.factories import DATA, log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    log_in(client, "ministry").user_permissions.add(Permission.objects.get(codename="view_importrun"))
    return client


def test_anonymous_users_are_sent_to_log_in_and_others_without_the_permission_get_403(client):
    run = ImportRun.objects.create(source="file")
    for url in ["/import/", f"/import/{run.pk}/", f"/import/{run.pk}/status/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/log-ind/")
    log_in(client, "chief")
    for url in ["/import/", f"/import/{run.pk}/", f"/import/{run.pk}/status/"]:
        assert client.get(url).status_code == 403


def test_list_shows_each_run_with_danish_counts_and_the_demo_label(staff):
    demo = imports.demo(["Y30R21"])
    real = imports.from_file(str(DATA / "MM13_v2.csv"))
    html = staff.get("/import/").content.decode()
    assert f'href="/import/{demo.pk}/"' in html and f'href="/import/{real.pk}/"' in html
    assert "32.928" in html  # Y30R21: 98 × 12 periods × 4 groups × 7 measures, with a thousands dot
    assert html.count('class="jm-demo-tag"') == 1
    assert "Gennemført" in html


def test_a_failed_run_shows_its_error_and_each_reject_by_file_row_field_and_reason(staff, tmp_path):
    bad = tmp_path / "MM13_bad.csv"
    bad.write_text(
        "Area;Periode;Køn;Opholdstid;Andel i beskæftigelse (pct.);Beskæftigede;Personer i alt\n"
        "Atlantis;2020M01;I alt;I alt;9,1;10;110\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError):
        imports.from_file(str(bad))
    run = ImportRun.objects.get(status=ImportRun.Status.FAILED)
    # The reason is stored as a message and shown in the reader's language, whichever language the import ran in.
    html = staff.get(f"/import/{run.pk}/").content.decode()
    assert "MM13_bad.csv" in html and "ukendt område &#x27;Atlantis&#x27;" in html
    assert "1 af 1 rækker afvist; intet blev indlæst" in html
    assert '<td data-label="Række">2</td><td data-label="Kolonne">Area</td>' in html
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})  # chosen: the browser's language never decides
    english = staff.get(f"/import/{run.pk}/").content.decode()
    assert "unknown area &#x27;Atlantis&#x27;" in english and "1 of 1 rows rejected; nothing was imported" in english


def test_status_answers_progress_as_json_while_a_run_is_under_way(staff):
    run = ImportRun.objects.create(
        source="api_v3", table="MM13", status=ImportRun.Status.RUNNING, phase="writing", progress=50, rows_read=1200
    )
    data = staff.get(f"/import/{run.pk}/status/").json()
    assert data == {
        "status": "running",
        "phase": "writing",
        "progress": 50,
        "rows_read": 1200,
        "rows_created": 0,
        "rows_updated": 0,
        "rows_unchanged": 0,
        "rows_rejected": 0,
        "rows_derived": 0,
        "status_display": "Kører",
    }
    assert staff.get("/import/999999/status/").status_code == 404
