from django.shortcuts import render

from goals.models import GoalSet
from municipalities.models import Area, danish_sort_key


def home(request):
    goal_set = GoalSet.objects.prefetch_related("goals__goal_indicators__indicator").first()
    municipalities = sorted(
        Area.objects.of_kind(Area.Kind.MUNICIPALITY).only("code", "name"), key=lambda a: danish_sort_key(a.name)
    )
    jobcentres = sorted(Area.objects.jobcentres().only("code", "name"), key=lambda a: danish_sort_key(a.name))
    return render(
        request,
        "goals/home.html",
        {"goal_set": goal_set, "municipalities": municipalities, "jobcentres": jobcentres},
    )
