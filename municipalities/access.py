"""Who may see and change what. Every view asks here, for the object it serves, so a rule lives in one place.

- ministry staff (and superusers): every municipality and jobcentre, import runs, the catalogue;
- a jobcentre chief: their jobcentre and its municipalities; edits targets, local indicators and commentary;
- a committee chair: their own municipality, read only.

Every municipality's and jobcentre's national figures (cards, charts, their tables; the comparison, the benchmark) are
public, as they are on Jobindsats: anyone may read them, logged in or not. A municipality's own work (its targets and
their status, commentary, own indicators, report texts and committee reports) is for those who may see the
municipality (`can_view_municipality`), unless the municipality publishes it (`Municipality.publishes_work`, set by
its jobcentre's chief; off by default): `can_read_work`.

Every view in the URLconf declares the rule that guards it by name (`@access.rule("view_jobcentre")`, or
`URL_RULES` below for views from Django and DRF); tests/integration/test_access_matrix.py requests every URL as
every role and checks the answer against the rule, so a view without one, or one that answers otherwise, fails.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet

from municipalities import data_version
from municipalities.models import Area, Membership, Municipality, UserRole, danish_sort_key


def role_of(user) -> UserRole | None:
    if not user.is_authenticated:
        return None
    try:
        return user.jobmaal_role
    except UserRole.DoesNotExist:
        return None


def is_ministry(user) -> bool:
    role = role_of(user)
    return user.is_active and (user.is_superuser or (role is not None and role.role == UserRole.Role.MINISTRY))


def jobcentres_of(municipality_code: str) -> set[int]:
    """The jobcentre areas a municipality has belonged to (a chief of any of them may see it)."""
    return data_version.cached(
        f"jobcentres-of:{municipality_code}",
        lambda: set(
            Membership.objects.filter(area__kind=Area.Kind.JOBCENTRE, municipality_id=municipality_code).values_list(
                "area_id", flat=True
            )
        ),
    )


def _members(jobcentre: Area) -> set[str]:
    return data_version.cached(
        f"members:{jobcentre.pk}", lambda: set(jobcentre.memberships.values_list("municipality_id", flat=True))
    )


def _limited_role(user) -> UserRole | None:
    """The role of an active user who is not ministry staff (they see everything); None for everyone else."""
    return None if is_ministry(user) or not user.is_active else role_of(user)


def _by_role(user, *, chief: Callable[[UserRole], bool], chair: Callable[[UserRole], bool]) -> bool:
    """Ministry staff may; a chief or a chair by their role's own rule; nobody else."""
    if is_ministry(user):
        return True
    role = _limited_role(user)
    if role is None:
        return False
    if role.role == UserRole.Role.CHIEF:
        return chief(role)
    return role.role == UserRole.Role.CHAIR and chair(role)


def can_view_municipality(user, code: str) -> bool:
    return _by_role(
        user,
        chief=lambda role: role.jobcentre_id in jobcentres_of(code),
        chair=lambda role: role.municipality_id == code,
    )


def visible_municipalities(user) -> QuerySet | None:
    """The kommunekoder of the municipalities a user may see, as a query to filter with (`__in`), or None when they
    may see every one. The list form of can_view_municipality: the same rules, without a query per municipality."""
    if is_ministry(user):
        return None
    role = _limited_role(user)
    if role is not None and role.role == UserRole.Role.CHAIR:
        return Municipality.objects.filter(code=role.municipality_id).values("code")
    if role is not None and role.role == UserRole.Role.CHIEF:
        return Membership.objects.filter(area_id=role.jobcentre_id, area__kind=Area.Kind.JOBCENTRE).values(
            "municipality_id"
        )
    return Municipality.objects.none().values("code")


def own_municipality_codes(user) -> set[str]:
    """The kommunekoder a chief or chair works for (highlighted in comparisons); none for ministry staff."""
    role = _limited_role(user)
    if role is None:
        return set()
    if role.role == UserRole.Role.CHAIR:
        return {role.municipality_id}
    return set(visible_municipalities(user).values_list("municipality_id", flat=True)) if role.jobcentre_id else set()


def own_areas(user) -> list[Area]:
    """The areas a chief or chair works for, for their menu and front page: a chief's jobcentre and then its
    municipalities, a chair's municipality. None for ministry staff, who look after them all."""
    role = _limited_role(user)
    if role is None or role.role not in (UserRole.Role.CHIEF, UserRole.Role.CHAIR):
        return []

    def find() -> list[Area]:
        municipalities = Area.objects.filter(kind=Area.Kind.MUNICIPALITY)
        if role.role == UserRole.Role.CHAIR:
            return list(municipalities.filter(municipality_id=role.municipality_id))
        jobcentre = Area.objects.filter(kind=Area.Kind.JOBCENTRE, pk=role.jobcentre_id).first()
        if jobcentre is None:
            return []
        members = municipalities.filter(municipality_id__in=jobcentre.members_on().values("code"))
        return [jobcentre, *sorted(members, key=lambda a: danish_sort_key(a.name))]

    return data_version.cached(f"own-areas:{role.role}:{role.jobcentre_id}:{role.municipality_id}", find)


def publishes(code: str) -> bool:
    """Whether a municipality has published its own work (targets, commentary, own indicators, reports)."""
    return data_version.cached(
        f"publishes:{code}", lambda: Municipality.objects.filter(code=code, publishes_work=True).exists()
    )


def is_published(area: Area) -> bool:
    """Whether an area's work is public: a municipality's own choice; a jobcentre's work covers every municipality
    it serves, so it is public only when each of them publishes."""
    if area.kind == Area.Kind.MUNICIPALITY:
        return publishes(area.municipality_id)
    members = _members(area)
    return bool(members) and all(publishes(code) for code in members)


