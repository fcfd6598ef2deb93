"""A jobcentre chief's own targets and commentary for a goal: saved together in one transaction, every change
recorded (who, when, old and new), and the jobcentre's charts rendered again so the target shows at once."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from goals.models import Change, Commentary, Goal, GoalIndicator, Target
from indicators.models import Indicator
from municipalities.models import Area


def editable_indicators(goal: Goal) -> list[Indicator]:
    """The goal's indicators a target can be set for: its headline, supporting and proxy indicators."""
    roles = [GoalIndicator.Role.HEADLINE, GoalIndicator.Role.SUPPORTING, GoalIndicator.Role.PROXY]
    return [gi.indicator for gi in goal.goal_indicators.filter(role__in=roles).select_related("indicator")]


def save(jobcentre: Area, goal: Goal, user, targets: dict[int, tuple[Decimal | None, str]], commentary: str) -> int:
    """Write the targets ({indicator id: (value or None to remove, note)}) and the commentary; return how many
    things changed."""
    changes, year = [], goal.goal_set.year
    with transaction.atomic():
        existing = {t.indicator_id: t for t in Target.objects.select_for_update().filter(
            jobcentre=jobcentre, year=year, indicator_id__in=list(targets))}  # fmt: skip
        names = dict(Indicator.objects.filter(pk__in=list(targets)).values_list("pk", "code"))
        for indicator_id, (value, note) in targets.items():
            target = existing.get(indicator_id)
            old = (target.value, target.note) if target else (None, "")
            if (value, note) == old or (value is None and target is None):
                continue
            what = _("Target %(year)s for %(indicator)s") % {"year": year, "indicator": names[indicator_id]}
            if value is None:
                target.delete()
            elif target is None:
                Target.objects.create(jobcentre=jobcentre, indicator_id=indicator_id, year=year, value=value,
                                      note=note, updated_by=user)  # fmt: skip
            else:
                target.value, target.note, target.updated_by = value, note, user
                target.save()
            changes.append(Change(user=user, jobcentre=jobcentre, what=what,
                                  old_value=" – ".join(filter(None, [Change.text(old[0]), old[1]])),
                                  new_value=" – ".join(filter(None, [Change.text(value), note]))))  # fmt: skip
        commentary_label = _("Commentary on goal %(n)s") % {"n": goal.number}
        current = Commentary.objects.filter(jobcentre=jobcentre, goal=goal).first()
        old_text = current.text if current else ""
        if commentary != old_text:
            if commentary:
                Commentary.objects.update_or_create(jobcentre=jobcentre, goal=goal,
                                                    defaults={"text": commentary, "updated_by": user})  # fmt: skip
            elif current:
                current.delete()
            changes.append(
                Change(user=user, jobcentre=jobcentre, what=commentary_label, old_value=old_text, new_value=commentary)
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
