"""Custom groups of municipalities that a user saves for themselves: a filter on the comparison and the reference
line on a dashboard's cards and charts. A group is an Area of kind `custom` with its members as memberships;
one saved on the site has an owner and is seen by that owner only, one made in the admin has none and is shared.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Area, Membership, Municipality

MAX_NAME = 120
MIN_MEMBERS = 2


class GroupError(ValueError):
    """What is wrong with a group as saved, by field: the form shows each next to its field."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def owned_by(user):
    return Area.objects.filter(kind=Area.Kind.CUSTOM, owner=user).order_by("name")


def save(user, name: str, codes: list[str], group: Area | None = None) -> Area:
    """Create (or, given `group`, replace) a user's group. Everything is checked before anything is written, and
    the group and its members are written in one transaction."""
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the group a name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("The name is %(n)d characters long; at most %(max)d are allowed.") % {
            "n": len(name),
            "max": MAX_NAME,
        }
    elif owned_by(user).filter(name__iexact=name).exclude(pk=group.pk if group else None).exists():
        errors["name"] = _("You already have a group called %(name)s.") % {"name": name}
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    known = set(Municipality.objects.filter(code__in=wanted).values_list("code", flat=True))
    unknown = [c for c in wanted if c not in known]
    if unknown:
        errors["members"] = _("Unknown municipality code(s): %(codes)s.") % {"codes": ", ".join(unknown)}
    elif len(wanted) < MIN_MEMBERS:
        errors["members"] = _("Choose at least %(n)d municipalities.") % {"n": MIN_MEMBERS}
    if group is not None and (group.kind != Area.Kind.CUSTOM or group.owner_id != user.pk):
        errors["group"] = _("Only the group's owner can change it.")
    if errors:
        raise GroupError(errors)
    with transaction.atomic():
        if group is None:
            group = Area.objects.create(kind=Area.Kind.CUSTOM, code=_new_code(), name=name, owner=user)
        else:
            group.name = name
            group.save(update_fields=["name"])
            group.memberships.all().delete()
        Membership.objects.bulk_create(Membership(area=group, municipality_id=code) for code in wanted)
    return group


def delete(user, group: Area) -> None:
    if group.kind != Area.Kind.CUSTOM or group.owner_id != user.pk:
        raise GroupError({"group": _("Only the group's owner can delete it.")})
    group.delete()


def _new_code() -> str:
    # Not the name: a renamed group keeps its address, and a name says nothing in another user's URL.
    while True:
        code = f"gruppe-{secrets.token_hex(4)}"
        if not Area.objects.filter(kind=Area.Kind.CUSTOM, code=code).exists():
            return code