def can_read_municipality_work(user, code: str) -> bool:
    """A municipality's targets, commentary, own indicators and reports: its own people's, or everyone's once
    published."""
    return can_view_municipality(user, code) or publishes(code)


def can_read_jobcentre_work(user, jobcentre: Area) -> bool:
    return can_view_jobcentre(user, jobcentre) or is_published(jobcentre)


def can_read_work(user, area: Area) -> bool:
    """The work of a jobcentre or a municipality, whichever the area is."""
    if area.kind == Area.Kind.JOBCENTRE:
        return can_read_jobcentre_work(user, area)
    return area.kind == Area.Kind.MUNICIPALITY and can_read_municipality_work(user, area.municipality_id)


def can_view_jobcentre(user, jobcentre: Area) -> bool:
    # A chair reads their own municipality only, so not a jobcentre page that also shows a neighbour's figures.
    return _by_role(
        user,
        chief=lambda role: role.jobcentre_id == jobcentre.pk,
        chair=lambda role: _members(jobcentre) == {role.municipality_id},
    )


def can_view_area(user, area: Area) -> bool:
    """A jobcentre or a municipality: whichever the area is."""
    if area.kind == Area.Kind.JOBCENTRE:
        return can_view_jobcentre(user, area)
    return area.kind == Area.Kind.MUNICIPALITY and can_view_municipality(user, area.municipality_id)


def editable_jobcentre(user) -> int | None:
    """The id of the one jobcentre a user may edit: a chief's own. None for everyone else."""
    role = role_of(user) if user.is_active else None
    return role.jobcentre_id if role and role.role == UserRole.Role.CHIEF else None


def can_edit_jobcentre(user, jobcentre: Area) -> bool:
    """Only the jobcentre's own chief edits its targets, local indicators and commentary."""
    return editable_jobcentre(user) == jobcentre.pk


def jobcentre_of(area: Area) -> Area | None:
    """The jobcentre whose chief answers for an area: itself, or the one serving the municipality."""
    if area.kind == Area.Kind.JOBCENTRE:
        return area
    return Area.objects.filter(kind=Area.Kind.JOBCENTRE, memberships__municipality_id=area.municipality_id).first()


def can_edit_area(user, area: Area) -> bool:
    """The chief of the jobcentre serving a municipality (or of the jobcentre itself) edits what goes out for it."""
    jobcentre = editable_jobcentre(user)
    return jobcentre is not None and (found := jobcentre_of(area)) is not None and found.pk == jobcentre


def can_view_indicator(user, indicator=None) -> bool:
    """A national indicator to anyone logged in; a municipality's own only to those who may see that municipality.
    Lists of indicators (no `indicator`) are filtered instead, by indicators/visibility.py."""
    if not user.is_authenticated:
        return False
    return (
        indicator is None or indicator.municipality_id is None or can_view_municipality(user, indicator.municipality_id)
    )


def can_view_import_runs(user) -> bool:
    """Ministry staff, and anyone given the permission in the admin."""
    return is_ministry(user) or user.has_perm("indicators.view_importrun")


def owns_group(user, group: Area) -> bool:
    """A custom group saved on the site is its owner's alone; a shared one (from the admin) is changed there."""
    return user.is_authenticated and group.kind == Area.Kind.CUSTOM and group.owner_id == user.pk


# Each takes the user and what the URL names (None when it names nothing): a kommunekode, a jobcentre, a chart, an
# indicator. The view fetches the object itself and asks the same function (`require`): a 404 for what does not
# exist comes before the rule, as only the view knows how to find it.
RULES: dict[str, Callable[..., bool]] = {
    "public": lambda user, obj=None: True,
    "read_municipality_work": can_read_municipality_work,
    "read_jobcentre_work": can_read_jobcentre_work,
    "read_report": lambda user, report: can_read_work(user, report.area),
    "logged_in": lambda user, obj=None: user.is_authenticated,
    "view_municipality": can_view_municipality,
    "view_jobcentre": can_view_jobcentre,
    "edit_jobcentre": can_edit_jobcentre,
    "view_area": lambda user, area: can_view_area(user, area),
    "edit_area": lambda user, area: can_edit_area(user, area),
    "view_indicator": can_view_indicator,
    "view_import_runs": lambda user, obj=None: can_view_import_runs(user),
    "own_group": owns_group,
    # The admin's own check (AdminSite.has_permission); the model permissions come after it.
    "staff": lambda user, obj=None: user.is_active and user.is_staff,
}

# Views from Django, DRF and drf-spectacular, which cannot carry the decorator, by URL name. The admin's pages
# are `staff` as a group (see rule_of).
URL_RULES = {
    "logout": "public",
    "set_language": "public",
    "api-schema": "logged_in",
    "admin:login": "public",
}


def rule(name: str):
    """Declare the rule that guards a view: a function, a Django view class or a DRF viewset."""
    if name not in RULES:
        raise ImproperlyConfigured(f"No access rule named {name!r}; the rules are {', '.join(RULES)}")

    def declare(view):
        view.access_rule = name
        return view

    return declare


def rule_of(callback, view_name: str | None, namespaces: list[str]) -> str | None:
    """The rule declared for a URL pattern's view, or None when it has none."""
    for view in (callback, getattr(callback, "view_class", None), getattr(callback, "cls", None)):
        if name := getattr(view, "access_rule", None):
            return name
    if view_name in URL_RULES:
        return URL_RULES[view_name]
    return "staff" if namespaces[:1] == ["admin"] else None


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
