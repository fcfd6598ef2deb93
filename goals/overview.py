"""The front page for a logged-in reader: their own areas first, each with its goals at a glance, then the areas they
may open: every one, as their national figures are public (never a link that answers 403)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from goals import progress
from goals import status as status_rules
from municipalities import access, data_version
from municipalities.models import Area, danish_sort_key


@dataclass(frozen=True)
class Glance:
    """One goal of an area: its status when one can be decided, else the latest figure."""

    number: int
    status: str | None
    value: Decimal | None
    unit: str
    period: str | None

    @property
    def status_label(self) -> str:
        return status_rules.STATUS_LABELS.get(self.status, "")


@dataclass(frozen=True)
class OwnArea:
    area: Area
    goals: list[Glance]


def _by_name(areas) -> list[Area]:
    return sorted(areas, key=lambda a: danish_sort_key(a.name))


def openable(user) -> tuple[list[Area], list[Area]]:
    """The municipalities and jobcentres whose pages the reader may open, by name: every one, for every reader, as
    their national figures are public (what is a municipality's own work shows to those who may see it)."""
    municipalities = Area.objects.of_kind(Area.Kind.MUNICIPALITY).only("code", "name", "kind", "municipality_id")
    jobcentres = Area.objects.jobcentres().only("code", "name", "kind")
    return _by_name(municipalities), _by_name(jobcentres)


def _glances(area: Area, year: int) -> list[Glance]:
    if area.kind == Area.Kind.JOBCENTRE:
        codes = area.members_on().values("code")
        members = list(Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality_id__in=codes).order_by("name"))
        jobcentre = area
    else:
        members = [area]
        jobcentres = Area.objects.filter(kind=Area.Kind.JOBCENTRE, memberships__municipality=area.municipality_id)
        jobcentre = jobcentres.first()
    cards, _peers = progress.cards(area, members, jobcentre, year)
    return [Glance(c.goal.number, c.status, c.value, c.indicator.unit, c.period) for c in cards]


def own_areas(user, year: int) -> list[OwnArea]:
    """A chief's jobcentre and its municipalities, a chair's municipality, each with its goals at a glance (kept
    until the data changes, as the dashboards are)."""
    return [
        OwnArea(area, data_version.cached(f"glances:{area.pk}:{year}", lambda area=area: _glances(area, year)))
        for area in access.own_areas(user)
    ]
