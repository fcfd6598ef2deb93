from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext

from goals import targets as target_logic
from goals.forms import TargetsForm
from goals.models import Change, Commentary, Goal, GoalSet, Target
from municipalities import access
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


@login_required
def targets(request, slug: str, goal: int):
    """The jobcentre chief sets the targets and commentary for one goal; nobody else may."""
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    access.require(access.can_edit_jobcentre(request.user, jobcentre))
    goal_obj = get_object_or_404(Goal, goal_set__year=target_logic.YEAR, number=goal)
    indicators = target_logic.editable_indicators(goal_obj)
    existing = {t.indicator_id: t for t in Target.objects.filter(jobcentre=jobcentre, year=target_logic.YEAR)}
    commentary = Commentary.objects.filter(jobcentre=jobcentre, goal=goal_obj).first()
    form = TargetsForm(
        request.POST or None,
        indicators=indicators,
        initial_targets=existing,
        initial={"commentary": commentary.text if commentary else ""},
    )
    if request.method == "POST" and form.is_valid():
        count = target_logic.save(
            jobcentre, goal_obj, request.user, form.targets(), form.cleaned_data["commentary"].strip()
        )
        messages.success(request, ngettext("%(n)d change saved.", "%(n)d changes saved.", count) % {"n": count})
        return redirect("municipalities-jobcentre-goal", slug=slug, goal=goal)
    changes = Change.objects.filter(jobcentre=jobcentre).select_related("user")[:20]
    return render(
        request,
        "goals/targets.html",
        {"jobcentre": jobcentre, "goal": goal_obj, "form": form, "changes": changes, "year": str(target_logic.YEAR)},
    )
