"""Reading JSON: orjson for speed, the standard library for whatever orjson refuses; the same table either way."""

import json

import pytest

from indicators import formats


def _v3(rows) -> str:
    return json.dumps({"table_id": "Y08A02", "columns": ["Område", "Periode", "Antal personer"], "rows": rows})


@pytest.mark.parametrize(
    "rows",
    [
        [["København", "2020M01", 1245], ["Tårnby", "2020M01", 40.5], ["Dragør", "2020M01", None]],
        [["K\u00f8benhavn", "2020M01", "1.245,5"], ["\u00c6r\u00f8", "2020M01", 1e-7]],
    ],
)
def test_orjson_reads_what_the_standard_library_reads(rows):
    text = _v3(rows)
    table = formats.parse(text.encode(), "a.json")
    assert table.rows == json.loads(text)["rows"] == rows
    assert [type(c) for row in table.rows for c in row] == [type(c) for row in rows for c in row]


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        # JSON orjson refuses and Python's json module reads: read as before.
        ('{"columns": ["Område", "Periode", "Antal"], "rows": [["København", "2020M01", NaN]]}', "nan"),
        ('{"columns": ["Område", "Periode", "Antal"], "rows": [["K\\ud800", "2020M01", 1]]}', 1),
    ],
)
def test_what_orjson_refuses_is_read_by_the_standard_library(text, cell):
    (row,) = formats.parse(text.encode(), "b.json").rows
    assert str(row[2]) == str(cell)


def test_broken_and_deep_json_are_named_as_before(english):
    with pytest.raises(formats.SourceFormatError, match=r"c\.json: invalid or truncated JSON at line 1, column 2"):
        formats.parse(b"{,}", "c.json")
    with pytest.raises(formats.SourceFormatError, match="JSON nested too deeply to be a table"):
        formats.parse(b"[" * 100_000, "d.json")


def test_the_cycle_collector_is_paused_while_reading_and_runs_again_after():
    import gc

    seen = []
    with formats.collector_paused():
        seen.append(gc.isenabled())
        with formats.collector_paused():
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())
    assert seen == [False, False, False] and gc.isenabled()


@pytest.mark.parametrize("depth", [33, 200, 1000])
def test_json_nested_deeper_than_a_table_is_named_so_whatever_the_depth(english, depth):
    """orjson reads up to 1,024 levels; what the standard library's limit refused before is refused as before."""
    cell = "[" * depth + "]" * depth
    text = '{"columns": ["Område", "Periode", "Antal"], "rows": [["København", "2020M01", ' + cell + "]]}"
    with pytest.raises(formats.SourceFormatError, match="JSON nested too deeply to be a table"):
        formats.parse(text.encode(), "deep.json")


def test_a_cell_that_is_a_list_is_read_by_the_standard_library():
    text = '{"columns": ["Område", "Periode", "Antal"], "rows": [[["København"], "2020M01", 1]]}'
    assert formats.parse(text.encode(), "list.json").rows == [[["København"], "2020M01", 1]]


def test_a_whole_number_past_64_bits_stays_the_number_the_file_wrote():
    text = '{"columns": ["Område", "Periode", "Antal"], "rows": [["København", "2020M01", 123456789012345678901234]]}'
    (row,) = formats.parse(text.encode(), "big.json").rows
    assert row[2] == 123456789012345678901234 and type(row[2]) is int
