"""Jobindsats answers and files → one table of columns and rows, whatever the format.

Formats are told apart by content, not by file name: v3 JSON ({"columns", "rows"}), v2 JSON
([{"Variables", "Data"}]), and CSV (';' with decimal comma as Jobindsats exports it, or ',' with decimal point),
with or without a UTF-8 byte-order mark. A file that is something else altogether (a workbook, a PDF, a web
page, a picture) is named as such before any attempt to read it as text.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import json
import re
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import orjson

from indicators.messages import N_, Msg, Number

WRONG_KEY = "Forkert nøgle eller nøglen er udløbet."
# A Jobindsats table has a dozen columns or so and lines well under a kilobyte. Far wider headers or longer lines are
# refused before any parsing, whose cost grows with them (a 250 KB header of 125,000 empty columns once held a web
# worker for 11 s and answered with a 7 MB page).
MAX_COLUMNS = 200
MAX_LINE = 10_000
# JSON nested deeper than this is not a table; refused before the parser recurses into it.
MAX_JSON_DEPTH = 32


class SourceError(Exception):
    """Bad input: the message says what was wrong and where. The message may be a Msg, translated when shown;
    the exception's args hold its English text, so it crosses process boundaries (Celery results) as text."""

    def __init__(self, message: Msg | str = "", *args):
        self.message = message
        super().__init__(message.english() if isinstance(message, Msg) else message, *args)

    def __str__(self) -> str:
        return str(self.message) if isinstance(getattr(self, "message", None), Msg) else super().__str__()


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
    # The source's own column ids where the format carries them (v2 JSON `Variables[].Name`, v3 column objects).
    ids: list[str | None] = field(default_factory=list)


# Leading bytes of the files people pick up by mistake, with what to tell them.
_SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF", N_("%(name)s is a PDF document, not a data file: download the table from Jobindsats as CSV.")),
    (b"\x89PNG", N_("%(name)s is an image (PNG), not a data file: download the table from Jobindsats as CSV.")),
    (b"\xff\xd8\xff", N_("%(name)s is an image (JPEG), not a data file: download the table from Jobindsats as CSV.")),
    (b"GIF8", N_("%(name)s is an image (GIF), not a data file: download the table from Jobindsats as CSV.")),
    (b"\x1f\x8b", N_("%(name)s is a compressed (gzip) file: unpack it first.")),
    (
        b"\xd0\xcf\x11\xe0",
        N_("%(name)s is an old Excel workbook (XLS): save it as CSV UTF-8, or download the table as CSV."),
    ),
]


def sniff(content: bytes, name: str) -> None:
    """Refuse, with a message that says what it is, a file that is not text at all."""
    head = content[:8]
    for signature, message in _SIGNATURES:
        if head.startswith(signature):
            raise SourceFormatError(Msg(message, name=name))
    if head.startswith(b"RIFF") and content[8:12] == b"WEBP":
        raise SourceFormatError(
            Msg(
                N_("%(name)s is an image (WebP), not a data file: download the table from Jobindsats as CSV."),
                name=name,
            )
        )
    if head.startswith(b"PK\x03\x04"):
        # Every XLSX holds xl/workbook.xml; any other zip is named as a zip.
        if b"xl/" in content:
            raise SourceFormatError(
                Msg(
                    N_(
                        "%(name)s is an Excel workbook (XLSX), not CSV or JSON: save it as CSV UTF-8 "
                        "(semicolon-separated), or download the table from Jobindsats as CSV."
                    ),
                    name=name,
                )
            )
        raise SourceFormatError(
            Msg(N_("%(name)s is a zip archive: unpack it and import the CSV or JSON inside."), name=name)
        )


def decode(content: bytes, name: str) -> str:
    sniff(content, name)
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in content[:4096]:
            raise SourceFormatError(
                Msg(N_("%(name)s is a binary file, not text: Jobmål reads CSV or JSON from Jobindsats."), name=name)
            ) from None
        try:
            content.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceFormatError(
                Msg(N_("%(name)s: not UTF-8 text (byte %(byte)s)."), name=name, byte=exc.start)
            ) from None
        raise SourceFormatError(
            Msg(
                N_(
                    "%(name)s: not UTF-8 text (byte %(byte)s). It looks like Windows-1252 (cp1252): "
                    "save or export it as UTF-8."
                ),
                name=name,
                byte=exc.start,
            )
        ) from None


