"""Real Jobindsats exports of the benchmark table Y30R21, exactly as the source labels them, and every way a file
can be wrong: each refused with its file, row, column and value, in Danish and in English, with nothing written.

The fixtures are built by hand from the header of a real v2 CSV export (shared/jobindsats.md §3): København's row
is the one seen in a real export, the other rows are made up to be consistent with it.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from indicators import imports
from indicators.catalogue import Y30R21_COUNTS, Y30R21_SHARES
from indicators.models import ImportRun, Indicator, Observation, SourceColumn
from municipalities import reference
from tests.factories import DATA

pytestmark = pytest.mark.django_db

HEADER = (DATA / "Y30R21_v2.csv").read_text(encoding="utf-8-sig").splitlines()[0]
ROWS = (DATA / "Y30R21_v2.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
KBH = "København;2020QMAT02;Ydelsesgrupper i alt;43070;44010;940;9,08;9,28;0,20;63"


def _observation(area: str, measure: str, breakdown: str = "", period: str = "2020QMAT02") -> Observation:
    return Observation.objects.get(
        indicator__code="Y30R21", area__code=area, period=period, measure=measure, breakdown=breakdown
    )


def checksum() -> tuple[int, str]:
    """Count and checksum of the whole observation table: a refused import must leave both as they were."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(md5(string_agg(o::text, ',' ORDER BY o.id)), '') FROM indicators_observation o"
        )
        return cursor.fetchone()


def _file(tmp_path: Path, lines: list[str], name: str = "Y30R21.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_bytes(("\ufeff" + "\r\n".join([header, *lines]) + "\r\n").encode())
    return path


def _import(path: Path, locale: str) -> str:
    """Run the command as a user would; return its error message (CommandError: exit status 1)."""
    with pytest.raises(CommandError) as caught:
        call_command("import_jobindsats", file=str(path), table="Y30R21", locale=locale, verbosity=0)
    return str(caught.value)


def test_the_real_v2_csv_header_imports_exactly(capsys):
    call_command("import_jobindsats", file=str(DATA / "Y30R21_v2.csv"), table="Y30R21", verbosity=0)
    assert "Indlæsning #" in capsys.readouterr().out
    assert _observation("101", "forventet_antal").value == 43070
    assert _observation("101", "faktisk_antal").value == 44010
    assert _observation("101", "forskel_antal").value == 940
    assert _observation("101", "faktisk_andel").value == Decimal("9.28")
    assert _observation("101", "forskel_andel").value == Decimal("0.20")
    assert _observation("101", "placering").value == 63
    assert _observation("751", "placering", "ydelsesgruppe=A-dagpenge mv.").value == 21
    assert _observation("751", "forskel_antal").value == -530
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED and run.rows_created == 7 * 7 and run.warnings == []


def test_v2_json_with_variable_names_and_labels_and_v3_json_give_the_same_figures():
    imports.from_file(str(DATA / "y30r21_v2.json"))
    stored = list(Observation.objects.filter(is_derived=False).order_by("pk").values_list("measure", "value"))
    assert len(stored) == 49
    # The v3 fixture assumes short measure labels without the group prefix and "Område" for the area.
    again = imports.from_file(str(DATA / "y30r21_v3.json"))
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 49)
    assert _observation("157", "faktisk_andel").value == Decimal("6.80")  # Gentofte


def test_a_dimension_is_matched_by_its_id_whatever_its_label(tmp_path):
    content = (
        (DATA / "y30r21_v2.json").read_text(encoding="utf-8").replace('"Label": "Ydelsesgrupper"', '"Label": "Ydelse"')
    )
    path = tmp_path / "y30r21_relabelled.json"
    path.write_text(content, encoding="utf-8")
    imports.from_file(str(path))
    assert _observation("751", "faktisk_antal", "ydelsesgruppe=A-dagpenge mv.").value == 6300


