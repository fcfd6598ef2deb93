"""Jobindsats answers and files → one table of columns and rows, whatever the format.

Formats are told apart by content, not by file name: v3 JSON ({"columns", "rows"}), v2 JSON
([{"Variables", "Data"}]), and CSV (';' with decimal comma as Jobindsats exports it, or ',' with decimal point),
with or without a UTF-8 byte-order mark.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

WRONG_KEY = "Forkert nøgle eller nøglen er udløbet."


class SourceError(Exception):
    """Bad input: the message says what was wrong and where."""


class SourceFormatError(SourceError):
    pass


class SourceAuthError(SourceError):
    pass


@dataclass
class Table:
    format: str
    columns: list[str]
    rows: list[list]
    decimal: str = ","
    table_id: str | None = None
    meta: dict = field(default_factory=dict)


def decode(content: bytes, name: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            content.decode("cp1252")
            hint = " It looks like Windows-1252 (cp1252): save or export it as UTF-8."
        except UnicodeDecodeError:
            pass
        raise SourceFormatError(f"{name}: not UTF-8 text (byte {exc.start}).{hint}") from None


def parse(content: bytes, name: str = "input") -> Table:
    """Detect the format of `content` and return its table; SourceError names what is wrong."""
    text = decode(content, name).strip()
    if not text:
        raise SourceFormatError(f"{name}: empty answer, no data")
    if text[:1] == "<":
        title = re.search(r"<title>(.*?)</title>", text, re.I | re.S)
        what = f" ({title.group(1).strip()})" if title else ""
        raise SourceFormatError(f"{name}: received an HTML page{what} instead of data")
    if text[:1] in "[{":
        return _parse_json(text, name)
    return _parse_csv(text, name)


def _parse_json(text: str, name: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            f"{name}: invalid or truncated JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    if isinstance(data, dict) and WRONG_KEY in data:
        raise SourceAuthError(f"{name}: Jobindsats rejected the API key ({WRONG_KEY})")
    if isinstance(data, dict) and "columns" in data and "rows" in data:
        columns, rows = data["columns"], data["rows"]
        columns = [c if isinstance(c, str) else (c.get("label") or c.get("name") or "") for c in columns]
        return _checked(Table("v3 JSON", columns, rows, table_id=data.get("table_id")), name)
    if isinstance(data, list) and data and isinstance(data[0], dict) and "Variables" in data[0]:
        block = data[0]
        columns = [v.get("Label") or v.get("Name") or "" for v in block["Variables"]]
        return _checked(Table("v2 JSON", columns, block.get("Data") or [], table_id=block.get("TableID")), name)
    if isinstance(data, dict) and any(k.lower() in {"message", "error", "errors"} for k in data):
        raise SourceFormatError(f"{name}: the API answered with an error: {json.dumps(data, ensure_ascii=False)[:300]}")
    raise SourceFormatError(f"{name}: JSON that is neither Jobindsats v3 (columns/rows) nor v2 (Variables/Data)")


def _parse_csv(text: str, name: str) -> Table:
    header = text.splitlines()[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        raise SourceFormatError(f"{name}: broken CSV at line {reader.line_num}: {exc}") from None
    if len(rows[0]) < 3:
        raise SourceFormatError(f"{name}: not a Jobindsats table (a header of area, period and figures expected)")
    kind = "CSV (semicolon, decimal comma)" if delimiter == ";" else "CSV (comma, decimal point)"
    table = Table(kind, [c.strip() for c in rows[0]], rows[1:], decimal="," if delimiter == ";" else ".")
    return _checked(table, name, first_line=2)


def _checked(table: Table, name: str, first_line: int = 1) -> Table:
    if not table.rows:
        raise SourceFormatError(f"{name}: empty answer, the table has no rows")
    width = len(table.columns)
    for i, row in enumerate(table.rows):
        if not isinstance(row, list) or len(row) != width:
            got = len(row) if isinstance(row, list) else type(row).__name__
            raise SourceFormatError(
                f"{name}: row {i + first_line} has {got} fields, the header has {width} (truncated file?)"
            )
    return table
