"""Users to try each role with on a development machine (`make run`), listed in the README with their password.
Never in production: they are only made with DEBUG on, and they are flagged (UserRole.is_demo) so that without
DEBUG they cannot log in even when a database holds them (copied from a development machine, say)."""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from municipalities.models import Area, UserRole

DEMO_USERS = [
    # username, full name, role, jobcentre slug, municipality code
    ("chef", "Jobcenterchef, Tårnby-Dragør (demo)", UserRole.Role.CHIEF, "taarnby-dragoer", None),
    ("formand", "Formand for beskæftigelsesudvalget, Aarhus (demo)", UserRole.Role.CHAIR, None, "751"),
    ("ministerie", "Ministeriets medarbejder (demo)", UserRole.Role.MINISTRY, None, None),
]


def create() -> list[str]:
    """Create the demo users that are missing; return their usernames. The password is JOBMAAL_DEMO_PASSWORD,
    default "jobmaal-demo"."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("demo users are only created with DEBUG on (development machines)")
    password = os.environ.get("JOBMAAL_DEMO_PASSWORD", "jobmaal-demo")
    created = []
    for username, full_name, role, slug, code in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        first, _, last = full_name.partition(", ")
        user = User.objects.create_user(username, password=password, first_name=first, last_name=last)
        jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug) if slug else None
        UserRole.objects.create(user=user, role=role, jobcentre=jobcentre, municipality_id=code, is_demo=True)
        created.append(username)
    return created


def refused(user) -> bool:
    """Whether a user may not log in because they are a demo user and this is not a development machine."""
    if settings.DEBUG:
        return False
    try:
        return user.jobmaal_role.is_demo
    except UserRole.DoesNotExist:
        return False
