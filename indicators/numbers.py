"""Numbers as Jobindsats writes them: ints, floats, or strings with a decimal comma and thousands dots.
'..', '-' and empty cells mean the figure is missing (suppressed), which is never the same as 0."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MISSING = {"", "..", "-", "–", ".", "x"}
_DANISH = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


class NumberError(ValueError):
    pass


def parse_number(raw, decimal: str = ",") -> Decimal | None:
    """Decimal for a figure, None for a missing one; NumberError for anything else. `decimal` is the source's
    decimal mark for strings: ',' (Danish: '1.234,5') or '.' (comma-separated files: '1234.5')."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise NumberError(f"not a number: {raw!r}")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw:  # NaN from an empty cell
            return None
        return Decimal(repr(raw))
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
    if text in MISSING:
        return None
    try:
        if decimal == "," and _DANISH.match(text):
            return Decimal(text.replace(".", "").replace(",", "."))
        if _PLAIN.match(text):
            return Decimal(text)
    except InvalidOperation:
        pass
    raise NumberError(f"not a number: {raw!r}")
