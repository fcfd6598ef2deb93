from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from indicators.models import ImportRun, Indicator
from municipalities import access


def ministry_required(view):
    """Import runs are for ministry staff (and users given the permission in the admin): anonymous users are sent
    to log in, everyone else gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        access.require(access.can_view_import_runs(request.user))
        return view(request, *args, **kwargs)

    return wrapper


RUN_STATUS_FIELDS = [
    "status",
    "phase",
    "progress",
    "rows_read",
    "rows_created",
    "rows_updated",
    "rows_unchanged",
    "rows_rejected",
    "rows_derived",
]


@access.rule("view_import_runs")
@login_required
@ministry_required
def import_runs(request):
    runs = list(ImportRun.objects.all()[:100])
    names = _indicator_names()
    for run in runs:
        run.shown_tables = run.table_names(names)
    return render(request, "indicators/import_runs.html", {"runs": runs})


def _indicator_names() -> dict[str, str]:
    return {i.code: i.name for i in Indicator.objects.only("code", "name_da", "name_en")}


@access.rule("view_import_runs")
@login_required
@ministry_required
def import_run(request, pk: int):
    run = get_object_or_404(ImportRun, pk=pk)
    run.shown_tables = run.table_names(_indicator_names())
    return render(request, "indicators/import_run.html", {"run": run})


@access.rule("view_import_runs")
@login_required
@ministry_required
def import_run_status(request, pk: int):
    run = get_object_or_404(ImportRun.objects.only(*RUN_STATUS_FIELDS), pk=pk)
    data = {field: getattr(run, field) for field in RUN_STATUS_FIELDS}
    data["status_display"] = run.get_status_display()
    return JsonResponse(data)
