"""The ministry's benchmark (Y30R21) read as ministry staff read it: is a rank borne out by the figures, is a move
in the ranking news or noise, and which municipalities have been above their expected share long enough to be
followed up (*skærpet opfølgning*).

Y30R21 publishes, per municipality, period and benefit group, the expected and actual number and share of full-time
persons on public support, their differences (actual − expected) and the rank 1–98, where 1 is furthest below
expected. The source ranks on unrounded figures and publishes rounded ones (shared/jobindsats.md §3), so in rank
order the published difference never decreases; a tie in the rounded figures is the source's to break, never a
contradiction.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

CODE = "Y30R21"  # the benchmark's table on Jobindsats (shared/jobindsats.md §3)
RANGE_PERIODS = 4


@dataclass(frozen=True)
class Contradiction:
    area: Hashable
    rank: int
    difference: Decimal
    ahead: Hashable  # the area ranked just before it, with a larger difference
    ahead_rank: int
    ahead_difference: Decimal


def contradictions(rows: Mapping[Hashable, tuple[int | None, Decimal | None]]) -> list[Contradiction]:
    """Areas whose rank the published differences contradict: rows are {area: (rank, difference in pct. points)};
    an area is flagged when the area ranked just before it has a strictly larger difference."""
    present = [(rank, diff, area) for area, (rank, diff) in rows.items() if rank is not None and diff is not None]
    ranked = sorted(present, key=lambda row: row[0])
    found = []
    for (prev_rank, prev_diff, prev_area), (rank, diff, area) in zip(ranked, ranked[1:], strict=False):
        if prev_diff > diff:
            found.append(Contradiction(area, rank, diff, prev_area, prev_rank, prev_diff))
    return found


@dataclass(frozen=True)
class RankRange:
    low: int  # the best (smallest) rank in the periods before the latest
    high: int
    latest: int
    previous: int | None

    @property
    def move(self) -> int | None:
        """Places gained (positive) or lost since the period before."""
        return None if self.previous is None else self.previous - self.latest

    @property
    def is_noise(self) -> bool:
        """Whether the latest rank lies within the range of the periods before it: a move, but not news."""
        return self.low <= self.latest <= self.high


def rank_range(history: Sequence[int | None], periods: int = RANGE_PERIODS) -> RankRange | None:
    """From one area's ranks in period order (oldest first), the range over the `periods` periods before the latest;
    None without a latest rank or without earlier ones to compare with."""
    ranks = [rank for rank in history if rank is not None]
    if len(ranks) < 2 or history[-1] is None:
        return None
    before = ranks[-1 - periods : -1]
    return RankRange(low=min(before), high=max(before), latest=ranks[-1], previous=ranks[-2])


@dataclass(frozen=True)
class Gap:
    period: str
    persons: Decimal | None  # actual − expected count
    points: Decimal  # actual − expected share, pct. points


@dataclass(frozen=True)
class FollowUp:
    area: Hashable
    gaps: list[Gap]  # the latest n periods, oldest first

    @property
    def latest(self) -> Gap:
        return self.gaps[-1]

    @property
    def trend(self) -> Decimal:
        """Change in the gap (pct. points) from the first to the last of the n periods: negative is closing."""
        return self.gaps[-1].points - self.gaps[0].points


def follow_up(series: Mapping[Hashable, Sequence[Gap | None]], periods: int = 2) -> list[FollowUp]:
    """Municipalities whose actual share was above the expected one in each of the latest `periods` periods
    (series are per area, oldest first, None where a period has no figures), largest latest gap first."""
    if periods < 1:
        raise ValueError("the number of periods must be at least 1")
    out = []
    for area, gaps in series.items():
        latest = list(gaps[-periods:])
        if len(latest) == periods and all(g is not None and g.points > 0 for g in latest):
            out.append(FollowUp(area, latest))
    return sorted(out, key=lambda f: f.latest.points, reverse=True)
