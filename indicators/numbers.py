"""Numbers as Jobindsats writes them: ints, floats, or strings with a decimal comma and thousands dots.
'..', '-' and empty cells mean the figure is missing (suppressed), which is never the same as 0."""

from __future__ import annotations

import math
import re
from decimal import Decimal

from indicators.messages import N_, Msg

MISSING = {"", "..", "-", "–", ".", "x"}
_DANISH = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


class NumberError(ValueError):
    def __init__(self, raw):
        self.raw = raw
        super().__init__(Msg(N_("not a number: '%(value)s'"), value=raw))


def number_text(raw, decimal: str = ",") -> str | None:
    """The figure as plain numeric text ('1234.5') for PostgreSQL, None for a missing one; NumberError for
    anything else. `decimal` is the source's decimal mark for strings: ',' (Danish: '1.234,5') or '.'
    (comma-separated files: '1234.5'). No Decimal is made: the database does the arithmetic (pipeline.py)."""
    if raw is None:
        return None
    kind = type(raw)
    if kind is int:
        return str(raw)
    if kind is float:
        if raw != raw:  # NaN from an empty cell
            return None
        if math.isinf(raw):
            raise NumberError(raw)
        return repr(raw)
    if kind is bool or not isinstance(raw, str | int | float | Decimal):
        raise NumberError(raw)
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING:
        return None
    if decimal == "," and _DANISH.match(text):
        return text.replace(".", "").replace(",", ".")
    if _PLAIN.match(text):
        return text
    raise NumberError(raw)


def parse_number(raw, decimal: str = ",") -> Decimal | None:
    """Decimal for a figure, None for a missing one; NumberError for anything else."""
    text = number_text(raw, decimal)
    return None if text is None else Decimal(text)
