"""The sentence a goal's section opens with, written from the figures in Danish (issue 13)."""

from decimal import Decimal as D

from django.utils import translation

from goals.models import Target
from goals.progress import Card
from indicators.models import Indicator
from reports import texts

MM13 = "Andel flygtninge og familiesammenførte i beskæftigelse"


def _card(name=MM13, unit="percent", polarity="higher", **figures) -> Card:
    indicator = Indicator(code="X", name_da=name, name_en=name, unit=unit, polarity=polarity)
    card = Card(goal=None, indicator=indicator, role="headline", measure="value", breakdown="", period="2021M12")
    for key, value in figures.items():
        setattr(card, key, value)
    return card


def _sentence(card, area="Tårnby") -> str:
    with translation.override("da"):
        return texts.sentence(card, area)


def test_the_issues_example_word_for_word():
    card = _card(value=D("49.77"), change=D("4.82"), country=D("45.97"))
    assert _sentence(card) == (
        "Andelen af flygtninge og familiesammenførte i beskæftigelse i Tårnby var 49,8 pct. i december 2021, "
        "4,8 procentpoint mere end et år før og 3,8 procentpoint over hele landet."
    )


def test_a_fall_below_the_country_and_no_change():
    card = _card(value=D("26.04"), change=D("-1.26"), country=D("28.1"))
    assert _sentence(card).endswith(
        "26,0 pct. i december 2021, 1,3 procentpoint mindre end et år før og 2,1 procentpoint under hele landet."
    )
    same = _card(value=D("28.1"), change=D("0.02"), country=D("28.14"))
    assert _sentence(same).endswith("det samme som et år før og det samme som hele landet.")


def test_goal_2_leads_with_the_women_then_the_whole_group():
    card = _card(
        value=D("49.77"),
        change=D("4.82"),
        country=D("45.97"),
        lead_label="Kvinder",
        lead_value=D("32.5"),
        lead_change=D("3.4"),
    )
    assert _sentence(card) == (
        "Andelen af flygtninge og familiesammenførte i beskæftigelse i Tårnby var 32,5 pct. for kvinder i december "
        "2021, 3,4 procentpoint mere end et år før. I alt var andelen 49,8 pct., 4,8 procentpoint mere end et år før "
        "og 3,8 procentpoint over hele landet."
    )


def test_a_count_reads_in_per_cent_with_thousands_dots():
    card = _card(name="Personer i fleksjob", unit="persons", value=D("1200"), change=D("2.6"), country_change=D("2.8"))
    assert _sentence(card) == (
        "Antallet af personer i fleksjob i Tårnby var 1.200 i december 2021, 2,6 % flere end "
        "et år før (hele landet: +2,8 %)."
    )
    fewer = _card(name="Personer i fleksjob", unit="persons", value=D("12345"), change=D("-0.4"))
    assert (
        _sentence(fewer)
        == "Antallet af personer i fleksjob i Tårnby var 12.345 i december 2021, 0,4 % færre end et år før."
    )


def test_a_local_target_and_its_status():
    card = _card(
        value=D("49.77"),
        change=D("4.82"),
        country=D("45.97"),
        status="at_risk",
        target=Target(year=2020, value=D("52")),
    )
    assert _sentence(card).endswith(" Det lokale mål for 2020 er 52,0 pct., og status er: i risiko.")


def test_no_figure_no_sentence():
    assert _sentence(_card(value=None)) == ""
