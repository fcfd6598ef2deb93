import json
from collections import defaultdict

import pytest

from indicators import catalogue, imports
from indicators.formats import SourceError, SourceFormatError
from indicators.models import ImportRun, Observation
from indicators.sources.demo import GENERATORS, DemoSource
from municipalities import reference
from tests.factories import DATA, snapshot


@pytest.fixture(scope="module")
def tables() -> dict[str, dict]:
    return {p.table_id: json.loads(p.content) for p in DemoSource().fetch()}


def _rows(table: dict) -> list[dict]:
    return [dict(zip(table["columns"], row, strict=True)) for row in table["rows"]]


def test_same_seed_same_bytes_other_seed_other_figures():
    first = [p.content for p in DemoSource(["MM13", "Y30R21"]).fetch()]
    again = [p.content for p in DemoSource(["MM13", "Y30R21"]).fetch()]
    other = [p.content for p in DemoSource(["MM13", "Y30R21"], seed=7).fetch()]
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]


def test_every_seeded_indicator_has_demo_data_in_the_v3_shape(tables):
    assert set(tables) == {spec["code"] for spec in catalogue.INDICATORS} == set(GENERATORS)
    for payload in DemoSource().fetch():
        assert payload.is_demo and payload.source == "demo" and payload.name == f"demo:{payload.table_id}"
        body = json.loads(payload.content)
        # Y30R21 carries the source's own header (Area, not Område); the others Jobmål's working labels.
        area = "Area" if payload.table_id == "Y30R21" else "Område"
        assert set(body) == {"table_id", "columns", "rows"} and body["columns"][:2] == [area, "Periode"]


def test_all_98_municipalities_and_the_documented_periods(tables):
    names = {m[1] for m in reference.MUNICIPALITIES}
    for code in ["MM10", "MM13", "Y08A02", "Y09A02", "Y11A02", "Y12A02"]:
        rows = _rows(tables[code])
        assert {r["Område"] for r in rows} == names | {"Hele landet"}
        periods = sorted({r["Periode"] for r in rows})
        assert (periods[0], periods[-1], len(periods)) == ("2016M01", "2021M12", 72)
    recruitment = _rows(tables["FORGREKR"])
    assert {r["Område"] for r in recruitment} == set(reference.RAR_AREAS.values()) | {"Hele landet"}
    assert sorted({r["Periode"] for r in recruitment})[:2] == ["2016H1", "2016H2"]
    benchmark = _rows(tables["Y30R21"])
    assert {r["Periode"] for r in benchmark} == {f"{y}QMAT0{q}" for y in range(2016, 2022) for q in (2, 4)}
    assert {r["Ydelsesgrupper"] for r in benchmark} == {
        "Ydelsesgrupper i alt",
        "A-dagpenge mv.",
        "Sygedagpenge mv.",
        "Kontanthjælp mv.",
    }


def test_magnitudes_follow_size_and_2020_dips(tables):
    rows = _rows(tables["MM13"])
    total = {(r["Område"], r["Periode"]): r for r in rows if r["Køn"] == "I alt" and r["Opholdstid"] == "I alt"}
    assert total["København", "2020M01"]["Personer i alt"] > 10 * total["Læsø", "2020M01"]["Personer i alt"]
    country = {
        period: r["Andel i beskæftigelse (pct.)"] for (area, period), r in total.items() if area == "Hele landet"
    }
    assert country["2020M04"] < country["2020M01"] - 2 and country["2020M04"] < country["2019M04"]
    assert country["2019M07"] > country["2019M01"]  # summer season
    assert country["2021M12"] > country["2016M01"]


def test_gender_breakdown_adds_up_and_small_cells_are_suppressed(tables):
    cells = {(r["Område"], r["Periode"], r["Køn"], r["Opholdstid"]): r for r in _rows(tables["MM13"])}
    for area in ["København", "Vejle", "Hele landet"]:
        women, men, both = (cells[area, "2020M06", gender, "I alt"] for gender in ("Kvinder", "Mænd", "I alt"))
        assert women["Beskæftigede"] + men["Beskæftigede"] == both["Beskæftigede"]
        assert women["Personer i alt"] + men["Personer i alt"] == both["Personer i alt"]
        assert women["Andel i beskæftigelse (pct.)"] < men["Andel i beskæftigelse (pct.)"]
    suppressed = [key for key, r in cells.items() if r["Beskæftigede"] == ".."]
    assert 0 < len(suppressed) < 0.01 * len(cells)
    assert all(key[2:] != ("I alt", "I alt") for key in suppressed)


def test_benchmark_ranks_each_period_and_group_1_to_98_by_actual_minus_expected(tables):
    by_group = defaultdict(list)
    for r in _rows(tables["Y30R21"]):
        by_group[r["Periode"], r["Ydelsesgrupper"]].append(r)
    assert len(by_group) == 12 * 4
    for rows in by_group.values():
        ranked = sorted(rows, key=lambda r: r[RANK])
        assert [r[RANK] for r in ranked] == list(range(1, 99))
        gaps = [r[f"{SHARES}: Forskel mellem forventet og faktisk andel (pct. point)"] for r in ranked]
        assert gaps == sorted(gaps)
        assert all(r[f"{COUNTS}: Forventet antal"] % 10 == 0 and r[f"{COUNTS}: Faktisk antal"] % 10 == 0 for r in rows)


COUNTS, SHARES, RANK = catalogue.Y30R21_COUNTS, catalogue.Y30R21_SHARES, "Placering på benchmarkranglisten"


def test_unknown_demo_table_is_named():
    with pytest.raises(SourceFormatError, match="no demo data for XX1"):
        DemoSource(["XX1"])


@pytest.mark.django_db
def test_demo_import_is_marked_as_demo_and_idempotent():
    run = imports.demo(["FORGREKR", "Y30R21"])
    assert run.status == ImportRun.Status.SUCCEEDED and run.is_demo and run.source == "demo"
    observations = Observation.objects.filter(indicator__code__in=["FORGREKR", "Y30R21"])
    assert observations.count() == run.rows_created + run.rows_derived
    assert not observations.filter(is_demo=False).exists()
    bornholm = observations.get(
        indicator__code="FORGREKR", area__kind="rar", area__name="RAR Bornholm", period="2020H1", measure="forgaeves"
    )
    assert bornholm.value > 0 and not bornholm.is_derived
    again = imports.demo(["FORGREKR", "Y30R21"])
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, run.rows_created)


@pytest.mark.django_db
def test_demo_data_is_never_written_over_real_figures():
    imports.from_file(str(DATA / "MM13_v2.csv"))
    before = snapshot()
    with pytest.raises(SourceError, match="MM13 har allerede rigtige tal"):
        imports.demo(["MM13"])
    assert snapshot() == before


@pytest.mark.django_db
def test_first_real_import_replaces_the_demo_figures_of_that_indicator_only():
    imports.demo(["Y08A02", "FORGREKR"])
    run = imports.from_file(str(DATA / "y08a02_v3.json"))
    y08 = Observation.objects.filter(indicator__code="Y08A02")
    assert not y08.filter(is_demo=True).exists()
    assert set(y08.filter(is_derived=False).values_list("import_run", flat=True)) == {run.pk}
    assert y08.get(area__code="101", period="2020M01", measure="personer").value == 1234
    assert Observation.objects.filter(indicator__code="FORGREKR", is_demo=True).count() == 2 * 9 * 12
