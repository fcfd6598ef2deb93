"""A later year's goals are added in the admin and shown with `?aar=<year>`; 2020 stays the default, and a year
without goals is a 404 that says so."""

import datetime as dt
from decimal import Decimal

import pytest

from goals.models import Goal, GoalIndicator, GoalSet, Target
from indicators.models import Indicator
from municipalities.models import Area, UserRole
from tests.factories import log_in

pytestmark = pytest.mark.django_db
PAGE = "/jobcenter/taarnby-dragoer/"


@pytest.fixture
def goals_2021():
    goal_set = GoalSet.objects.create(
        year=2021, letter_date=dt.date(2020, 12, 1), letter_from="Beskæftigelsesministeren", letter_to="Kommunerne"
    )
    goal = Goal.objects.create(
        goal_set=goal_set, number=1, text_da="Flere i job i 2021", text_en="More in work in 2021"
    )
    mm13 = Indicator.objects.get(code="MM13")
    GoalIndicator.objects.create(goal=goal, indicator=mm13, role=GoalIndicator.objects.first().role)
    return goal_set


@pytest.fixture
def chief(client):
    return log_in(
        client,
        "chief",
        UserRole.Role.CHIEF,
        jobcentre=Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer"),
    )


def test_the_default_is_2020_and_a_later_year_is_shown_when_asked_for(client, chief, goals_2021):
    assert GoalSet.objects.current().year == 2020 and GoalSet.objects.current(2021) == goals_2021
    default = client.get(PAGE).content.decode()
    assert "Flere i job i 2021" not in default and "2020" in default
    later = client.get(PAGE + "?aar=2021").content.decode()
    assert "Flere i job i 2021" in later and "Flere i job i 2021" not in default
    assert "beskæftigelsespolitiske mål for 2021." in later and "beskæftigelsespolitiske mål for 2020." in default
    # Links on the page stay in the year shown.
    assert "/jobcenter/taarnby-dragoer/maal/1/?aar=2021" in later


@pytest.mark.parametrize("year", ["1999", "abc", "20211", ""])
def test_a_year_without_goals_is_a_404(client, chief, year):
    response = client.get(PAGE + f"?aar={year}")
    assert response.status_code == 404


def test_a_target_set_for_2021_is_kept_under_2021(client, chief, goals_2021):
    field = f"target_{Indicator.objects.get(code='MM13').pk}"
    response = client.post("/jobcenter/taarnby-dragoer/maal/1/maalsaetning/?aar=2021", {field: "55", "commentary": ""})
    assert response.status_code == 302 and response["Location"] == "/jobcenter/taarnby-dragoer/maal/1/?aar=2021"
    target = Target.objects.get()
    assert (target.year, target.value) == (2021, Decimal("55"))
    # The 2020 form does not see it.
    assert 'value="55"' not in client.get("/jobcenter/taarnby-dragoer/maal/1/maalsaetning/").content.decode()
