"""Long ranked tables on a phone: the reader's own areas and their neighbours in the order shown first (or the
first rows, for a reader without one), the rest behind "Vis alle". Every row is in the page; on a wide screen all
are shown, on a narrow one the rest are hidden by the stylesheet until the reader asks (static/js/base.js), or
the page is asked for with `alle=1` where no script runs."""

from __future__ import annotations

from collections.abc import Sequence

NEIGHBOURS = 2  # rows shown either side of an own area
FIRST = 10  # rows shown when the reader has no own area in the table
SHORT = 15  # a table this long is shown whole


def near(rows: Sequence, is_own) -> set[int]:
    """The indexes of the rows a phone shows before "Vis alle"; all of them for a short table."""
    if len(rows) <= SHORT:
        return set(range(len(rows)))
    own = [i for i, row in enumerate(rows) if is_own(row)]
    if not own:
        return set(range(min(FIRST, len(rows))))
    return {j for i in own for j in range(max(0, i - NEIGHBOURS), min(len(rows), i + NEIGHBOURS + 1))}
