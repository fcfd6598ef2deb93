"""The comparable municipalities' line is summed in plain Python (goals/rendering.py `_summed`) for speed; it must be
the line pandas' groupby summed before, to the last bit, so that stored charts do not change for unchanged figures."""

import datetime as dt
import random

import pandas as pd
import pytest

from goals.rendering import _summed


def _by_pandas(parts: list[list[tuple]]) -> list[tuple]:
    """The implementation before: concat, groupby, sum (pandas sums floats with Kahan compensation)."""
    columns = ["period", "start", "value", "numerator", "denominator", "is_demo"]
    frames = [pd.DataFrame(part, columns=columns) for part in parts]
    frame = pd.concat(frames)
    if frame["numerator"].isna().all():
        summed = frame.groupby(["period", "start"], as_index=False).agg(n=("value", "count"), value=("value", "sum"))
        summed = summed[summed["n"] == len(parts)]
    else:
        summed = frame.groupby(["period", "start"], as_index=False).agg(
            n=("numerator", "count"), num=("numerator", "sum"), den=("denominator", "sum")
        )
        summed = summed[(summed["n"] == len(parts)) & (summed["den"] > 0)]
        summed["value"] = summed["num"] / summed["den"] * 100
    return [(p, s, float(v)) for p, s, v in zip(summed["period"], summed["start"], summed["value"], strict=True)]


@pytest.mark.parametrize("share", [True, False])
def test_the_summed_line_is_pandas_to_the_last_bit(share):
    rng = random.Random(7)
    periods = [(f"2020M{m:02d}", dt.date(2020, m, 1)) for m in range(1, 13)]
    parts = []
    for _ in range(5):
        part = []
        for period, start in periods:
            if rng.random() < 0.05:
                continue  # a period this municipality has no row for
            denominator = rng.uniform(10, 5000) if share else None
            numerator = denominator * rng.uniform(0.1, 0.9) if share else None
            value = numerator / denominator * 100 if share else rng.uniform(0, 1e6) / 3
            if rng.random() < 0.05:
                value = numerator = denominator = None  # suppressed
            part.append((period, start, value, numerator, denominator, False))
        parts.append(part)
    ours = _summed(parts)
    assert ours == _by_pandas(parts)
    assert 0 < len(ours) < 12  # periods dropped where a figure is missing, the rest kept
