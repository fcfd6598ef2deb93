"""A jobcentre chief's own targets and commentary for a goal: saved together in one transaction, every change
recorded (who, when, old and new), and the jobcentre's charts rendered again so the target shows at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from goals.models import Change, Commentary, Goal, GoalIndicator, Target
from indicators import periods
from indicators.models import Indicator, Observation, headline_q
from municipalities.models import Area, Membership


def editable_indicators(goal: Goal) -> list[Indicator]:
    """The goal's indicators a target can be set for: its headline, supporting and proxy indicators."""
    roles = [GoalIndicator.Role.HEADLINE, GoalIndicator.Role.SUPPORTING, GoalIndicator.Role.PROXY]
    return [gi.indicator for gi in goal.goal_indicators.filter(role__in=roles).select_related("indicator")]


def settable(indicator: Indicator) -> bool:
    """A jobcentre's target needs a figure for its own area: an indicator published for municipalities (summed for
    the jobcentre) has one; one published only for a larger area (forgæves rekrutteringer, for the RAR area) has not."""
    return indicator.area_level in (Area.Kind.MUNICIPALITY, Area.Kind.JOBCENTRE)


@dataclass
class Reading:
    """What the chief sees beside a target's input: where the figure stands now, a year before and in the whole
    country, for the area the figure is published for (the jobcentre, or the RAR area it lies in)."""

    indicator: Indicator
    area: Area | None
    period: str | None = None
    value: Decimal | None = None
    year_before_period: str | None = None
    year_before: Decimal | None = None
    country: Decimal | None = None

    @property
    def settable(self) -> bool:
        return settable(self.indicator)


def readings(jobcentre: Area, indicators: list[Indicator], year: int) -> list[Reading]:
    """A Reading per indicator, in one query for the figures."""
    memberships = Membership.objects.valid_on(dt.date(year, 12, 31))  # the RAR areas of the goals' year
    codes = memberships.filter(area=jobcentre).values_list("municipality_id", flat=True)
    rar = Area.objects.filter(kind=Area.Kind.RAR, memberships__in=memberships.filter(municipality_id__in=codes)).first()
    country = Area.objects.get(kind=Area.Kind.COUNTRY)
    out = [Reading(i, jobcentre if settable(i) else rar) for i in indicators]
    keys = Q(pk__in=[])
    for reading in out:
        areas = [country.pk] + ([reading.area.pk] if reading.area else [])
        keys |= headline_q(reading.indicator) & Q(area_id__in=areas)
    figures: dict[tuple[int, int], dict[str, tuple[dt.date, Decimal]]] = {}
    for indicator_id, area_id, period, start, value in (
        Observation.objects.filter(keys)
        .exclude(value=None)
        .values_list("indicator_id", "area_id", "period", "period_start", "value")
    ):
        figures.setdefault((indicator_id, area_id), {})[period] = (start, value)
    for reading in out:
        own = figures.get((reading.indicator.pk, reading.area.pk), {}) if reading.area else {}
        if not own:
            continue
        reading.period = max(own, key=lambda p: own[p][0])
        reading.value = own[reading.period][1]
        reading.year_before_period = periods.parse(reading.period).shifted_years(-1)
        before = own.get(reading.year_before_period)
        reading.year_before = before[1] if before else None
        national = figures.get((reading.indicator.pk, country.pk), {}).get(reading.period)
        reading.country = national[1] if national else None
    return out


def save(jobcentre: Area, goal: Goal, user, targets: dict[int, tuple[Decimal | None, str]], commentary: str) -> int:
    """Write the targets ({indicator id: (value or None to remove, note)}) and the commentary; return how many
    things changed."""
    changes, year = [], goal.goal_set.year
    with transaction.atomic():
        existing = {
            t.indicator_id: t
            for t in Target.objects.select_for_update().filter(
                jobcentre=jobcentre, year=year, indicator_id__in=list(targets)
            )
        }
        names = dict(Indicator.objects.filter(pk__in=list(targets)).values_list("pk", "name_da"))  # read by people
        for indicator_id, (value, note) in targets.items():
            target = existing.get(indicator_id)
            old = (target.value, target.note) if target else (None, "")
            if (value, note) == old or (value is None and target is None):
                continue
            what = _("Target %(year)s for %(indicator)s") % {"year": year, "indicator": names[indicator_id]}
            if value is None:
                target.delete()
            elif target is None:
                Target.objects.create(
                    jobcentre=jobcentre, indicator_id=indicator_id, year=year, value=value, note=note, updated_by=user
                )
            else:
                target.value, target.note, target.updated_by = value, note, user
                target.save()
            new = (value, note) if value is not None else (None, "")  # a removed target takes its note along
            changes.append(
                Change(
                    user=user,
                    jobcentre=jobcentre,
                    goal=goal,
                    indicator_id=indicator_id,
                    what=what,
                    old_value=" – ".join(filter(None, [Change.text(old[0]), old[1]])),
                    new_value=" – ".join(filter(None, [Change.text(new[0]), new[1]])),
                )
            )
        commentary_label = _("Commentary on goal %(n)s") % {"n": goal.number}
        current = Commentary.objects.filter(jobcentre=jobcentre, goal=goal).first()
        old_text = current.text if current else ""
        if commentary != old_text:
            if commentary:
                Commentary.objects.update_or_create(
                    jobcentre=jobcentre, goal=goal, defaults={"text": commentary, "updated_by": user}
                )
            elif current:
                current.delete()
            changes.append(
                Change(
                    user=user,
                    jobcentre=jobcentre,
                    goal=goal,
                    what=commentary_label,
                    old_value=old_text,
                    new_value=commentary,
                )
            )
        Change.objects.bulk_create(changes)
        if any(c.what != commentary_label for c in changes):
            _rerender(jobcentre)
    return len(changes)


def _rerender(jobcentre: Area) -> None:
    """The jobcentre's and its municipalities' charts carry its targets: the worker renders those few again."""
    from goals import rendering

    codes = list(jobcentre.memberships.values_list("municipality_id", flat=True))
    rendering.request([jobcentre, *Area.objects.filter(kind=Area.Kind.MUNICIPALITY, municipality_id__in=codes)])
