"""Which year's goals a page shows: `?aar=2021` in the URL, else the default goal set (GoalSet.objects.current)."""

from __future__ import annotations

import re

from django.http import Http404
from django.utils.translation import gettext as _

from goals.models import GoalSet

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
