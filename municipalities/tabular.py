"""Tables out of Jobmål as files, one way for every export: the dashboard's tables, a chart's data table and the
committee reports' spreadsheets.

- CSV for Danish spreadsheets and pandas: UTF-8 with a byte-order mark, semicolons, decimal comma, no thousands
  separator, the demo note as the first line when the figures are demo data.
- XLSX: numbers stored as numbers with Danish-friendly number formats, the title (with the demo label) in the first
  row, the header frozen below it, and a Metadata sheet saying what the figures are, where they come from and when.
- Every exporter returns `(filename, content type, bytes)`; text a spreadsheet would run as a formula is written as
  text (municipalities.spreadsheets).

A `Table` is plain values (Decimal, int, str, date, None) with a kind per column. Lives in municipalities, the lowest
layer, so that every app's exports can use it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from municipalities import spreadsheets

TEXT, INTEGER, DECIMAL, PERCENT, POINTS, DATE = "text", "integer", "decimal", "percent", "points", "date"
CSV, XLSX, PDF = "csv", "xlsx", "pdf"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    PDF: "application/pdf",
}
FORMATS = (CSV, XLSX)  # the formats of a table; a report is also a PDF (reports.exports)
BOM = "\ufeff"  # Excel opens UTF-8 with a byte-order mark correctly


def demo_note() -> str:
    """The first line of every export of demo figures, in the reader's language (Danish: "DEMODATA: …")."""
    return _("DEMO DATA: generated figures, not real figures from Jobindsats")


def demo_label(is_demo: bool) -> str:
    """What the figures are, for a table's metadata and a workbook's title."""
    return _("Demo data (generated figures, not real ones)") if is_demo else _("Real figures from Jobindsats.dk")


@dataclass(frozen=True)
class Column:
    label: str
    # text, integer, decimal, percent (a share in pct., 0–100), points (pct. points, signed) or date
    kind: str = TEXT
    places: int | None = 0  # decimals of decimal, percent and points; None: as stored, without trailing zeros

    @property
    def is_number(self) -> bool:
        return self.kind not in (TEXT, DATE)

    @property
    def number_format(self) -> str:
        """Excel's format code; Excel shows its separators in the reader's locale (Danish: 1.234,56)."""
        if self.kind == TEXT:
            return "@"
        if self.kind == DATE:
            return "dd-mm-yyyy"
        places = self.places or 0
        digits = "#,##0" + ("." + "0" * places if self.kind != INTEGER and places else "")
        if self.kind == POINTS:
            return f"+{digits};-{digits};{digits.replace('#,##', '')}"
        return digits


@dataclass
class Table:
    title: str | None  # None: the header is the first line (a table for pandas)
    columns: list[Column]
    rows: list[list]
    metadata: list[tuple[str, str]] = field(default_factory=list)
    is_demo: bool = False
    filename: str = "jobmaal-tabel"  # without the extension
    notes: list[str] = field(default_factory=list)  # lines after a CSV's table (e.g. the source)


def number(column: Column, value) -> Decimal | int | None:
    """A cell's number as written: a count whole, a share or difference with the column's places (half away from
    zero, as people round), or as stored."""
    if value is None:
        return None
    if column.kind == INTEGER:
        return int(Decimal(value).to_integral_value(rounding=ROUND_HALF_UP))
    if column.places is None:
        return Decimal(value).normalize() + 0  # + 0: no exponent for whole numbers ("1200", not "1.2E+3")
    return Decimal(value).quantize(Decimal(1).scaleb(-column.places), rounding=ROUND_HALF_UP)


# CSV ---------------------------------------------------------------------------------------------------------------


