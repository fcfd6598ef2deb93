"""Who may see and change what. Every view asks here, for the object it serves, so a rule lives in one place.

- ministry staff (and superusers): every municipality and jobcentre, import runs, the catalogue;
- a jobcentre chief: their jobcentre and its municipalities; edits targets, local indicators and commentary;
- a committee chair: their own municipality, read only.

A municipality's own (local) indicators and their figures are working material: whoever may see the municipality
may see them, nobody else, and never an anonymous visitor (`visible_municipalities`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from municipalities.models import Area, Membership, Municipality, UserRole


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
    return set(
        Membership.objects.filter(area__kind=Area.Kind.JOBCENTRE, municipality_id=municipality_code).values_list(
            "area_id", flat=True
        )
    )


def _limited_role(user) -> UserRole | None:
    """The role of an active user who is not ministry staff (they see everything); None for everyone else."""
    return None if is_ministry(user) or not user.is_active else role_of(user)


def can_view_municipality(user, code: str) -> bool:
    if is_ministry(user):
        return True
    role = _limited_role(user)
    if role is None:
        return False
    if role.role == UserRole.Role.CHAIR:
        return role.municipality_id == code
    return role.role == UserRole.Role.CHIEF and role.jobcentre_id in jobcentres_of(code)


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


def can_view_jobcentre(user, jobcentre: Area) -> bool:
    if is_ministry(user):
        return True
    role = _limited_role(user)
    if role is None:
        return False
    if role.role == UserRole.Role.CHIEF:
        return role.jobcentre_id == jobcentre.pk
    # A chair reads their own municipality only, so not a jobcentre page that also shows a neighbour's figures.
    members = set(jobcentre.memberships.values_list("municipality_id", flat=True))
    return role.role == UserRole.Role.CHAIR and members == {role.municipality_id}


def can_view_area(user, area: Area) -> bool:
    """A jobcentre or a municipality: whichever the area is."""
    if area.kind == Area.Kind.JOBCENTRE:
        return can_view_jobcentre(user, area)
    return area.kind == Area.Kind.MUNICIPALITY and can_view_municipality(user, area.municipality_id)


def can_edit_jobcentre(user, jobcentre: Area) -> bool:
    """Only the jobcentre's own chief edits its targets, local indicators and commentary."""
    role = role_of(user) if user.is_active else None
    return bool(role and role.role == UserRole.Role.CHIEF and role.jobcentre_id == jobcentre.pk)


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied
