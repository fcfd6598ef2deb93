"""Comparable municipalities: the ones nearest in expected share in the ministry's latest benchmark (Y30R21), else
the members' DST municipality group, or a custom group the reader chose; and how they were chosen, for the page that
explains it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from indicators.models import Observation
from municipalities.models import Area

PEERS = 5  # comparable municipalities shown beside a municipality


@dataclass
class Peers:
    basis: str  # "benchmark", "dst_group" or "custom" (a group the reader chose)
    area_ids: list[int]
    names: list[str]
    period: str = ""  # the DST group's or the custom group's name


def custom_peers(group: Area) -> Peers:
    """A custom group as the reference: its member municipalities, summed as one line."""
    pairs = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality__memberships__area=group)
        .order_by("name")
        .values_list("id", "name")
    )
    return Peers("custom", [p[0] for p in pairs], [p[1] for p in pairs], group.name)


def benchmark_rows() -> list[tuple[str, int, str, Decimal]]:
    """(municipality code, area id, name, expected share) from the latest benchmark period, ministry-wide."""
    rows = list(
        Observation.objects.benchmark("forventet_andel")
        .exclude(value=None)
        .order_by("-period_end", "area_id")
        .values_list("period", "area__municipality_id", "area_id", "area__name", "value")[:98]
    )
    if not rows:
        return []
    latest = rows[0][0]
    return [(code, area_id, name, value) for period, code, area_id, name, value in rows if period == latest]


def peers_for(member_codes: list[str], benchmark: list | None = None, municipality_area: dict | None = None) -> Peers:
    """Comparable municipalities: the ones nearest in expected share in the latest benchmark (Y30R21), else
    the members' DST municipality group."""
    benchmark = benchmark_rows() if benchmark is None else benchmark
    own = [value for code, _, _, value in benchmark if code in member_codes]
    if own:
        centre = sum(own) / len(own)
        others = sorted((r for r in benchmark if r[0] not in member_codes), key=lambda r: (abs(r[3] - centre), r[0]))
        nearest = others[:PEERS]
        return Peers("benchmark", [r[1] for r in nearest], [r[2] for r in nearest])
    group = Area.objects.filter(kind=Area.Kind.DST_GROUP, memberships__municipality_id__in=member_codes).first()
    if group is None:
        return Peers("dst_group", [], [])
    pairs = list(
        Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality__memberships__area=group)
        .exclude(municipality_id__in=member_codes)
        .order_by("name")
        .values_list("id", "name")
    )
    return Peers("dst_group", [p[0] for p in pairs], [p[1] for p in pairs], group.name)


@dataclass
class Candidate:
    area_id: int
    code: str
    name: str
    expected: Decimal
    distance: Decimal
    chosen: bool


@dataclass
class PeerChoice:
    """How an area's comparable municipalities were chosen, for the page that explains it."""

    peers: Peers
    period: str | None = None  # the benchmark period the expected shares are from
    own: list[tuple[str, Decimal]] = field(default_factory=list)  # (name, expected share) of the area's members
    centre: Decimal | None = None
    candidates: list[Candidate] = field(default_factory=list)  # nearest first: the chosen, then the next ones


def explain_peers(member_codes: list[str], shown: int = PEERS * 2) -> PeerChoice:
    rows = benchmark_rows()
    peers = peers_for(member_codes, rows)
    if peers.basis != "benchmark":
        return PeerChoice(peers)
    period = (
        Observation.objects.benchmark("forventet_andel")
        .order_by("-period_end")
        .values_list("period", flat=True)
        .first()
    )
    own = [(name, value) for code, _, name, value in rows if code in member_codes]
    centre = sum(v for _, v in own) / len(own)
    chosen = set(peers.area_ids)
    others = sorted((r for r in rows if r[0] not in member_codes), key=lambda r: (abs(r[3] - centre), r[0]))
    candidates = [
        Candidate(area_id, code, name, value, abs(value - centre), area_id in chosen)
        for code, area_id, name, value in others[:shown]
    ]
    return PeerChoice(peers, period, sorted(own), centre, candidates)
