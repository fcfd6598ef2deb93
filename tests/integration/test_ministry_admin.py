"""Ministry staff in the admin: the catalogue, goal sets and reference groupings, nothing else (issue 11); the
door opens with the role and closes when the role is taken away."""

import pytest

from municipalities import groups
from municipalities.models import Area, UserRole
from tests import factories

pytestmark = pytest.mark.django_db

ALLOWED = [
    "/admin/",
    "/admin/indicators/indicator/",
    "/admin/indicators/indicator/add/",
    "/admin/goals/goalset/",
    "/admin/goals/goalset/add/",
    "/admin/goals/goal/",
    "/admin/municipalities/area/",
    "/admin/municipalities/area/add/",
    "/admin/municipalities/membership/",
]
REFUSED = [
    "/admin/auth/user/",
    "/admin/auth/group/",
    "/admin/municipalities/userrole/",
    "/admin/goals/target/",
    "/admin/goals/commentary/",
    "/admin/indicators/observation/",
]


def test_ministry_staff_may_change_the_catalogue_goal_sets_and_groupings_only(client):
    user = factories.log_in(client, "ministerie", UserRole.Role.MINISTRY)
    user.refresh_from_db()
    assert user.is_staff and not user.is_superuser
    answers = {url: client.get(url).status_code for url in ALLOWED + REFUSED}
    assert answers == {**dict.fromkeys(ALLOWED, 200), **dict.fromkeys(REFUSED, 403)}
    menu = client.get("/sammenligning/").content.decode()
    assert 'href="/admin/"' in menu and 'href="/import/"' in menu and "#follow-up-heading" in menu


def test_ministry_staff_edit_a_grouping_in_the_admin(client):
    factories.log_in(client, "ministerie", UserRole.Role.MINISTRY)
    region = Area.objects.get(kind="region", code="1084")
    response = client.post(
        f"/admin/municipalities/area/{region.pk}/change/",
        {"kind": "region", "code": region.code, "name": "Region Hovedstaden (ændret)", "description": "",
         "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", "_save": "1"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    region.refresh_from_db()
    assert region.name == "Region Hovedstaden (ændret)"


def test_a_users_own_group_is_not_in_the_admin(client):
    chief = factories.user("chef", UserRole.Role.CHIEF, jobcentre=Area.objects.get(kind="jobcentre", code="aarhus"))
    mine = groups.save(chief, "Privat", ["101", "751"])
    factories.log_in(client, "ministerie", UserRole.Role.MINISTRY)
    listing = client.get("/admin/municipalities/area/?kind__exact=custom").content.decode()
    assert "Privat" not in listing
    assert client.get(f"/admin/municipalities/area/{mine.pk}/change/").status_code == 302  # "does not exist"


def test_the_admin_door_closes_when_the_role_is_taken_away():
    user = factories.user("ministerie", UserRole.Role.MINISTRY)
    role = user.jobmaal_role
    role.role, role.municipality_id = UserRole.Role.CHAIR, "751"
    role.save()
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()
    role.role, role.municipality_id = UserRole.Role.MINISTRY, None
    role.save()
    user.refresh_from_db()
    assert user.is_staff
    role.delete()
    user.refresh_from_db()
    assert not user.is_staff
