"""One rounding rule and Danish forms for every figure a person reads (issue 21): the card, the chart's caption and
the report's sentence round the same difference the same way; the source's two decimals where it publishes two;
the minus sign; "kl. 17.40"; a target as typed."""

import datetime as dt
from decimal import Decimal as D

import pandas as pd
from django.utils import formats, translation

from goals import charts
from goals.forms import _as_typed
from goals.progress import Card
from goals.templatetags.jobmaal import change, figure
from indicators.models import Indicator
from indicators.numbers import rounded
from reports import texts


def _frame(now: float, year_before: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"period": "2020M12", "start": dt.date(2020, 12, 1), "series": "Tårnby", "value": year_before},
            {"period": "2021M12", "start": dt.date(2021, 12, 1), "series": "Tårnby", "value": now},
        ]
    )


def test_the_card_the_caption_and_the_sentence_round_one_difference_alike():
    # 28,65 − 27,50 = 1,15: as floats 1,1499…, which the caption rounded to 1,1 while the card said +1,2.
    now, before = D("28.65"), D("27.50")
    card = Card(
        goal=None,
        indicator=Indicator(code="MM10", name_da="Samarbejdsgrad med virksomheder", unit="percent"),
        role="headline",
        measure="andel",
        breakdown="",
        period="2021M12",
    )
    card.value, card.change, card.country = now, now - before, D("26.1")
    with translation.override("da"):
        shown = change(card.change, "percent")
        caption = charts.summarise("Samarbejdsgrad", _frame(float(now), float(before)), "percent")
        sentence = texts.sentence(card, "Tårnby")
    assert shown == "+1,2 procentpoint"
    assert "steget 1,2 procentpoint" in caption or "op 1,2 procentpoint" in caption, caption
    assert "1,2 procentpoint mere end et år før" in sentence
    assert rounded(1.15, 1) == rounded(D("1.15"), 1) == D("1.2") and rounded(-0.25, 1) == D("-0.3")


def test_the_sources_two_decimals_the_minus_sign_and_a_target_as_typed():
    with translation.override("da"):
        assert figure(D("6.89"), "percent:2") == "6,89 pct." and figure(D("6.89"), "percent") == "6,9 pct."
        assert change(D("-0.92"), "percent:2") == "−0,92 procentpoint"
        assert figure(D("-1160"), "persons") == "−1.160" and figure(D("-1.7"), "percent") == "−1,7 pct."
        assert formats.date_format(dt.datetime(2026, 12, 6, 17, 40), "DATETIME_FORMAT") == "6. december 2026 kl. 17.40"
    assert str(_as_typed(D("30.50"))) == "30.5" and str(_as_typed(D("48.00"))) == "48"


def test_an_own_indicator_offers_its_own_periods_around_the_goal_year_newest_first():
    from goals.forms import recent_periods

    today = dt.date(2021, 5, 20)
    months = recent_periods("M", 2018, 2021, today)
    assert months[0] == "2021M05" and months[-1] == "2018M01" and len(months) == 36 + 5
    assert recent_periods("Q", 2018, 2021, today)[:2] == ["2021Q2", "2021Q1"]
    assert recent_periods("Y", 2018, 2021, today) == ["2021", "2020", "2019", "2018"]
