from decimal import Decimal as D

import pytest

from indicators import benchmark
from indicators.benchmark import Gap


def test_a_rank_the_differences_contradict_is_flagged_and_a_tie_on_rounded_figures_is_not():
    rows = {
        "Gentofte": (1, D("-2.10")),
        "Lyngby-Taarbæk": (2, D("-1.50")),
        "Rudersdal": (3, D("-1.50")),  # a tie in the published figures: the source broke it, not a contradiction
        "Furesø": (4, D("-1.60")),  # ranked after a smaller difference: contradicts
        "Allerød": (5, D("0.20")),
        "Dragør": (None, None),
    }
    found = benchmark.contradictions(rows)
    assert [(c.area, c.rank, c.ahead, c.ahead_difference) for c in found] == [("Furesø", 4, "Rudersdal", D("-1.50"))]


def test_a_move_within_the_range_of_the_four_periods_before_is_noise():
    within = benchmark.rank_range([40, 35, 52, 44, 47])  # 47 lies within 35–52
    assert (within.low, within.high, within.latest, within.move, within.is_noise) == (35, 52, 47, -3, True)
    news = benchmark.rank_range([40, 35, 52, 44, 12])
    assert news.is_noise is False and news.move == 32
    assert benchmark.rank_range([3]) is None and benchmark.rank_range([3, None]) is None
    # Only the four periods before the latest count: an old best rank does not widen the range.
    assert benchmark.rank_range([1, 40, 41, 42, 43, 30]).low == 40


def test_follow_up_lists_those_above_expected_in_each_of_the_latest_n_periods():
    series = {
        "A": [Gap("2019H1", D("10"), D("0.2")), Gap("2019H2", D("30"), D("0.6")), Gap("2020H1", D("50"), D("0.9"))],
        "B": [Gap("2019H1", D("10"), D("0.5")), Gap("2019H2", D("-20"), D("-0.1")), Gap("2020H1", D("40"), D("1.2"))],
        "C": [None, Gap("2019H2", D("20"), D("0.3")), Gap("2020H1", D("20"), D("0.4"))],
    }
    two = benchmark.follow_up(series, periods=2)
    assert [(f.area, f.latest.points, f.trend) for f in two] == [("A", D("0.9"), D("0.3")), ("C", D("0.4"), D("0.1"))]
    assert [f.area for f in benchmark.follow_up(series, periods=1)] == ["B", "A", "C"]
    assert [f.area for f in benchmark.follow_up(series, periods=3)] == ["A"]
    with pytest.raises(ValueError):
        benchmark.follow_up(series, periods=0)
