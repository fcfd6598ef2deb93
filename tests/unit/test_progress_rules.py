from decimal import Decimal as D

import pytest

from goals.status import AT_RISK, BEHIND, ON_TRACK, change, status

HIGHER, LOWER, NEUTRAL = "higher", "lower", "neutral"


@pytest.mark.parametrize(
    ("value", "target", "delta", "polarity", "expected"),
    [
        (D("30"), D("28"), D("-1"), HIGHER, ON_TRACK),  # met, even if it fell over the year
        (D("28"), D("28"), None, HIGHER, ON_TRACK),  # exactly on target
        (D("26"), D("28"), D("1.5"), HIGHER, AT_RISK),  # not there yet, moving towards it
        (D("26"), D("28"), D("-0.5"), HIGHER, BEHIND),  # not there, moving away
        (D("26"), D("28"), D("0"), HIGHER, BEHIND),  # not there, standing still
        (D("26"), D("28"), None, HIGHER, BEHIND),  # no year-before figure: judged on the level alone
        (D("200"), D("250"), D("-10"), LOWER, ON_TRACK),  # lower is better: below target is on track
        (D("300"), D("250"), D("-10"), LOWER, AT_RISK),  # above target but falling
        (D("300"), D("250"), D("5"), LOWER, BEHIND),
        (D("300"), D("250"), D("5"), NEUTRAL, None),  # a neutral indicator gets no status
        (None, D("250"), None, HIGHER, None),
        (D("300"), None, D("5"), HIGHER, None),  # no target, no status
    ],
)
def test_status_respects_the_target_and_the_polarity(value, target, delta, polarity, expected):
    assert status(value, target, delta, polarity) == expected


def test_change_is_percentage_points_for_shares_and_per_cent_for_counts():
    assert change(D("31.5"), D("29.0"), "percent") == D("2.5")
    assert change(D("1100"), D("1000"), "persons") == D("10")
    assert change(D("5"), D("0"), "persons") is None
    assert change(None, D("3"), "percent") is None
