"""Numbers as Jobindsats writes them: ints, floats, or strings with a decimal comma and thousands dots.
'..', '-' and empty cells mean the figure is missing (suppressed), which is never the same as 0.

One rule per file, said in every error: a file writes decimals either with a comma (Danish: 1.234,5, the way
Jobindsats exports CSV and v2 JSON) or with a point (1234.5, comma-separated files, or a file whose numbers only
ever use a point); `decimal_mark` decides which from the file's own cells and then every cell is held to it, so
"12.5" and "1.500" can never mean 12.5 and 1500 in the same upload. Scientific notation (1e-30, 1E+20) is
refused: nothing Jobindsats or a spreadsheet saved as CSV writes, and a figure stored as 0 or overflowing is worse
than a refused file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from indicators.messages import N_, Msg

MISSING = {"", "..", "-", "–", ".", "x"}
_DANISH = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$", re.ASCII)
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)
_COMMA_DECIMAL = re.compile(r"^-?[\d.]*\d,\d+$", re.ASCII)
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$", re.ASCII)
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$", re.ASCII)
POINT_IN_COMMA_FORMAT = ".,"  # decimal points found in a semicolon CSV or JSON, where commas are the rule


class NumberError(ValueError):
    def __init__(self, raw, message: Msg | None = None):
        self.raw = raw
        super().__init__(message or Msg(N_("not a number: '%(value)s'"), value=raw))


def decimal_mark(cells: Iterable[str], default: str) -> str:
    """',' or '.': the decimal mark a file's text cells use. A cell with a decimal comma says ','; one with a
    point that cannot be a thousands dot ('12.5') says '.'; the more common wins and the other is then refused
    cell by cell. With neither, the format's own (`default`) holds."""
    commas = points = 0
    for cell in cells:
        text = cell.strip()
        if _COMMA_DECIMAL.match(text):
            commas += 1
        elif _POINT_DECIMAL.match(text) and not _THOUSANDS.match(text):
            points += 1
    if commas or points:
        if commas >= points:
            return ","
        # Points, in a format whose decimals are commas: '1.500' could still be a Danish thousand and a half.
        return "." if default == "." else POINT_IN_COMMA_FORMAT
    return default


def number_text(raw, decimal: str = ",") -> str | None:
    """The figure as plain numeric text ('1234.5') for PostgreSQL, None for a missing one; NumberError for
    anything else. `decimal` is the file's decimal mark for text cells (see `decimal_mark`). No Decimal is made:
    the database does the arithmetic (pipeline.py)."""
    if raw is None:
        return None
    kind = type(raw)
    if kind is int:
        return str(raw)
    if kind is float:
        if raw != raw:  # NaN from an empty cell
            return None
        if math.isinf(raw):
            raise NumberError(raw, Msg(N_("'%(value)s' is not a finite number"), value=raw))
        text = repr(raw)
        if "e" in text:
            raise NumberError(raw, _scientific(raw))
        return text
    if kind is bool or not isinstance(raw, str | int | float | Decimal):
        raise NumberError(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING:
        return None
    if "e" in text.lower() and re.match(r"^-?[\d.,]+[eE][-+]?\d+$", text, re.ASCII):
        raise NumberError(raw, _scientific(raw))
    if decimal == ",":
        if _DANISH.match(text):
            return text.replace(".", "").replace(",", ".")
        if _POINT_DECIMAL.match(text):
            raise NumberError(
                raw,
                Msg(
                    N_("'%(value)s' has a decimal point, but this file writes decimals with a comma (e.g. 12,5)"),
                    value=raw,
                ),
            )
    else:
        if decimal == POINT_IN_COMMA_FORMAT and _THOUSANDS.match(text):
            raise NumberError(
                raw,
                Msg(
                    N_(
                        "'%(value)s' could be a thousands dot or a decimal point (this file writes decimals with a "
                        "point elsewhere): write it without the dot, or with one decimal fewer or more"
                    ),
                    value=raw,
                ),
            )
        if _PLAIN.match(text):
            return text
        if _COMMA_DECIMAL.match(text) or _THOUSANDS.match(text):
            raise NumberError(
                raw,
                Msg(
                    N_(
                        "'%(value)s' has a decimal comma or a thousands dot, but this file writes decimals with "
                        "a point (e.g. 12.5)"
                    ),
                    value=raw,
                ),
            )
    raise NumberError(raw)


def _scientific(raw) -> Msg:
    return Msg(
        N_("'%(value)s' is in scientific notation; write the number out (e.g. 0,000001 or 1.500.000)"), value=raw
    )


def parse_number(raw, decimal: str = ",") -> Decimal | None:
    """Decimal for a figure, None for a missing one; NumberError for anything else."""
    text = number_text(raw, decimal)
    return None if text is None else Decimal(text)


def rounded(value, decimals: int) -> Decimal:
    """The one rounding rule for every figure a person reads (cards, tables, charts' texts, reports, exports): the
    exact decimal value, half away from zero, as Danish schoolbooks and the source round. A float is read by its
    shortest repr, so 1.15 is 1.15 (not 1.1499…) and rounds to 1.2 wherever it is shown."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | str):
        number = Decimal(value)
    else:  # a float, or numpy's (whose repr in numpy 2 is "np.float64(…)")
        number = Decimal(repr(float(value)))
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