@pytest.mark.parametrize(
    ("variant", "label"),
    [
        ("pct.-point", f"{Y30R21_SHARES}: Forskel mellem forventet og faktisk andel (pct.-point)"),
        ("case and spacing", f"{Y30R21_SHARES.upper()}:  forskel mellem forventet og faktisk andel (PCT. POINT)"),
        ("no group prefix", "Forskel mellem forventet og faktisk andel (pct. point)"),
    ],
)
def test_labels_are_matched_tolerantly(tmp_path, variant, label):
    header = HEADER.replace(f"{Y30R21_SHARES}: Forskel mellem forventet og faktisk andel (pct. point)", label)
    imports.from_file(str(_file(tmp_path, [KBH], header=header)), table="Y30R21")
    assert _observation("101", "forskel_andel").value == Decimal("0.20")


def _replace(row: str, column: int, value: str) -> str:
    cells = row.split(";")
    cells[column] = value
    return ";".join(cells)


BAD = [
    # (what, rows, Danish message, English message)
    (
        "share over 100",
        [_replace(KBH, 7, "140,50"), *ROWS[1:]],
        f"række 2, kolonne '{Y30R21_SHARES}: Faktisk andel (pct.)': andelen 140,50 ligger uden for 0–100",
        f"row 2, column '{Y30R21_SHARES}: Faktisk andel (pct.)': the share 140,50 is outside 0–100",
    ),
    (
        "negative count",
        [_replace(_replace(KBH, 3, "-10"), 5, "44020"), *ROWS[1:]],
        "antallet -10 er negativt",
        "the count -10 is negative",
    ),
    (
        "fractional count",
        [_replace(_replace(KBH, 4, "44010,5"), 5, "940,5"), *ROWS[1:]],
        "antallet 44010,5 er ikke et helt tal",
        "the count 44010,5 is not a whole number",
    ),
    (
        "rank over 98",
        [_replace(KBH, 9, "99"), *ROWS[1:]],
        "placeringen 99 er ikke et helt tal fra 1 til 98",
        "the rank 99 is not a whole number from 1 to 98",
    ),
    (
        "rank not whole",
        [_replace(KBH, 9, "6,5"), *ROWS[1:]],
        "placeringen 6,5 er ikke et helt tal fra 1 til 98",
        "the rank 6,5 is not a whole number from 1 to 98",
    ),
    (
        "rank twice",
        [*ROWS[:6], _replace(ROWS[6], 9, "70")],
        "række 8, kolonne 'Placering på benchmarkranglisten': placeringen 70 er også givet i række 7",
        "row 8, column 'Placering på benchmarkranglisten': the rank 70 is also given in row 7",
    ),
    (
        "difference in counts",
        [_replace(KBH, 5, "990"), *ROWS[1:]],
        "forskellen 990 er ikke 44010 − 43070 = 940",
        "the difference 990 is not 44010 − 43070 = 940",
    ),
    (
        "difference in shares",
        [_replace(KBH, 8, "0,25"), *ROWS[1:]],
        "forskellen 0,25 er ikke 9,28 − 9,08 = 0,2",
        "the difference 0,25 is not 9,28 − 9,08 = 0.2",
    ),
    (
        "monthly period",
        [KBH.replace("2020QMAT02", "2020M06")],
        "kolonne 'Periode': perioden '2020M06' passer ikke til Y30R21 (Rullende fire kvartaler, fx 2020QMAT02)",
        "column 'Periode': period '2020M06' does not fit Y30R21 (Rolling four quarters, e.g. 2020QMAT02)",
    ),
    (
        "future period",
        [KBH.replace("2020QMAT02", "2027QMAT02")],
        "perioden '2027QMAT02' ligger i fremtiden (den slutter 30. juni 2027)",
        "period '2027QMAT02' lies in the future (it ends June 30, 2027)",
    ),
    (
        "unknown area",
        [KBH.replace("København", "Atlantis")],
        "kolonne 'Area': ukendt område 'Atlantis'",
        "column 'Area': unknown area 'Atlantis'",
    ),
    ("not a number", [_replace(KBH, 3, "fyrre")], "ikke et tal: 'fyrre'", "not a number: 'fyrre'"),
    (
        "duplicate row",
        [KBH, KBH],
        "række 3: dublet af række 2 (samme område, periode og opdeling)",
        "row 3: duplicate of row 2 (same area, period and breakdown)",
    ),
]


