"""Jobindsats period codes → explicit start and end dates.

2020M01 (month), 2020Q1 (quarter), 2020QMAT02 (the four quarters ending with Q2 2020), 2020 or 2020Y (year),
2020MYTD03 (January to March 2020) and 2020H1 (half-year, used for the recruitment survey).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERNS = [
    ("QMAT", re.compile(r"^(\d{4})QMAT0?([1-4])$", re.ASCII)),
    ("MYTD", re.compile(r"^(\d{4})MYTD(\d{2})$", re.ASCII)),
    ("M", re.compile(r"^(\d{4})M(\d{2})$", re.ASCII)),
    ("Q", re.compile(r"^(\d{4})Q([1-4])$", re.ASCII)),
    ("H", re.compile(r"^(\d{4})H([12])$", re.ASCII)),
    ("Y", re.compile(r"^(\d{4})Y?$", re.ASCII)),
]


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    code: str
    type: str
    start: dt.date
    end: dt.date

    def shifted_years(self, years: int) -> str:
        """The code of the same period `years` later (negative for earlier): year-on-year comparisons."""
        return str(int(self.code[:4]) + years) + self.code[4:]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse(code: str) -> Period:
    """Parse a raw period code; PeriodError names the code when it is not one Jobindsats uses."""
    text = str(code).strip().upper()
    for kind, pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        n = int(match.group(2)) if kind != "Y" else 0
        if not 1990 <= year <= 2100:
            break
        if kind == "M" or kind == "MYTD":
            if not 1 <= n <= 12:
                break
            start = dt.date(year, n, 1) if kind == "M" else dt.date(year, 1, 1)
            return Period(text, kind, start, _month_end(year, n))
        if kind == "Q":
            return Period(text, kind, dt.date(year, 3 * n - 2, 1), _month_end(year, 3 * n))
        if kind == "QMAT":
            end = _month_end(year, 3 * n)
            start = dt.date(year - 1, 3 * n + 1, 1) if n < 4 else dt.date(year, 1, 1)
            return Period(f"{year}QMAT0{n}", kind, start, end)
        if kind == "H":
            return Period(text, kind, dt.date(year, 6 * n - 5, 1), _month_end(year, 6 * n))
        return Period(f"{year}", "Y", dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise PeriodError(f"unknown period {code!r} (expected e.g. 2020M01, 2020Q1, 2020QMAT02, 2020H1, 2020)")


def months(first: str, last: str) -> list[str]:
    """Month codes from first to last inclusive."""
    start, end = parse(first).start, parse(last).start
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year}M{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def in_words(code: str, *, short: bool = False) -> str:
    """A period as a person reads it, in the active language: "december 2021" ("dec. 2021" when short, for an axis),
    "1. halvår 2016", "2. kvt. 2020", "fire kvartaler til og med 2. kvartal 2020" ("4 kvt. til 2. kvt. 2020" when
    short), "2020", "januar–marts 2020". A code that is not a period is returned as it is."""
    from django.utils import formats
    from django.utils.translation import gettext as _

    try:
        period = parse(code)
    except PeriodError:
        return str(code)
    year, n = period.code[:4], period.code[-1]
    if period.type == "M":
        if short:
            return f"{formats.date_format(period.start, 'b')}. {year}"
        return formats.date_format(period.start, "F Y")
    if period.type == "H":
        return _("%(n)s. half %(year)s") % {"n": n, "year": year}
    if period.type == "Q":
        return _("Q%(q)s %(year)s") % {"q": n, "year": year}
    if period.type == "QMAT" and short:
        return _("4 quarters to Q%(q)s %(year)s") % {"q": n, "year": year}
    if period.type == "QMAT":
        return _("four quarters to Q%(q)s %(year)s") % {"q": n, "year": year}
    if period.type == "MYTD":
        return f"{formats.date_format(dt.date(int(year), 1, 1), 'F')}–{formats.date_format(period.end, 'F Y')}"
    return year


_ANY_CODE = re.compile(r"\b\d{4}(?:QMAT0?[1-4]|MYTD\d\d|M\d\d|Q[1-4]|H[12])\b", re.ASCII)


def text_in_words(text: str) -> str:
    """Every period code in a text (an import run's "2016QMAT02–2021M12 (96)") in words."""
    return _ANY_CODE.sub(lambda m: in_words(m.group(), short=True), text or "")