def to_csv(table: Table) -> str:
    """The table for a Danish spreadsheet: the demo note first when demo, the title, the header, the rows, the notes,
    then the metadata as label;value lines after an empty line."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = spreadsheets.csv_writer(buffer)
    if table.is_demo:
        writer.writerow([demo_note()])
    if table.title is not None:
        writer.writerow([table.title])
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(c, v) for c, v in zip(table.columns, row, strict=True)])
    if table.notes or table.metadata:
        writer.writerow([])
    writer.writerows([note] for note in table.notes)
    writer.writerows(table.metadata)
    return buffer.getvalue()


def _csv_cell(column: Column, value) -> str:
    if value is None:
        return ""
    if column.kind == DATE:
        return value.isoformat()
    if not column.is_number:
        return str(value)
    written = number(column, value)
    # A Decimal as plain digits ("1200", never "1.2E+3"); a count as the whole number it is.
    text = format(written, "f") if isinstance(written, Decimal) else str(written)
    return text.replace(".", ",")  # a plain "-" and no thousands separator


# XLSX --------------------------------------------------------------------------------------------------------------


def cell(sheet, value, number_format: str | None = None, *, bold: bool = False, wrap: bool = False) -> WriteOnlyCell:
    """A cell of a write-only sheet with its number format and style."""
    written = WriteOnlyCell(sheet, value=value)
    if number_format:
        written.number_format = number_format
    if bold:
        written.font = Font(bold=True)
    if wrap:
        written.alignment = Alignment(wrap_text=True, vertical="top")
    return written


def append(sheet, row: list) -> None:
    sheet.append(spreadsheets.xlsx_row(sheet, row))  # texts from users (names, report texts) never run as formulas


def start_sheet(book: Workbook, name: str, title: str, widths: list[int], freeze: str | None = None):
    """A write-only sheet with its column widths and its title in the first row (write-only: a report's few thousand
    rows are written in a fraction of the time a normal workbook takes)."""
    sheet = book.create_sheet(name)
    if freeze:
        sheet.freeze_panes = freeze  # a write-only sheet takes it before its first row only
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True, size=13)
    append(sheet, [heading])
    return sheet


def header(sheet, labels: list[str]) -> None:
    append(sheet, [cell(sheet, label, bold=True, wrap=True) for label in labels])


def table_rows(sheet, table: Table) -> None:
    """The table's rows below its header, numbers as numbers with their column's format."""
    for row in table.rows:
        append(
            sheet,
            [
                cell(sheet, number(c, v) if c.is_number else v, c.number_format if c.kind != TEXT else None)
                for c, v in zip(table.columns, row, strict=True)
            ],
        )


def metadata_sheet(book: Workbook, rows: list[tuple[str, str]], *, title: str | None = None, widths=None) -> None:
    """The Metadata sheet: what the figures are, label and value per row."""
    values = [str(v) for _label, v in rows]
    sheet = book.create_sheet("Metadata")
    for i, width in enumerate(widths or [24, min(max([20, *(len(v) + 2 for v in values)]), 90)], start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    if title is not None:
        heading = WriteOnlyCell(sheet, value=title)
        heading.font = Font(bold=True, size=13)
        append(sheet, [heading])
    for label, value in rows:
        append(sheet, [cell(sheet, label, bold=True), value])


def to_xlsx(table: Table) -> bytes:
    """The table as a workbook: the title (with the demo label) in the first row, the header frozen below it,
    numbers as numbers with their format, and a Metadata sheet."""
    book = Workbook(write_only=True)
    widths = []
    for i in range(len(table.columns)):
        texts = [str(v) for row in table.rows if (v := row[i]) is not None]
        widths.append(min(max([12, *(len(t) + 2 for t in texts)]), 45))
    title = table.title or ""
    sheet = start_sheet(book, _("Table"), f"{demo_label(True)}: {title}" if table.is_demo else title, widths, "A3")
    if table.rows:
        sheet.auto_filter.ref = f"A2:{get_column_letter(len(table.columns))}{2 + len(table.rows)}"
    header(sheet, [c.label for c in table.columns])
    table_rows(sheet, table)
    metadata_sheet(book, table.metadata)
    return save(book)


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(table: Table, fmt: str) -> tuple[str, str, bytes]:
    """The table as a file in `fmt` (one of FORMATS): (filename, content type, bytes)."""
    body = to_csv(table).encode("utf-8") if fmt == CSV else to_xlsx(table)
    return f"{table.filename}.{fmt}", CONTENT_TYPES[fmt], body


def download(filename: str, content_type: str, body: bytes) -> HttpResponse:
    """An exporter's file as the browser's download."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