def parse(content: bytes, name: str = "input") -> Table:
    """Detect the format of `content` and return its table; SourceError names what is wrong."""
    with collector_paused():
        return _parse(content, name)


@contextmanager
def collector_paused():
    """A million rows read are a million lists that stay: the cycle collector walked them all again each time more
    piled up (two thirds of the reading's time), and again after. Rows hold no cycles; reference counting frees them.
    Pause it while they live; the process's other garbage waits that long."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(content: bytes, name: str) -> Table:
    text = decode(content, name).strip()
    if not text:
        raise SourceFormatError(Msg(N_("%(name)s: empty answer, no data"), name=name))
    if text[:1] == "<":
        title = re.search(r"<title>(.*?)</title>", text, re.I | re.S)
        if title:
            raise SourceFormatError(
                Msg(N_("%(name)s is a web page (HTML: %(title)s), not data"), name=name, title=title.group(1).strip())
            )
        raise SourceFormatError(Msg(N_("%(name)s is a web page (HTML), not data"), name=name))
    if text[:1] in "[{":
        return _parse_json(text, name, content)
    return _parse_csv(text, name)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth(text: str, limit: int = MAX_JSON_DEPTH) -> int:
    """How deeply `text` nests arrays and objects, counted up to `limit` + 1 (strings skipped), without parsing it:
    the parser recurses once per level and a deep enough text exhausts the interpreter's stack."""
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(text):
        mark = token.group()
        if mark in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif mark in "]}":
            depth -= 1
    return deepest


def _parse_json(text: str, name: str, content: bytes) -> Table:
    # A million-row answer is read in a third of the time by orjson. Anything but a plain table (rows of text,
    # numbers and nulls, nested no deeper than a table is) is read as before by the standard library, which says
    # where it breaks and how deep it goes: what orjson refuses (NaN, lone surrogates, broken JSON), what it reads
    # differently (a whole number past 64 bits becomes a float) and what it reads deeper than MAX_JSON_DEPTH.
    data = None
    if _LONG_NUMBER not in content.translate(_DIGITS_AS_NINES):  # one pass in C; a regex took ten times as long
        with suppress(orjson.JSONDecodeError):
            data = orjson.loads(text)
    if data is None or not _plain_table(data):
        data = _standard_json(text, name)
    return _json_table(data, name)


_DIGITS_AS_NINES = bytes.maketrans(b"0123456789", b"9" * 10)
_LONG_NUMBER = b"9" * 20  # a whole number past 64 bits has 20 digits or more
_PLAIN = {str, int, float, bool, type(None)}


