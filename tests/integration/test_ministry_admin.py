"""Ministry staff in the admin: the catalogue, goal sets and reference groupings, nothing else (issue 11); the
door opens with the role and closes when the role is taken away."""

from decimal import Decimal

import pytest

from goals import local_indicators
from goals.models import Goal
from municipalities import groups
from municipalities.models import Area, Municipality, UserRole
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
        {
            "kind": "region",
            "code": region.code,
            "name": "Region Hovedstaden (ændret)",
            "description": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )
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


def _own_indicator():
    jobcentre = Area.objects.get(kind="jobcentre", code="taarnby-dragoer")
    chief = factories.user("chef", UserRole.Role.CHIEF, jobcentre=jobcentre)
    goal, tarnby = Goal.objects.get(number=3), Municipality.objects.get(code="185")
    own = local_indicators.create(
        jobcentre, goal, tarnby, chief, name="Virksomhedsbesøg", unit="count", polarity="higher", definition="Egen"
    )
    local_indicators.set_value(own, jobcentre, Municipality.objects.get(code="185"), "2021M12", Decimal(4), chief)
    return own


def test_an_own_indicator_cannot_be_made_national_in_the_admin(client):
    """R8: as ministry staff the own indicator is not in the admin; whatever is posted, it stays Tårnby's."""
    own = _own_indicator()
    factories.log_in(client, "ministerie", UserRole.Role.MINISTRY)
    assert own.code not in client.get("/admin/indicators/indicator/").content.decode()
    url = f"/admin/indicators/indicator/{own.pk}/change/"
    assert client.get(url).status_code == 302  # "does not exist"
    posted = {
        "code": own.code,
        "name_da": own.name_da,
        "name_en": own.name_en,
        "unit": own.unit,
        "polarity": own.polarity,
        "frequency": own.frequency,
        "scope": "national",
        "municipality": "",
        "sourcecolumn_set-TOTAL_FORMS": "0",
        "sourcecolumn_set-INITIAL_FORMS": "0",
        "_save": "1",
    }
    client.post(url, posted)
    own.refresh_from_db()
    assert (own.scope, own.municipality_id) == ("local", "185")
    # Not even a superuser moves it: scope and municipality are fixed once made.
    admin = factories.user("admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(url).status_code == 200
    client.post(url, posted)
    own.refresh_from_db()
    assert (own.scope, own.municipality_id) == ("local", "185")
    # And so Aarhus's chair still reads none of its figures.
    factories.log_in(client, "formand", UserRole.Role.CHAIR, municipality_id="751")
    assert client.get(f"/api/v1/observations/?indicator={own.code}").json().get("results", []) == []


def test_no_membership_can_be_put_into_a_users_own_group_from_the_admin(client):
    """R9: the area to join is chosen among the shared areas only; a private group's id is refused by the form."""
    chief = factories.user("chef", UserRole.Role.CHIEF, jobcentre=Area.objects.get(kind="jobcentre", code="aarhus"))
    mine = groups.save(chief, "Privat", ["101", "147"])
    before = set(mine.memberships.values_list("municipality_id", flat=True))
    factories.log_in(client, "ministerie", UserRole.Role.MINISTRY)
    response = client.post(
        "/admin/municipalities/membership/add/", {"municipality": "751", "area": mine.pk, "_save": "1"}
    )
    assert response.status_code == 200 and "errornote" in response.content.decode()
    assert set(mine.memberships.values_list("municipality_id", flat=True)) == before
    # A shared grouping still takes a member.
    region = Area.objects.get(kind="region", code="1084")
    response = client.post(
        "/admin/municipalities/membership/add/", {"municipality": "751", "area": region.pk, "_save": "1"}
    )
    assert response.status_code == 302


def test_goal_years_read_as_years_in_the_admin(client):
    from goals import goalsets
    from goals.models import GoalSet

    goalsets.copy(GoalSet.objects.get(year=2020), 2021)
    factories.log_in(client, "ministerie", UserRole.Role.MINISTRY)
    page = client.get("/admin/goals/goalset/").content.decode()
    assert ">2021</a>" in page and ">2020</a>" in page and "2.021" not in page and "2.020" not in page
