"""Ministry staff in the admin: what they may change there is the catalogue of indicators, the goal sets and the
reference groupings (regions, RAR areas, jobcentres, DST groups, shared custom groups), nothing else: not users,
not figures, not a municipality's targets. A user given the ministry role gets the group below and the admin's
door (is_staff); one whose role is taken away loses both."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

GROUP_NAME = "Ministeriets medarbejdere"

# app label → model → actions. Deleting an indicator or a goal set would delete its figures or targets with it:
# that stays with a superuser.
PERMISSIONS = {
    "indicators": {
        "indicator": ["view", "add", "change"],
        "sourcecolumn": ["view", "add", "change", "delete"],
        "importrun": ["view"],
    },
    "goals": {
        "goalset": ["view", "add", "change"],
        "goal": ["view", "add", "change"],
        "goalindicator": ["view", "add", "change", "delete"],
    },
    "municipalities": {
        "area": ["view", "add", "change", "delete"],
        "membership": ["view", "add", "change", "delete"],
        "municipality": ["view"],
        "municipalityalias": ["view", "add", "change", "delete"],
    },
}


def ministry_group() -> Group:
    """The group with exactly the permissions above (made, or put right, on every call: it is cheap)."""
    group, _created = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = Q(pk__in=[])
    for app, models in PERMISSIONS.items():
        for model, actions in models.items():
            wanted |= Q(content_type__app_label=app, codename__in=[f"{a}_{model}" for a in actions])
    group.permissions.set(Permission.objects.filter(wanted))
    return group


def sync(user, is_ministry: bool) -> None:
    group = ministry_group()
    if is_ministry:
        user.groups.add(group)
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        return
    user.groups.remove(group)
    if user.is_staff and not user.is_superuser and not user.groups.exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