def _plain_table(data) -> bool:
    """Whether parsed JSON is a v3 or v2 table whose rows hold plain cells and whose other parts nest no deeper than
    MAX_JSON_DEPTH; the million cells are looked at in C (their types), the rest walked."""
    if isinstance(data, dict):
        rows, rest = data.get("rows"), {k: v for k, v in data.items() if k != "rows"}
    elif isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
        rows, rest = data[0].get("Data"), [{k: v for k, v in data[0].items() if k != "Data"}]
    else:
        return False
    if not isinstance(rows, list) or not set(map(type, rows)) <= {list}:
        return False
    if not set(map(type, itertools.chain.from_iterable(rows))) <= _PLAIN:
        return False
    return _depth(rest, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH  # the rows are 3 or 4 levels deep: never too deep


def _depth(value, limit: int) -> int:
    """How deeply parsed JSON nests lists and objects, counted up to `limit` + 1."""
    if not isinstance(value, dict | list) or limit < 0:
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


def _standard_json(text: str, name: str):
    try:
        if json_depth(text) > MAX_JSON_DEPTH:
            raise RecursionError
        return json.loads(text)
    except RecursionError:
        raise SourceFormatError(Msg(N_("%(name)s: JSON nested too deeply to be a table"), name=name)) from None
    except json.JSONDecodeError as exc:
        raise SourceFormatError(
            Msg(
                N_("%(name)s: invalid or truncated JSON at line %(line)s, column %(column)s: %(error)s"),
                name=name,
                line=exc.lineno,
                column=exc.colno,
                error=exc.msg,
            )
        ) from None


def _json_table(data, name: str) -> Table:
    if isinstance(data, dict) and WRONG_KEY in data:
        raise SourceAuthError(
            Msg(N_("%(name)s: Jobindsats rejected the API key (%(answer)s)"), name=name, answer=WRONG_KEY)
        )
    if isinstance(data, dict) and "columns" in data and "rows" in data:
        labels, ids = [], []
        for column in data["columns"]:
            if isinstance(column, dict):
                labels.append(str(column.get("label") or column.get("name") or column.get("id") or ""))
                ids.append(column.get("id") or column.get("name"))
            else:
                labels.append(str(column))
                ids.append(None)
        return _checked(Table("v3 JSON", labels, data["rows"], table_id=data.get("table_id"), ids=ids), name)
    if isinstance(data, list) and data and isinstance(data[0], dict) and "Variables" in data[0]:
        block = data[0]
        variables = block["Variables"]
        labels = [str(v.get("Label") or v.get("Name") or "") for v in variables]
        ids = [v.get("Name") for v in variables]
        return _checked(Table("v2 JSON", labels, block.get("Data") or [], table_id=block.get("TableID"), ids=ids), name)
    if isinstance(data, dict) and any(k.lower() in {"message", "error", "errors"} for k in data):
        raise SourceFormatError(
            Msg(
                N_("%(name)s: the API answered with an error: %(answer)s"),
                name=name,
                answer=json.dumps(data, ensure_ascii=False)[:300],
            )
        )
    raise SourceFormatError(
        Msg(N_("%(name)s: JSON that is neither Jobindsats v3 (columns/rows) nor v2 (Variables/Data)"), name=name)
    )


def _parse_csv(text: str, name: str) -> Table:
    too_long = re.search(f"[^\n]{{{MAX_LINE + 1}}}", text)
    if too_long:
        start = text.rfind("\n", 0, too_long.start()) + 1
        end = text.find("\n", start)
        raise SourceFormatError(
            Msg(
                N_(
                    "%(name)s: line %(line)s is %(length)s characters long; a line of a table may have %(limit)s at "
                    "most"
                ),
                name=name,
                line=Number(text.count("\n", 0, start) + 1),
                length=Number((len(text) if end < 0 else end) - start),
                limit=Number(MAX_LINE),
            )
        )
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") >= header.count(",") else ","
    check_width(header.count(delimiter) + 1, name)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = [row for row in reader if row]
    except csv.Error as exc:
        raise SourceFormatError(
            Msg(N_("%(name)s: broken CSV at line %(line)s: %(error)s"), name=name, line=reader.line_num, error=exc)
        ) from None
    if len(rows[0]) < 3:
        raise SourceFormatError(
            Msg(N_("%(name)s: not a Jobindsats table (a header of area, period and figures expected)"), name=name)
        )
    kind = "CSV (semicolon, decimal comma)" if delimiter == ";" else "CSV (comma, decimal point)"
    columns = [c.strip() for c in rows[0]]
    table = Table(kind, columns, rows[1:], decimal="," if delimiter == ";" else ".", ids=[None] * len(columns))
    return _checked(table, name, first_line=2)


def _checked(table: Table, name: str, first_line: int = 1) -> Table:
    if not isinstance(table.rows, list):
        raise SourceFormatError(Msg(N_("%(name)s: the rows are not a list of rows"), name=name))
    if not table.rows:
        raise SourceFormatError(Msg(N_("%(name)s: empty answer, the table has no rows"), name=name))
    width = len(table.columns)
    check_width(width, name)
    for i, row in enumerate(table.rows):
        if not isinstance(row, list) or len(row) != width:
            got = len(row) if isinstance(row, list) else type(row).__name__
            raise SourceFormatError(
                Msg(
                    N_("%(name)s: row %(row)s has %(got)s fields, the header has %(width)s (truncated file?)"),
                    name=name,
                    row=i + first_line,
                    got=got,
                    width=width,
                )
            )
    return table


def check_width(columns: int, name: str, row: int | None = None) -> None:
    """Refuse a table wider than any Jobindsats table, naming its header or the `row` found too wide."""
    if columns <= MAX_COLUMNS:
        return
    if row is None:
        message = N_("%(name)s: the header has %(count)s columns; a table may have %(limit)s at most")
    else:
        message = N_("%(name)s, row %(row)s: %(count)s columns; a table may have %(limit)s at most")
    raise SourceFormatError(
        Msg(message, name=name, row=Number(row or 0), count=Number(columns), limit=Number(MAX_COLUMNS))
    )
