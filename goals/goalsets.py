"""The goal years: which one a page shows (`?aar=2021` in the URL, else the default goal set, GoalSet.objects.current),
the switch between them, and a new year's goals made from last year's."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from goals.models import GoalIndicator, GoalSet

PARAMETER = "aar"


def from_request(request) -> GoalSet:
    raw = request.GET.get(PARAMETER)
    if raw is None:
        goal_set = GoalSet.objects.current()
    else:
        goal_set = GoalSet.objects.current(int(raw)) if re.fullmatch(r"[0-9]{4}", raw.strip()) else None
    if goal_set is None:
        raise Http404(_("There are no goals for the year %(year)s.") % {"year": raw or "–"})
    return goal_set


def query(goal_set: GoalSet) -> str:
    """The query string that keeps a page on this goal set, empty for the default one."""
    return "" if goal_set == GoalSet.objects.current() else f"?{PARAMETER}={goal_set.year}"


@dataclass
class YearChoice:
    year: int
    url: str
    shown: bool


def switch(request, goal_set: GoalSet, goal_number: int | None = None, overview: str = "") -> list[YearChoice]:
    """The goal years a page can switch between, oldest first: each links to the same page for that year (its other
    choices kept), or to `overview` where that year has no goal of this number. Empty with one year only."""
    years = list(GoalSet.objects.order_by("year").prefetch_related("goals"))
    if len(years) < 2:
        return []
    default = GoalSet.objects.current()
    kept = request.GET.copy()
    kept.pop(PARAMETER, None)
    out = []
    for other in years:
        path = request.path
        if goal_number is not None and goal_number not in {g.number for g in other.goals.all()}:
            path = overview or path
        query = kept.copy()
        if other != default:
            query[PARAMETER] = str(other.year)
        url = f"{path}?{query.urlencode()}" if query else path
        out.append(YearChoice(other.year, url, other == goal_set))
    return out


def copy(goal_set: GoalSet, year: int) -> GoalSet:
    """A new year's goal set as a copy of this one: the letter's details, each goal's text and its indicators with
    how they are shown. Most goals continue from one year to the next, so ministry staff start from last year's
    and change what the new letter changes. Refused (ValueError) if the year has goals already."""
    if GoalSet.objects.filter(year=year).exists():
        raise ValueError(_("There are goals for %(year)s already.") % {"year": year})
    with transaction.atomic():
        new = GoalSet.objects.create(
            year=year,
            letter_date=goal_set.letter_date,
            letter_from=goal_set.letter_from,
            letter_to=goal_set.letter_to,
            summary_da=goal_set.summary_da,
            summary_en=goal_set.summary_en,
        )
        for goal in goal_set.goals.prefetch_related("goal_indicators"):
            links = list(goal.goal_indicators.all())  # a municipality's own indicators too: they go on as well
            goal.pk, goal.goal_set = None, new
            goal.save()
            for link in links:
                link.pk, link.goal = None, goal
            GoalIndicator.objects.bulk_create(links)
    return new