@pytest.mark.parametrize(("what", "rows", "danish", "english"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_value_is_refused_by_file_row_column_and_value_in_both_languages(
    tmp_path, what, rows, danish, english
):
    call_command("import_jobindsats", file=str(DATA / "Y30R21_v2.csv"), table="Y30R21", verbosity=0)
    before = checksum()
    path = _file(tmp_path, rows, name="Y30R21_bad.csv")
    message = _import(path, "da")
    assert "Y30R21_bad.csv" in message and danish in message, message
    assert "intet blev indlæst" in message
    assert english in _import(path, "en")
    assert checksum() == before


def test_a_header_with_guessed_labels_is_refused_with_what_was_expected(tmp_path):
    before = checksum()
    header = "Område;Periode;Ydelsesgruppe;Forventet antal;Faktisk antal;Placering"
    path = _file(tmp_path, ["København;2020QMAT02;Ydelsesgrupper i alt;43070;44010;63"], header=header)
    danish = _import(path, "da")
    assert "overskrifterne passer ikke til tabel Y30R21" in danish
    assert "kolonnen 'Ydelsesgruppe' svarer ikke til noget i Y30R21" in danish
    assert "kolonnen 'Placering' svarer ikke til noget i Y30R21" in danish
    assert f"kolonnen '{Y30R21_COUNTS}: Forskel mellem forventet og faktisk antal' mangler" in danish
    assert "Forventede kolonner: Område, Periode, Ydelsesgrupper, " in danish
    english = _import(path, "en")
    assert "column 'Placering' matches nothing in Y30R21" in english and "Expected columns: Område" in english
    assert checksum() == before


def test_a_label_that_matches_two_measures_is_refused(tmp_path):
    y30r21 = Indicator.objects.get(code="Y30R21")
    header = HEADER.replace(f"{Y30R21_COUNTS}: Forventet antal", "Forventet antal")
    path = _file(tmp_path, [KBH], header=header)
    # A mistaken alias in the admin: "Forventet antal" now also names the actual count, and so the actual count
    # has two columns.
    SourceColumn.objects.create(indicator=y30r21, role="measure", key="faktisk_antal", label="Forventet antal")
    message = _import(path, "en")
    assert f"columns 'Forventet antal' and '{Y30R21_COUNTS}: Faktisk antal' are both faktisk_antal" in message
    # With the same label given for the expected count too, the label names two measures.
    SourceColumn.objects.create(indicator=y30r21, role="measure", key="forventet_antal", label="Forventet antal")
    message = _import(path, "en")
    assert "column 'Forventet antal' matches more than one of faktisk_antal, forventet_antal" in message
    assert "kolonnen 'Forventet antal' svarer til mere end én af faktisk_antal, forventet_antal" in _import(path, "da")
    assert checksum() == (0, "")


@pytest.mark.parametrize(
    ("content", "danish", "english"),
    [
        (
            b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml....xl/workbook.xml",
            "er en Excel-projektmappe (XLSX)",
            "is an Excel workbook (XLSX), not CSV or JSON",
        ),
        (b"PK\x03\x04\x14\x00\x00\x00data.csv", "er et zip-arkiv", "is a zip archive"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "er et PDF-dokument", "is a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "er et billede (PNG)", "is an image (PNG)"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "er et billede (JPEG)", "is an image (JPEG)"),
        (
            b"<!DOCTYPE html><html><head><title>Log ind</title></head></html>",
            "er en webside (HTML: Log ind)",
            "is a web page (HTML: Log ind)",
        ),
        (
            HEADER.encode("cp1252", "replace") + b"\r\nK\xf8benhavn;2020QMAT02",
            "Den ligner Windows-1252",
            "It looks like Windows-1252",
        ),
    ],
    ids=["xlsx", "zip", "pdf", "png", "jpeg", "html", "cp1252"],
)
def test_a_file_that_is_not_a_table_is_named_for_what_it_is(tmp_path, content, danish, english):
    path = tmp_path / "Y30R21.csv"
    path.write_bytes(content)
    assert danish in _import(path, "da")
    assert english in _import(path, "en")
    assert checksum() == (0, "")
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.FAILED
    with translation.override("da"):
        assert danish in run.error_text
    with translation.override("en"):
        assert english in run.error_text


# --- the benchmark's ranks against its figures ---------------------------------------------------------------


def _full_period(period: str = "2020QMAT02", *, country: tuple[int, int] | None = None) -> list[str]:
    """All 98 municipalities for one period, ranked by difference with ties (as the source does, on unrounded
    figures): every third municipality shares its difference with the one before."""
    lines = []
    for rank, (_code, name, *_) in enumerate(sorted(reference.MUNICIPALITIES, key=lambda m: m[0]), start=1):
        diff = Decimal(rank // 3) / 100 - Decimal("0.30")
        expected = Decimal("9.00")
        actual = expected + diff
        lines.append(f"{name};{period};Ydelsesgrupper i alt;1000;1010;10;{expected};{actual};{diff};{rank}")
    if country:
        lines.append(
            f"Hele landet;{period};Ydelsesgrupper i alt;{country[0]};{country[1]};"
            f"{country[1] - country[0]};9,00;9,10;0,10;"
        )
    return [line.replace(".", ",") for line in lines]


def test_ties_in_the_published_difference_are_not_flagged(tmp_path):
    run = imports.from_file(str(_file(tmp_path, _full_period(country=(98000, 98980)))), table="Y30R21")
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.warnings == []


def test_a_rank_that_contradicts_the_figures_is_flagged_on_the_run(tmp_path, capsys):
    lines = _full_period()
    names = [line.split(";")[0] for line in lines]
    # Swap ranks 10 (difference -0,27) and 13 (-0,26): rank 10 now has a larger difference than ranks 11 and 13.
    lines[9], lines[12] = lines[9].rsplit(";", 1)[0] + ";13", lines[12].rsplit(";", 1)[0] + ";10"
    call_command("import_jobindsats", file=str(_file(tmp_path, lines)), table="Y30R21", locale="da", verbosity=0)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.SUCCEEDED and len(run.warnings) == 2
    out = capsys.readouterr().out
    assert (
        f"Dataadvarsel: 2020QMAT02 (i alt): {names[10]} har placering 11 med forskellen -0,27, men {names[12]} har "
        "placering 10, foran, med den større forskel -0,26: placeringen modsiger de offentliggjorte tal"
    ) in out
    with translation.override("en"):
        texts = [w["text"] for w in run.warning_list]
    assert texts[1] == (
        f"2020QMAT02 (i alt): {names[9]} is ranked 13 with the difference -0.27, but {names[11]} is ranked 12, "
        "ahead of it, with the larger difference -0.26: the rank contradicts the published figures"
    )
    html_run = ImportRun.objects.get()
    assert html_run.warnings[0]["message_json"]["params"]["rank"] == {"number": "11"}


def test_missing_ranks_and_a_country_total_that_is_not_the_sum_are_flagged(tmp_path):
    lines = _full_period(country=(98000, 99990))
    lines[4] = lines[4].rsplit(";", 1)[0] + ";.."
    run = imports.from_file(str(_file(tmp_path, lines)), table="Y30R21")
    with translation.override("en"):
        texts = [w["text"] for w in run.warning_list]
    assert texts == [
        "2020QMAT02 (i alt): all 98 municipalities are listed but the ranks 5 are not given",
        f"2020QMAT02 (i alt): the whole country's {Y30R21_COUNTS}: Faktisk antal is 99,990, but the municipalities' "
        "figures sum to 98,980",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_1_and_says_why_in_danish(reference_data, tmp_path):
    """As a user runs it: `manage.py import_jobindsats` in its own process, against this test database."""
    import os
    import subprocess
    import sys
    from urllib.parse import quote

    from django.conf import settings

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{quote(str(db['HOST']) or 'localhost', safe='')}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": settings.REDIS_URL, "DEBUG": "true"}
    path = _file(tmp_path, [_replace(KBH, 7, "140,50")], name="Y30R21_bad.csv")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "import_jobindsats", "--file", str(path), "--table", "Y30R21", "-v0"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "CommandError: 1 af 1 rækker afvist; intet blev indlæst" in result.stderr
    assert "andelen 140,50 ligger uden for 0–100" in result.stderr
    assert checksum() == (0, "")
    ok = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "import_jobindsats",
            "--file",
            str(DATA / "Y30R21_v2.csv"),
            "--locale",
            "en",
            "-v0",
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0 and "49 created, 0 updated, 0 unchanged" in ok.stdout, ok.stderr
