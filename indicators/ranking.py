"""Ranks and quartiles of areas on one figure, as the comparison shows them.

Ranks follow the indicator's polarity (rank 1 is the best: the highest share in employment, the lowest count of
persons on benefits); equal values share the better rank and the next rank is skipped ("1, 2, 2, 4"), as league
tables and Jobindsats' own rankings do. Areas without a value (suppressed, not yet published) get no rank and no
quartile, and do not count in the number ranked. A neutral indicator is ranked largest first: a ranking of sizes,
not of merit, and the page says so.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal

HIGHER_BETTER, LOWER_BETTER, NEUTRAL = "higher", "lower", "neutral"


def ranks(values: Mapping[Hashable, Decimal | float | None], polarity: str) -> dict[Hashable, int | None]:
    """Competition ranks (1 = best by the polarity); None for areas without a value."""
    present = [(key, value) for key, value in values.items() if value is not None]
    descending = polarity != LOWER_BETTER
    present.sort(key=lambda kv: kv[1], reverse=descending)
    out: dict[Hashable, int | None] = dict.fromkeys(values)
    previous, rank = None, 0
    for position, (key, value) in enumerate(present, start=1):
        if value != previous:
            rank, previous = position, value
        out[key] = rank
    return out


def quartiles(rank_of: Mapping[Hashable, int | None]) -> dict[Hashable, int | None]:
    """Quartile 1 (the best quarter) to 4 from the ranks; tied areas are in the same quartile. With n ranked
    areas, rank r is in quartile ⌈4r/n⌉, so 98 municipalities split 24/25/24/25."""
    n = sum(1 for rank in rank_of.values() if rank is not None)
    return {key: None if rank is None else -(-4 * rank // n) for key, rank in rank_of.items()}


def change(value: Decimal | None, year_before: Decimal | None, *, share: bool = True) -> Decimal | None:
    """The change on the same period a year before: percentage points for a share, per cent for a count (as on the
    dashboards' cards, so the two never disagree)."""
    if value is None or year_before is None:
        return None
    if share:
        return value - year_before
    return (value - year_before) / year_before * 100 if year_before else None
