"""The benchmark's charts (goals/charts.py scatter and rank_history) on plain values: no database."""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils import translation

from goals import charts

POINTS = [
    charts.Point("Gentofte", Decimal("7.02"), Decimal("6.80"), Decimal("-0.22")),
    charts.Point("Tårnby", Decimal("8.40"), Decimal("8.60"), Decimal("0.20"), own=True),
    charts.Point("København", Decimal("9.08"), Decimal("9.28"), Decimal("0.20")),
    charts.Point("Aarhus", Decimal("8.60"), Decimal("8.44"), Decimal("-0.16")),
    charts.Point("Ukendt", None, Decimal("5.00")),
]


def test_the_scatter_puts_expected_on_x_and_actual_on_y_with_the_own_municipality_apart_and_the_diagonal():
    with translation.override("da"):
        chart = charts.scatter("s", "Forventet og faktisk andel", POINTS)
    go.Figure(chart.figure)  # valid by plotly's own schema
    diagonal, others, own = chart.figure["data"]
    assert diagonal["x"] == diagonal["y"] and diagonal["mode"] == "lines"
    assert diagonal["x"][0] <= 6.80 and diagonal["x"][1] >= 9.28  # spans every point
    assert others["text"] == ["Gentofte", "København", "Aarhus"]  # no point without both figures
    assert others["x"] == [7.02, 9.08, 8.60] and others["y"] == [6.80, 9.28, 8.44]
    assert own["text"] == ["Tårnby"] and own["x"] == [8.40] and own["y"] == [8.60]
    assert own["marker"]["symbol"] != others["marker"]["symbol"] and own["marker"]["color"] == charts.COLOURS[0]
    assert own["mode"] == "markers+text"  # labelled
    layout = chart.figure["layout"]
    assert layout["xaxis"]["title"]["text"] == "Forventet andel (pct.)"
    assert layout["yaxis"]["title"]["text"] == "Faktisk andel (pct.)"
    assert layout["xaxis"]["range"] == layout["yaxis"]["range"] and layout["separators"] == ",."
    assert "%{x:,.2f} pct." in own["hovertemplate"]
    assert chart.table["columns"] == [
        "Kommune",
        "Forventet andel (pct.)",
        "Faktisk andel (pct.)",
        "Forskel (procentpoint)",
    ]
    assert chart.table["rows"][0] == ["Gentofte", "7,02", "6,80", "−0,22"]
    assert len(chart.table["rows"]) == 4
    assert chart.summary == (
        "Forventet og faktisk andel: 2 af 4 kommuner har en mindre faktisk andel end forventet (under linjen); "
        "længst under: Gentofte (−0,22 procentpoint); længst over: Tårnby (+0,20 procentpoint); "
        "Tårnby: forventet 8,40, faktisk 8,60 pct."
    )


def test_the_scatter_without_figures_says_so():
    with translation.override("da"):
        chart = charts.scatter("s", "X", [])
    assert chart.figure["data"] == [] and chart.table["rows"] == [] and chart.summary == "X: ingen tal."


HISTORY = [
    ("2019QMAT02", 5, Decimal("-0.10")),
    ("2019QMAT04", 30, Decimal("0.10")),
    ("2020QMAT02", None, None),
    ("2020QMAT04", 12, Decimal("0")),
    ("2021QMAT02", 20, Decimal("0.05")),
    ("2021QMAT04", 60, Decimal("0.30")),
]


def test_the_rank_history_has_rank_1_on_top_and_shades_the_range_of_the_four_periods_before():
    with translation.override("da"):
        chart = charts.rank_history("h", "Placering", "Tårnby", HISTORY)
    go.Figure(chart.figure)
    trace = chart.figure["data"][0]
    assert trace["y"] == [5, 30, None, 12, 20, 60]
    assert trace["x"][0] == "4 kvt. til 2. kvt. 2019" and len(trace["x"]) == 6
    layout = chart.figure["layout"]
    assert layout["yaxis"]["range"] == [98.5, 0.5]  # reversed: rank 1 at the top
    band = layout["shapes"][0]
    assert (band["y0"], band["y1"]) == (4.5, 30.5)  # ranks 5–30 in the four ranked periods before the latest
    assert band["x0"] < 0 < band["x1"] and band["x1"] > 5
    assert chart.table["columns"] == ["Periode", "Placering", "Forskel (procentpoint)"]
    assert chart.table["rows"][0] == ["fire kvartaler til og med 2. kvartal 2019", "5", "−0,10"]
    assert chart.table["rows"][2] == ["fire kvartaler til og med 2. kvartal 2020", "–", "–"]
    assert chart.table["rows"][3][2] == "±0,00"
    assert chart.summary == (
        "Placering, Tårnby: placering 60 i fire kvartaler til og med 4. kvartal 2021, 40 pladser ned i forhold til "
        "perioden før; bedst 5 (fire kvartaler til og med 2. kvartal 2019), dårligst 60 (fire kvartaler til og med "
        "4. kvartal 2021); uden for spændet 5–30 fra de fire perioder før (nyhed)."
    )


def test_a_single_period_has_no_band():
    with translation.override("en"):
        chart = charts.rank_history("h", "Rank", "Tårnby", [("2021QMAT04", 7, Decimal("-0.3"))])
    assert "shapes" not in chart.figure["layout"]
    assert (
        chart.summary == "Rank, Tårnby: rank 7 in four quarters to Q4 2021; best 7 (four quarters to Q4 2021), "
        "worst 7 (four quarters to Q4 2021)."
    )
