"""The chart functions on plain frames: no database."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import pytest
from django.utils import translation

from goals import charts


def _frame() -> pd.DataFrame:
    rows = []
    for year in (2019, 2020):
        for month in range(1, 13):
            start = dt.date(year, month, 1)
            code = f"{year}M{month:02d}"
            rows.append({"period": code, "start": start, "series": "Aarhus", "value": 30 + (year - 2019) * 2.5})
            rows.append({"period": code, "start": start, "series": "Hele landet", "value": 1234.5})
    return pd.DataFrame(rows)


def test_trend_draws_a_line_per_series_with_the_area_first_and_the_target():
    with translation.override("da"):
        chart = charts.trend("MM13", "Andel i beskæftigelse", _frame(), unit="percent", target=33, target_label="Mål")
    traces = chart.figure["data"]
    assert [t["name"] for t in traces] == ["Aarhus", "Hele landet"]
    assert len(traces[0]["x"]) == 24 and traces[0]["y"][-1] == 32.5
    assert traces[0]["line"]["width"] > traces[1]["line"]["width"]
    assert chart.figure["layout"]["separators"] == ",."
    assert chart.figure["layout"]["shapes"][0]["y0"] == 33
    go.Figure(chart.figure)  # valid by plotly's own schema (raises on any unknown or ill-typed property)


def test_the_data_table_has_a_row_per_period_in_danish_formats():
    with translation.override("da"):
        chart = charts.trend("MM13", "Andel i beskæftigelse", _frame(), unit="percent")
    assert chart.table["columns"] == ["Periode", "Aarhus (pct.)", "Hele landet (pct.)"]
    assert chart.table["rows"][0] == ["januar 2019", "30,0", "1.234,5"]
    assert chart.table["rows"][-1][0] == "december 2020" and len(chart.table["rows"]) == 24


def test_the_summary_is_one_danish_sentence_with_the_latest_figure_and_the_change():
    with translation.override("da"):
        chart = charts.trend("MM13", "Andel i beskæftigelse", _frame(), unit="percent")
    assert chart.summary == (
        "Andel i beskæftigelse, Aarhus: 32,5 pct. i december 2020, steget 2,5 procentpoint på et år; "
        "Hele landet: 1.234,5 pct."
    )
    with translation.override("en"):
        english = charts.trend("MM13", "Share employed", _frame(), unit="percent")
    assert english.summary.startswith("Share employed, Aarhus: 32.5 pct. in December 2020, up 2.5 percentage points")


def test_half_years_and_missing_figures():
    frame = pd.DataFrame(
        [
            {"period": "2019H2", "start": dt.date(2019, 7, 1), "series": "RAR Fyn", "value": 1000.0},
            {"period": "2020H1", "start": dt.date(2020, 1, 1), "series": "RAR Fyn", "value": float("nan")},
            {"period": "2020H2", "start": dt.date(2020, 7, 1), "series": "RAR Fyn", "value": 800.0},
        ]
    )
    with translation.override("da"):
        chart = charts.bars("FORGREKR", "Forgæves rekrutteringer", frame, unit="count")
    assert chart.figure["data"][0]["y"] == [1000.0, None, 800.0]
    go.Figure(chart.figure)
    assert [row[0] for row in chart.table["rows"]] == ["2. halvår 2019", "1. halvår 2020", "2. halvår 2020"]
    assert chart.table["rows"][1][1] == "–"
    assert "faldet 200" in chart.summary


@pytest.mark.parametrize("language", ["da", "en"])
def test_no_figures_gives_an_empty_chart_that_says_so(language):
    empty = pd.DataFrame(columns=["period", "start", "value", "series"])
    with translation.override(language):
        chart = charts.trend("MM10", "X", empty, unit="percent")
    assert chart.figure["data"] == [] and chart.table["rows"] == []
    assert chart.summary.startswith("X:")


def test_the_ranking_draws_a_bar_per_area_in_rank_order_with_the_country_line():
    rows = [("Dragør", 52.84, False), ("Tårnby", 49.8, True), ("Ukendt", None, False), ("Ballerup", 39.6, False)]
    with translation.override("da"):
        chart = charts.ranking(
            "comparison", "Andel i beskæftigelse", rows, unit="percent", reference=("Hele landet", 46.0)
        )
    bar = chart.figure["data"][0]
    assert bar["orientation"] == "h" and bar["y"] == ["Dragør", "Tårnby", "Ballerup"]  # no bar for a missing figure
    assert bar["marker"]["color"] == ["#8c8c8c", charts.COLOURS[0], "#8c8c8c"]  # the reader's own stands out
    assert chart.figure["layout"]["yaxis"]["autorange"] == "reversed"  # rank 1 at the top
    assert chart.figure["layout"]["shapes"][0]["x0"] == 46.0
    assert chart.table["rows"][0] == ["Dragør", "52,8 pct."]
    assert chart.summary == (
        "Andel i beskæftigelse: Dragør først med 52,8 pct., Ballerup sidst med 39,6 pct.; Hele landet: 46,0 pct."
    )
    go.Figure(chart.figure)


def test_a_counts_axis_says_how_many_not_which_number():
    # Issue 21: goal 1's chart of forgæves rekrutteringer said "nummer" (the goal's number shares the English word).
    with translation.override("da"):
        assert charts._layout("Forgæves rekrutteringer", "count")["yaxis"]["title"]["text"] == "antal"
    with translation.override("en"):
        assert charts._layout("x", "count")["yaxis"]["title"]["text"] == "number"


def test_the_last_slanted_period_label_gets_room_on_paper():
    from reports.chromium import for_print

    printed = for_print({"data": [], "layout": charts._layout("x", "count")})
    assert printed["layout"]["xaxis"]["automargin"] is True and printed["layout"]["xaxis"]["gridcolor"] == "#f0f0f0"


def test_a_count_is_never_ranked_a_share_is():
    # Issue 21: fleksjob was ranked by its count, so the largest municipality led.
    from dashboard.comparison import is_ranked
    from indicators.models import Indicator

    assert not any(is_ranked(Indicator(unit=u)) for u in ("persons", "fulltime", "count"))
    assert is_ranked(Indicator(unit="percent")) and is_ranked(Indicator(unit="rank"))


@pytest.mark.parametrize("language", ["da", "en"])
def test_numbers_are_written_as_djangos_number_format_writes_them(language):
    """charts.number writes with Python's formatting and the language's separators, for speed: it must give exactly
    what Django's number_format gives, for every kind of figure the charts hold."""
    from decimal import Decimal

    from django.utils import formats

    from indicators.numbers import rounded

    values = [0, 1, -1, 0.04, -0.04, 0.05, -0.05, 1.15, 2.675, 999.95, 1234.5, -1234.5, 1_000_000, 98765432.1]
    values += [Decimal("47.25"), Decimal("-0.00"), Decimal("1234567.891"), 12, -7, float("1e-7")]
    with translation.override(language):
        for value in values:
            for decimals in (0, 1, 2):
                expected = formats.number_format(rounded(value, decimals), decimals, use_l10n=True, force_grouping=True)
                assert charts.number(value, decimals) == expected, (value, decimals)
    with translation.override(language):
        assert charts.number(1234.5) == ("1.234,5" if language == "da" else "1,234.5")
