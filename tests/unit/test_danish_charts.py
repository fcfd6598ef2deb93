"""Charts that speak Danish and stand alone (issue 12): periods in words, no SI suffix, a unit on every axis, goal 3's
counts beside the country and the comparable municipalities as an index, years of residence in order of years."""

import datetime as dt

import pandas as pd
import pytest
from django.utils import translation

from goals import charts, rendering
from indicators import periods


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


@pytest.mark.parametrize(
    ("code", "words", "short"),
    [
        ("2021M12", "december 2021", "dec. 2021"),
        ("2016H1", "1. halvår 2016", "1. halvår 2016"),
        ("2020Q2", "2. kvt. 2020", "2. kvt. 2020"),
        ("2020QMAT02", "fire kvartaler til og med 2. kvartal 2020", "4 kvt. til 2. kvt. 2020"),
        ("2020", "2020", "2020"),
        ("not a period", "not a period", "not a period"),
    ],
)
def test_periods_in_words(code, words, short):
    assert periods.in_words(code) == words
    assert periods.in_words(code, short=short != words) == (short if short != words else words)


def test_an_import_runs_periods_in_words():
    assert periods.text_in_words("2016QMAT02–2021M12 (96)") == "4 kvt. til 2. kvt. 2016–dec. 2021 (96)"


def _frame(series: dict[str, list[float | None]]) -> pd.DataFrame:
    rows = []
    for label, values in series.items():
        for month, value in enumerate(values, start=1):
            rows.append(
                {"period": f"2021M{month:02d}", "start": dt.date(2021, month, 1), "value": value, "series": label}
            )
    return pd.DataFrame(rows)


def test_a_trend_has_danish_numbers_periods_in_words_and_its_unit_on_the_axis():
    chart = charts.trend(
        "Y08A02", "Personer i fleksjob", _frame({"Aarhus": [5000, 5100, 5200]}), unit="persons", decimals=0
    )
    layout = chart.figure["layout"]
    assert layout["separators"] == ",." and layout["yaxis"]["exponentformat"] == "none"
    assert layout["yaxis"]["separatethousands"] is True and layout["yaxis"]["title"]["text"] == "personer"
    assert chart.figure["data"][0]["customdata"] == ["jan. 2021", "feb. 2021", "mar. 2021"]
    assert chart.table["rows"][0] == ["januar 2021", "5.000"]


def test_counts_of_different_size_are_drawn_as_an_index_with_the_counts_in_the_table():
    frame = _frame({"Aarhus": [None, 5000, 5500], "Hele landet": [70000, 80000, 84000]})
    chart = charts.trend("Y08A02", "Personer i fleksjob", frame, unit="persons", index=True, target=6000.0, decimals=0)
    aarhus, country = chart.figure["data"]
    assert aarhus["y"] == [None, 100.0, pytest.approx(110.0)]
    assert country["y"] == [pytest.approx(87.5), 100.0, pytest.approx(105.0)]
    assert chart.figure["layout"]["yaxis"]["title"]["text"] == "indeks (feb. 2021 = 100)"
    assert chart.figure["layout"]["shapes"][0]["y0"] == pytest.approx(120.0)  # the target on the same index
    assert chart.table["rows"][2] == ["marts 2021", "5.500", "84.000"]  # the counts themselves
    assert "har intet tal for 1 af perioderne" in chart.summary  # the gap explained


def test_half_years_are_bars_named_in_words():
    rows = [("2016H1", dt.date(2016, 1, 1), 12.0), ("2016H2", dt.date(2016, 7, 1), 14.0)]
    frame = pd.DataFrame([{"period": p, "start": s, "value": v, "series": "RAR Fyn"} for p, s, v in rows])
    chart = charts.bars("FORGREKR", "Forgæves rekrutteringer", frame, unit="percent")
    assert chart.figure["data"][0]["x"] == ["1. halvår 2016", "2. halvår 2016"]


def test_years_of_residence_in_order_of_years():
    bands = ["opholdstid=10 år og derover", "opholdstid=0-2 år", "opholdstid=6-9 år", "opholdstid=3-5 år"]
    assert sorted(bands, key=rendering._years_first) == [
        "opholdstid=0-2 år",
        "opholdstid=3-5 år",
        "opholdstid=6-9 år",
        "opholdstid=10 år og derover",
    ]
