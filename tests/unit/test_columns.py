"""Matching a source's column headers to an indicator's keys (indicators/columns.py), without a database."""

import pytest

from indicators import columns
from indicators.formats import SourceFormatError, Table
from indicators.models import Indicator

SPEC = {
    "dimensions": {"Ydelsesgrupper": "ydelsesgruppe"},
    "ids": {"_ygrp_y30r21": "ydelsesgruppe"},
    "measures": {
        "Forventet og faktisk andel: Forventet andel (pct.)": "forventet",
        "Forventet og faktisk andel: Forskel (pct. point)": "forskel",
        "Placering på benchmarkranglisten": "placering",
    },
}


def _indicator(**spec) -> Indicator:
    return Indicator(code="T1", source_spec={**SPEC, **spec})  # unsaved: no SourceColumn rows to read


def _layout(labels: list[str], ids: list[str | None] | None = None, **spec) -> columns.Layout:
    table = Table("CSV", labels, [["x"] * len(labels)], ids=ids or [None] * len(labels))
    return columns.layout(table, _indicator(**spec), "t.csv")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Forskel (pct. point)", "Forskel (pct.-point)"),
        ("Forskel (pct. point)", "forskel  (PCT. POINT)"),
        ("Forventet andel (pct.)", "Forventet andel pct"),
        ("Ydelsesgrupper", "ydelsesgrupper "),
    ],
)
def test_case_spacing_and_punctuation_do_not_tell_labels_apart(one, other):
    assert columns.normalise(one) == columns.normalise(other)


def test_a_group_prefix_is_split_off_and_the_names_keep_their_letters():
    assert columns.split_label("Forventet og faktisk andel: Forventet andel (pct.)") == (
        "forventet og faktisk andel",
        "forventet andel pct",
    )
    assert columns.split_label("Placering på benchmarkranglisten") == (None, "placering på benchmarkranglisten")
    assert columns.normalise("Område") != columns.normalise("Omrade")


def test_columns_are_found_with_or_without_the_group_prefix_in_any_order():
    lay = _layout(
        [
            "Forskel (pct.-point)",
            "Periode",
            "Area",
            "Ydelsesgrupper",
            "Placering på benchmarkranglisten",
            "Forventet og faktisk andel: Forventet andel (pct.)",
        ]
    )
    assert (lay.area, lay.period) == (2, 1)
    assert lay.dimensions == [(3, "ydelsesgruppe")]
    assert lay.measures == [(0, "forskel"), (4, "placering"), (5, "forventet")]


def test_an_id_wins_over_its_label():
    lay = _layout(
        ["Område", "Periode", "Ydelsestype", "Forventet andel (pct.)", "Forskel (pct. point)", "Placering"],
        ids=["area", "period", "_ygrp_y30r21", None, None, None],
        ignore=["Placering"],
        measures={k: v for k, v in SPEC["measures"].items() if v != "placering"},
    )
    assert lay.dimensions == [(2, "ydelsesgruppe")] and [key for _, key in lay.measures] == ["forventet", "forskel"]


def test_another_group_with_the_same_measure_name_is_not_the_same_column():
    with pytest.raises(SourceFormatError) as caught:
        _layout(
            [
                "Område",
                "Periode",
                "Forventet og faktisk antal: Forventet andel (pct.)",
                "Forskel (pct. point)",
                "Placering på benchmarkranglisten",
            ]
        )
    text = caught.value.message.english()
    assert "column 'Forventet og faktisk antal: Forventet andel (pct.)' matches nothing in T1" in text
    assert "missing the column 'Forventet og faktisk andel: Forventet andel (pct.)'" in text
    assert text.endswith(
        "Expected columns: Område, Periode, Ydelsesgrupper, Forventet og faktisk andel: Forventet andel (pct.), "
        "Forventet og faktisk andel: Forskel (pct. point), Placering på benchmarkranglisten"
    )


def test_a_missing_area_or_period_column_is_named():
    with pytest.raises(SourceFormatError) as caught:
        _layout(["Kvartal", "Forventet andel (pct.)", "Forskel (pct. point)", "Placering på benchmarkranglisten"])
    text = caught.value.message.english()
    assert "missing the column 'Område'" in text and "missing the column 'Periode'" in text
    assert "column 'Kvartal' matches nothing" in text
