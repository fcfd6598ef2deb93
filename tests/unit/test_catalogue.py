import datetime as dt

import pytest

from goals.models import GoalIndicator, GoalSet
from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def test_goal_set_2020_is_the_ministers_letter():
    goal_set = GoalSet.objects.get(year=2020)
    assert goal_set.letter_date == dt.date(2019, 2, 21)
    assert "Beskæftigelsesminister" in goal_set.letter_from
    assert "jobcenterchefer" in goal_set.letter_to
    texts = list(goal_set.goals.values_list("number", "text_da"))
    assert texts == [
        (1, "Virksomhederne skal sikres den nødvendige og kvalificerede arbejdskraft."),
        (2, "Flere flygtninge og familiesammenførte skal være selvforsørgende."),
        (3, "Flere personer med handicap skal i beskæftigelse."),
    ]


def test_goal_two_carries_the_note_on_women_with_immigrant_background():
    goal = GoalSet.objects.get(year=2020).goals.get(number=2)
    assert "kvinder med indvandrerbaggrund" in goal.note_da
    assert "women with an immigrant background" in goal.note_en


def test_each_goal_is_linked_to_its_indicators():
    links = {
        goal.number: [(link.indicator.code, link.role) for link in goal.goal_indicators.all()]
        for goal in GoalSet.objects.get(year=2020).goals.prefetch_related("goal_indicators__indicator")
    }
    assert links[1] == [("MM10", "headline"), ("FORGREKR", "supporting")]
    assert links[2] == [("MM13", "headline")]
    assert {code for code, role in links[3]} == {"Y08A02", "Y09A02", "Y11A02", "Y12A02"}
    assert {role for _, role in links[3]} == {GoalIndicator.Role.PROXY}


def test_goal_three_proxies_are_flagged_as_proxies_and_the_rest_are_not():
    proxies = set(Indicator.objects.filter(is_proxy=True).values_list("code", flat=True))
    assert proxies == {"Y08A02", "Y09A02", "Y11A02", "Y12A02"}
    mm13 = Indicator.objects.get(code="MM13")
    assert (mm13.unit, mm13.polarity, mm13.frequency) == ("percent", "higher", "M")
    assert Indicator.objects.get(code="Y30R21").frequency == "QMAT"
    assert Indicator.objects.get(code="FORGREKR").area_level == "rar"
