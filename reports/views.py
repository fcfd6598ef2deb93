"""The chair's and chief's committee reports: the list per area with the formats to ask for, the progress of a
build, the download, the chief's texts and the subscription. Thin: reports.building does the work."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from goals import goalsets
from municipalities import access
from municipalities.models import Area, Municipality
from reports import building, releases
from reports.forms import RequestForm, TextsForm
from reports.links import area_url
from reports.models import Report, ReportTextEdit, Subscription


def _municipality(request, code: str) -> Area:
    area = get_object_or_404(Area, kind=Area.Kind.MUNICIPALITY, municipality_id=code)
    _require_work(request, access.can_read_municipality_work(request.user, code))
    return area


def _jobcentre(request, slug: str) -> Area:
    area = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    _require_work(request, access.can_read_jobcentre_work(request.user, area))
    return area


def _require_work(request, allowed: bool) -> None:
    """Reports are a municipality's own work: an anonymous reader of one that has not published them is asked to
    log in (the log-in page says why), anyone else refused."""
    if not allowed and not request.user.is_authenticated:
        raise LoginNeeded
    access.require(allowed)


class LoginNeeded(Exception):
    pass


def _or_login(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LoginNeeded:
            return redirect_to_login(request.get_full_path())

    return wrapped


@access.rule("read_municipality_work")
@_or_login
def municipality_reports(request, code: str):
    return _reports(request, _municipality(request, code))


@access.rule("read_jobcentre_work")
@_or_login
def jobcentre_reports(request, slug: str):
    return _reports(request, _jobcentre(request, slug))


def _reports(request, area: Area):
    goal_set = goalsets.from_request(request)
    release = releases.current()
    user = request.user
    subscribed = user.is_authenticated and Subscription.objects.filter(user=user, area=area).exists()
    if request.method == "POST":
        # A published municipality's reports may be read by anyone; asking for one to be built, subscribing and
        # publishing are for its own people.
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access.require(access.can_view_area(user, area))
        action = request.POST.get("action")
        if action in ("publish", "unpublish"):
            return _publishing(request, area, action == "publish")
        if action in ("subscribe", "unsubscribe"):
            return _subscription(request, area, action == "subscribe")
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                report = building.request(area, form.cleaned_data["format"], goal_set.year, request.user)
            except building.NoRelease:
                messages.error(request, _("There are no figures yet, so there is no report to make."))
                return redirect(area_url(area))
            return redirect("reports-report", report.pk)
    else:
        form = RequestForm()
    reports = Report.objects.filter(area=area, year=goal_set.year).select_related("release").defer("content")
    context = {
        "area": area,
        "form": form,
        "release": release,
        "reports": reports,
        "subscribed": subscribed,
        "year": str(goal_set.year),
        "can_edit": access.can_edit_area(user, area),
        "may_build": user.is_authenticated and access.can_view_area(user, area),
        "published": access.is_published(area),
        "current": {r.format: r for r in reports if release and r.release_id == release.pk},
        "formats": Report.Format.choices,
        "goal_years": goalsets.switch(request, goal_set),
    }
    return render(request, "reports/area.html", context, status=400 if request.method == "POST" else 200)


def _subscription(request, area: Area, on: bool):
    if on:
        if not request.user.email:
            messages.error(request, _("Your user has no e-mail address; ask an administrator to add one."))
            return redirect(area_url(area))
        Subscription.objects.get_or_create(user=request.user, area=area)
        messages.success(
            request, _("You will get an e-mail when a new report for %(area)s is ready.") % {"area": area.name}
        )
    else:
        Subscription.objects.filter(user=request.user, area=area).delete()
        messages.success(request, _("You will no longer get e-mails about reports for %(area)s.") % {"area": area.name})
    return redirect(area_url(area))


def _publishing(request, area: Area, on: bool):
    """The municipality's choice, made by its jobcentre's chief: publish its targets, commentary, own indicators and
    reports to every reader, or keep them to its own people. A jobcentre's page publishes each municipality it
    serves."""
    access.require(access.can_edit_area(request.user, area))
    codes = (
        [area.municipality_id]
        if area.kind == Area.Kind.MUNICIPALITY
        else list(area.members_on().values_list("code", flat=True))
    )
    for municipality in Municipality.objects.filter(code__in=codes):
        municipality.publishes_work = on
        municipality.save(update_fields=["publishes_work"])  # each save forgets the pages kept (signals)
    if on:
        messages.success(
            request,
            _("Published: everyone may now read the targets, commentary, own indicators and reports of %(area)s.")
            % {"area": area.name},
        )
    else:
        messages.success(
            request,
            _(
                "No longer published: the targets, commentary, own indicators and reports of "
                "%(area)s are again for its own people only."
            )
            % {"area": area.name},
        )
    return redirect(area_url(area))


def _report(request, pk: int) -> Report:
    report = get_object_or_404(Report.objects.select_related("area", "release").defer("content"), pk=pk)
    _require_work(request, access.can_read_work(request.user, report.area))
    return report


@access.rule("read_report")
@_or_login
@require_GET
def report(request, pk: int):
    report = _report(request, pk)
    return render(
        request, "reports/report.html", {"report": report, "back": area_url(report.area), "year": str(report.year)}
    )


@access.rule("read_report")
@_or_login
@require_GET
def report_status(request, pk: int):
    report = _report(request, pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_label": str(report.get_status_display()),
            "progress": report.progress,
            "download": reverse("reports-download", args=[report.pk]) if report.is_ready else None,
            "error": bool(report.error) and report.status == Report.Status.FAILED,
        }
    )


@access.rule("read_report")
@_or_login
@require_GET
def download(request, pk: int):
    report = get_object_or_404(Report.objects.select_related("area"), pk=pk)
    _require_work(request, access.can_read_work(request.user, report.area))
    if not report.is_ready:
        raise Http404
    response = HttpResponse(bytes(report.content), content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@access.rule("edit_area")
@login_required
def municipality_texts(request, code: str):
    area = get_object_or_404(Area, kind=Area.Kind.MUNICIPALITY, municipality_id=code)
    return _texts(request, area)


@access.rule("edit_area")
@login_required
def jobcentre_texts(request, slug: str):
    area = get_object_or_404(Area, kind=Area.Kind.JOBCENTRE, code=slug)
    return _texts(request, area)


def _texts(request, area: Area):
    """The chief reads and edits each goal's sentence before the report goes out; every edit is logged."""
    access.require(access.can_edit_area(request.user, area))
    goal_set = goalsets.from_request(request)
    release = releases.current()
    if release is None:
        messages.error(request, _("There are no figures yet, so there is no report to make."))
        return redirect(area_url(area))
    current = building.texts_for(area, release, goal_set.year)
    form = TextsForm(request.POST or None, texts=current)
    if request.method == "POST" and form.is_valid():
        count = building.save_texts(area, release, goal_set.year, form.texts(), request.user)
        messages.success(request, ngettext("%(n)d text changed.", "%(n)d texts changed.", count) % {"n": count})
        return redirect(area_url(area))
    edits = ReportTextEdit.objects.filter(area=area, year=goal_set.year).select_related("user")[:20]
    generated = {n: text for n, text, edit in current if edit is None}
    context = {
        "area": area,
        "form": form,
        "edits": edits,
        "release": release,
        "year": str(goal_set.year),
        "back": area_url(area),
        "generated": generated,
    }
    return render(request, "reports/texts.html", context, status=400 if request.method == "POST" else 200)
