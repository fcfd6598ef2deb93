"""Cells a spreadsheet shows as written and never runs. Names and texts in Jobmål's exports come from users (an own
indicator's name, a custom group's, a report's text), and a cell beginning with `=`, `+`, `-`, `@`, a tab or a
carriage return is a formula to Excel and LibreOffice (OWASP: CSV injection). So every export writes such text as
text: a CSV cell gets a leading apostrophe, an XLSX cell is stored as a string, never as a formula. Numbers stay
numbers, in a CSV also when written the Danish way ("-1,7", "−1.160").

Lives in municipalities, the lowest layer, so that every exporter above can use the one rule."""

from __future__ import annotations

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A number as the CSV writers spell it: sign (ASCII or the minus sign), digits with Danish or plain thousands
# separators, a decimal comma or point, perhaps a per cent sign.
_NUMBER = re.compile(r"[+\-\u2212]?\d{1,3}(?:[.\s]?\d{3})*(?:[.,]\d+)?\s?%?|[+\-\u2212]?\d+(?:[.,]\d+)?\s?%?")


def csv_text(value):
    """A CSV cell's value, with text that would start a formula made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value.strip()):
        return "'" + value
    return value


class _Writer:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_text(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(buffer):
    """csv.writer for a Danish spreadsheet (semicolons, CRLF) whose every cell is formula-safe."""
    return _Writer(csv.writer(buffer, delimiter=";", lineterminator="\r\n"))


def as_text(cell):
    """An openpyxl cell that took a text for a formula (it does so for any str beginning with "=") stored as the
    text it is. Texts beginning with +, -, @ are stored as strings by openpyxl already."""
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def xlsx_row(sheet, row: list) -> list:
    """A row for a write-only sheet's append, with every formula-like text a string cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell

    safe = []
    for value in row:
        if isinstance(value, Cell):
            value = as_text(value)
        elif isinstance(value, str) and value.startswith("="):
            value = as_text(WriteOnlyCell(sheet, value=value))
        safe.append(value)
    return safe


def text_only(book) -> None:
    """Before a (normal, not write-only) workbook is saved: no cell of it is a formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                as_text(cell)
