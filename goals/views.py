from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals import goalsets, overview
from goals import local_indicators as local
from goals import targets as target_logic
from goals.forms import LocalIndicatorForm, LocalValueForm, TargetsForm, UploadForm
from goals.models import Change, Commentary, Goal, GoalIndicator, GoalSet, Target
from indicators import pipeline, visibility
from indicators.formats import SourceError
from municipalities import access
from municipalities.models import Area


@access.rule("public")
def home(request):
    # Public: a municipality's own indicators are listed only to those who may see that municipality.
    links = GoalIndicator.objects.filter(visibility.indicator_filter(request.user, "indicator__"))
    goal_set = GoalSet.objects.prefetch_related(
        Prefetch("goals__goal_indicators", queryset=links.select_related("indicator"))
    ).first()
    municipalities, jobcentres = overview.openable(request.user)
    own = overview.own_areas(request.user, goal_set.year) if goal_set else []
    return render(
        request,
        "goals/home.html",
        {"goal_set": goal_set, "municipalities": municipalities, "jobcentres": jobcentres, "own_areas": own},
    )


@access.rule("edit_jobcentre")
@login_required
def targets(request, slug: str, goal: int):
    """The jobcentre chief sets the targets and commentary for one goal; nobody else may."""
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    access.require(access.can_edit_jobcentre(request.user, jobcentre))
    goal_set = goalsets.from_request(request)
    goal_obj = get_object_or_404(Goal.objects.select_related("goal_set"), goal_set=goal_set, number=goal)
    # Each indicator with its figures beside it; an input only where a target can be set for the jobcentre.
    readings = target_logic.readings(jobcentre, target_logic.editable_indicators(goal_obj), goal_set.year)
    existing = {t.indicator_id: t for t in Target.objects.filter(jobcentre=jobcentre, year=goal_set.year)}
    commentary = Commentary.objects.filter(jobcentre=jobcentre, goal=goal_obj).first()
    form = TargetsForm(
        request.POST or None,
        indicators=[r.indicator for r in readings if r.settable],
        initial_targets=existing,
        initial={"commentary": commentary.text if commentary else ""},
    )
    if request.method == "POST" and form.is_valid():
        count = target_logic.save(
            jobcentre, goal_obj, request.user, form.targets(), form.cleaned_data["commentary"].strip()
        )
        messages.success(request, ngettext("%(n)d change saved.", "%(n)d changes saved.", count) % {"n": count})
        return redirect(reverse("dashboard-jobcentre-goal", args=[slug, goal]) + goalsets.query(goal_set))
    changes = Change.objects.filter(jobcentre=jobcentre, goal=goal_obj).select_related("user")[:20]
    context = {
        "jobcentre": jobcentre,
        "goal": goal_obj,
        "form": form,
        "rows": form.rows_with(readings),
        "changes": changes,
        "year": str(goal_set.year),
    }
    return render(request, "goals/targets.html", context)


def _chief_jobcentre(request, slug: str) -> Area:
    jobcentre = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    access.require(access.can_edit_jobcentre(request.user, jobcentre))
    return jobcentre


@access.rule("edit_jobcentre")
@login_required
def local_indicators(request, slug: str):
    """The chief's own indicators: the list, and a form to define a new one for a goal."""
    jobcentre = _chief_jobcentre(request, slug)
    goal_set = goalsets.from_request(request)
    goals = list(goal_set.goals.all()) if goal_set else []
    municipalities = local.municipalities_of(jobcentre)
    # The goal the chief came from (its page links here with ?maal=N) is the one chosen.
    chosen = request.GET.get("maal", "")
    initial = {"goal": int(chosen)} if chosen.isascii() and chosen.isdigit() else {}
    form = LocalIndicatorForm(request.POST or None, goals=goals, municipalities=municipalities, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        indicator = local.create(
            jobcentre,
            next(g for g in goals if g.number == data["goal"]),
            next(m for m in municipalities if m.code == data["municipality"]),
            request.user,
            name=data["name"],
            unit=data["unit"],
            polarity=data["polarity"],
            definition=data["definition"],
            frequency=data["frequency"],
        )
        messages.success(request, _("Own indicator created: %(name)s.") % {"name": indicator.name_da})
        return redirect("goals-local-indicator", slug=slug, code=indicator.code)
    return render(
        request,
        "goals/local_indicators.html",
        {"jobcentre": jobcentre, "form": form, "indicators": local.of_jobcentre(jobcentre)},
    )


@access.rule("edit_jobcentre")
@login_required
def local_indicator(request, slug: str, code: str):
    """One own indicator: its values, a form for one value and an upload for many."""
    jobcentre = _chief_jobcentre(request, slug)
    indicator = get_object_or_404(local.of_jobcentre(jobcentre), code=code)
    # An own indicator's figures are its municipality's alone (indicators/pipeline.own_areas).
    municipalities = [m for m in local.municipalities_of(jobcentre) if m.code == indicator.municipality_id]
    goal_set = goalsets.from_request(request)
    value_form = LocalValueForm(
        request.POST if "value" in request.POST else None,
        municipalities=municipalities,
        frequency=indicator.frequency,
        goal_year=goal_set.year if goal_set else timezone.localdate().year,
    )
    upload_form = UploadForm(request.POST if "upload" in request.POST else None, request.FILES or None)
    error = None
    try:
        if value_form.is_bound and value_form.is_valid():
            data = value_form.cleaned_data
            municipality = next(m for m in municipalities if m.code == data["municipality"])
            local.set_value(indicator, jobcentre, municipality, data["period"], data["value"], request.user)
            messages.success(request, _("Value saved."))
            return redirect("goals-local-indicator", slug=slug, code=code)
        if upload_form.is_bound and upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            content = upload.read()
            if not local.handled_in_request(content):
                run = local.queue_upload(indicator, jobcentre, content, upload.name, request.user)
                messages.info(
                    request,
                    _("%(name)s is being imported (import %(run)s); the outcome is shown below when it is done.")
                    % {"name": upload.name, "run": run.pk},
                )
                return redirect("goals-local-indicator", slug=slug, code=code)
            run = local.import_values(indicator, jobcentre, content, upload.name, request.user)
            messages.success(
                request,
                _("%(name)s imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.")
                % {
                    "name": upload.name,
                    "created": run.rows_created,
                    "updated": run.rows_updated,
                    "unchanged": run.rows_unchanged,
                },
            )
            return redirect("goals-local-indicator", slug=slug, code=code)
    except SourceError as exc:
        error = exc
    observations = indicator.observations.published().select_related("area").order_by("area__name", "-period_start")
    return render(
        request,
        "goals/local_indicator.html",
        {
            "jobcentre": jobcentre,
            "indicator": indicator,
            "value_form": value_form,
            "upload_form": upload_form,
            "error": error,
            "rejects": getattr(error, "rejects", [])[: pipeline.MAX_REJECTS_KEPT],
            "observations": observations,
            "runs": local.recent_runs(indicator)[:5],
        },
    )
