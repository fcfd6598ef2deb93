from decimal import Decimal as D

from indicators import ranking


def test_higher_is_better_ranks_the_largest_first_and_ties_share_the_better_rank():
    values = {"a": D("40.1"), "b": D("52.0"), "c": D("40.1"), "d": D("12"), "e": None}
    assert ranking.ranks(values, "higher") == {"a": 2, "b": 1, "c": 2, "d": 4, "e": None}


def test_lower_is_better_ranks_the_smallest_first():
    values = {"a": D("3"), "b": D("1"), "c": D("2"), "d": D("1")}
    assert ranking.ranks(values, "lower") == {"a": 4, "b": 1, "c": 3, "d": 1}


def test_a_neutral_indicator_is_ranked_by_size():
    assert ranking.ranks({"a": 1, "b": 5}, "neutral") == {"a": 2, "b": 1}


def test_quartiles_of_98_municipalities_split_24_25_24_25_and_ties_stay_together():
    ranks = {n: n for n in range(1, 99)}
    quartile = ranking.quartiles(ranks)
    sizes = [sum(1 for q in quartile.values() if q == k) for k in (1, 2, 3, 4)]
    assert sizes == [24, 25, 24, 25]
    tied = ranking.quartiles({"a": 1, "b": 2, "c": 2, "d": 4, "e": None})
    assert tied == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}


def test_change_on_a_year_before_needs_both_values():
    assert ranking.change(D("41.5"), D("39.0")) == D("2.5")
    assert ranking.change(D("41.5"), None) is None and ranking.change(None, D("1")) is None
    assert ranking.change(D("1100"), D("1000"), share=False) == D("10")  # a count: per cent
    assert ranking.change(D("5"), D("0"), share=False) is None
