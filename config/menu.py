"""The header's main menu, the same on every page: the front page, the reader's own areas (a chief's jobcentre and
its municipalities, a chair's municipality), the ministry's screens everyone may use (anonymous readers too: the
national figures are public), and import runs and the admin for those allowed.
Built only when a page shows it: a page served whole from the cache never asks."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from municipalities import access
from municipalities.models import Area
from reports import links as reports


@dataclass(frozen=True)
class Entry:
    label: str
    url: str
    current: bool = False  # the page shown
    active: bool = False  # the page shown or one under it (a goal of the jobcentre, an import run)


def area_url(area: Area) -> str:
    if area.kind == Area.Kind.JOBCENTRE:
        return reverse("dashboard-jobcentre", args=[area.code])
    return reverse("dashboard-municipality", args=[area.municipality_id])


def area_label(area: Area) -> str:
    if area.kind == Area.Kind.JOBCENTRE:
        return area.name
    return _("%(name)s Municipality") % {"name": area.name}


def entries(request) -> list[Entry]:
    user = request.user
    links = [(_("Front page"), reverse("home"))]
    public = [
        (_("Comparison"), reverse("dashboard-comparison")),
        (_("Benchmark"), reverse("dashboard-benchmark")),
        (_("Follow-up list"), reverse("dashboard-benchmark") + "#follow-up-heading"),
    ]
    if not user.is_authenticated:  # the national figures are public; the rest needs a log-in
        return _marked(request, links + public)
    own = access.own_areas(user)
    links += [(area_label(area), area_url(area)) for area in own]
    if own:  # the committee report of the reader's first own area (a chief's jobcentre, a chair's municipality)
        links.append((_("Reports"), reports.area_url(own[0])))
    links += [*public, (_("Your groups"), reverse("dashboard-groups"))]
    if access.can_view_import_runs(user):
        links.append((_("Import runs"), reverse("indicators-import-runs")))
    if user.is_active and user.is_staff:
        links.append((_("Administration"), reverse("admin:index")))
    return _marked(request, links)


def _marked(request, links: list[tuple[str, str]]) -> list[Entry]:
    path = request.path
    return [Entry(label, url, url == path, url != "/" and path.startswith(url)) for label, url in links]


def way_back(request) -> list[Entry]:
    """Where a page that cannot be shown (403, 404) sends its reader: the front page and their own overview."""
    user = request.user
    links = [Entry(_("Front page"), reverse("home"))]
    if not user.is_authenticated:
        return [*links, Entry(_("Log in"), reverse("login"))]
    if access.is_ministry(user):
        return [*links, Entry(_("Comparison"), reverse("dashboard-comparison"))]
    return links + [Entry(area_label(area), area_url(area)) for area in access.own_areas(user)]


def menu(request) -> dict:
    """Context processor: `menu`, the entries in order, each knowing whether it is the page shown; `way_back` for
    the error pages."""
    return {"menu": SimpleLazyObject(lambda: entries(request)), "way_back": SimpleLazyObject(lambda: way_back(request))}
