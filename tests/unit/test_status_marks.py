"""The status mark on a goal card: on track / at risk / behind with a target; without one, the direction against a
year before and against the whole country, judged by the indicator's polarity (a neutral one is not judged)."""

from decimal import Decimal as D

import pytest

from goals.progress import Card
from goals.status import BETTER, DOWN, SAME, UP, WORSE, direction, marks
from indicators.models import Indicator

HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"


@pytest.mark.parametrize(
    ("delta", "polarity", "expected"),
    [
        (D("1.7"), HIGHER, BETTER),
        (D("-1.7"), HIGHER, WORSE),
        (D("1.7"), LOWER, WORSE),  # lower is better: a rise is worse
        (D("-0.2"), LOWER, BETTER),
        (D("0.04"), HIGHER, SAME),  # shown as ±0,0: no change to speak of
        (D("-0.04"), LOWER, SAME),
        (D("0.06"), HIGHER, BETTER),  # shown as +0,1
        (D("3"), NEUTRAL, UP),  # neutral: the change, no judgement
        (D("-3"), NEUTRAL, DOWN),
        (D("0"), NEUTRAL, SAME),
        (None, HIGHER, None),
    ],
)
def test_direction_reads_a_difference_by_the_polarity(delta, polarity, expected):
    assert direction(delta, polarity) == expected


def _card(unit="percent", polarity=HIGHER, **figures) -> Card:
    indicator = Indicator(code="X", name_da="X", name_en="X", unit=unit, polarity=polarity)
    card = Card(goal=None, indicator=indicator, role="headline", measure="value", breakdown="", period="2021M12")
    for name, value in figures.items():
        setattr(card, name, value)
    return card


def _words(card) -> list[tuple[str, str, str]]:
    return [(m.key, str(m.word), m.tone) for m in marks(card)]


def test_with_a_target_the_mark_is_the_status_alone(english):
    card = _card(value=D("26"), change=D("1.5"), country=D("30"), status="at_risk")
    assert _words(card) == [("at_risk", "At risk", "warn")]
    assert [m.icon for m in marks(card)] == ["warning"]
    assert _words(_card(value=D("30"), status="on_track")) == [("on_track", "On track", "good")]
    assert _words(_card(value=D("20"), status="behind")) == [("behind", "Behind", "bad")]


def test_without_a_target_a_share_is_judged_on_the_year_and_on_the_level_of_the_whole_country(english):
    card = _card(value=D("28.2"), change=D("1.7"), country=D("26.1"), country_change=D("2.0"))
    assert _words(card) == [
        ("year-better", "Better than last year", "good"),
        ("country-better", "Better than the whole country", "good"),
    ]
    assert [m.icon for m in marks(card)] == ["arrow-upward", "arrow-upward"]
    lower = _card(polarity=LOWER, value=D("28.2"), change=D("1.7"), country=D("26.1"))
    assert _words(lower) == [
        ("year-worse", "Worse than last year", "bad"),
        ("country-worse", "Worse than the whole country", "bad"),
    ]
    assert [m.icon for m in marks(lower)] == ["arrow-upward", "arrow-upward"]  # the arrow says where it went
    same = _card(value=D("26.14"), change=D("0.01"), country=D("26.06"))  # both shown as 26,1
    assert _words(same) == [
        ("year-same", "Unchanged from last year", "neutral"),
        ("country-same", "Same as the whole country", "neutral"),
    ]


def test_without_a_target_a_count_is_judged_on_its_change_against_the_whole_countrys(english):
    card = _card(unit="persons", value=D("2018"), change=D("1.1"), country=D("90000"), country_change=D("2.8"))
    assert _words(card) == [
        ("year-better", "Better than last year", "good"),
        ("country-worse", "Developing worse than the whole country", "bad"),
    ]
    card = _card(unit="persons", polarity=LOWER, value=D("818"), change=D("-1.1"), country_change=D("2.8"))
    assert _words(card) == [
        ("year-better", "Better than last year", "good"),
        ("country-better", "Developing better than the whole country", "good"),
    ]


def test_a_neutral_indicator_shows_the_change_without_judging_it(english):
    card = _card(unit="persons", polarity=NEUTRAL, value=D("300"), change=D("-4"), country_change=D("2"), status=None)
    assert _words(card) == [
        ("year-down", "Lower than last year", "neutral"),
        ("country-down", "Change below the whole country's", "neutral"),
    ]
    share = _card(polarity=NEUTRAL, value=D("30"), change=D("2"), country=D("25"))
    assert _words(share) == [
        ("year-up", "Higher than last year", "neutral"),
        ("country-up", "Above the whole country", "neutral"),
    ]


def test_without_figures_to_compare_there_is_no_mark(english):
    assert _words(_card(value=D("30"))) == []
    assert _words(_card(value=D("30"), change=D("1"))) == [("year-better", "Better than last year", "good")]
