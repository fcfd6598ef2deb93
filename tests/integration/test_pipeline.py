from decimal import Decimal

import pytest

from indicators import imports, pipeline
from indicators.formats import SourceError
from indicators.models import ImportRun, Observation, ObservationRevision
from indicators.sources.files import FileSource
from tests.factories import DATA, csv_bytes, snapshot, v3_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _value(indicator: str, area_code: str, period: str, measure: str, breakdown: str = "") -> Observation:
    return Observation.objects.get(
        indicator__code=indicator, area__code=area_code, period=period, measure=measure, breakdown=breakdown
    )


def test_v2_csv_with_bom_decimal_comma_and_thousands_dots():
    run = imports.from_file(str(DATA / "MM13_v2.csv"))
    assert run.status == ImportRun.Status.SUCCEEDED and run.table == "MM13"
    vesthimmerland = _value("MM13", "820", "2020M01", "andel")
    assert vesthimmerland.value == Decimal("9.08")
    assert (vesthimmerland.numerator, vesthimmerland.denominator) == (Decimal(1234), Decimal(13590))
    assert _value("MM13", "101", "2020M01", "andel", "kon=Kvinder").value == Decimal("30.0")
    assert run.rows_read == 7 and run.rows_created == 21  # three measures per row


def test_suppressed_cells_are_missing_not_zero():
    imports.from_file(str(DATA / "MM13_v2.csv"))
    nordfyns = _value("MM13", "480", "2020M01", "andel")
    assert nordfyns.value is None and nordfyns.status == Observation.Status.SUPPRESSED


def test_v2_json_with_jobindsats_spellings():
    run = imports.from_file(str(DATA / "mm13_v2.json"))
    assert run.table == "MM13"
    assert _value("MM13", "169", "2020M01", "personer").value == 13590  # Høje-Taastrup
    assert _value("MM13", "751", "2020M01", "andel", "kon=Mænd|opholdstid=Under 3 år").value == Decimal("12.5")
    # The source gave the whole country itself: kept as given, not derived.
    country = _value("MM13", "dk", "2020M01", "andel")
    assert country.value == Decimal("43.2") and not country.is_derived


def test_v3_json_and_v3_csv_give_the_same_figures():
    imports.from_file(str(DATA / "y08a02_v3.json"))
    from_json = _value("Y08A02", "147", "2020M01", "fuldtidspersoner").value
    run = imports.from_file(str(DATA / "y08a02_v3.csv"), table="Y08A02")
    assert from_json == Decimal("901.5")
    assert _value("Y08A02", "147", "2020M01", "fuldtidspersoner").value == from_json
    assert run.rows_unchanged == 4 and run.rows_created == 0


def test_the_newest_month_is_provisional():
    imports.from_file(str(DATA / "MM13_v2.csv"))
    assert _value("MM13", "101", "2020M02", "andel").status == Observation.Status.PROVISIONAL
    assert _value("MM13", "101", "2020M01", "andel").status == Observation.Status.FINAL


def test_reimporting_the_same_data_changes_nothing():
    first = imports.from_file(str(DATA / "MM13_v2.csv"))
    before = snapshot()
    second = imports.from_file(str(DATA / "MM13_v2.csv"))
    assert snapshot() == before
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, first.rows_created)
    assert second.rows_derived == 0
    assert not ObservationRevision.objects.exists()


def _revised_mm13(tmp_path):
    """MM13_v2.csv with Frederiksberg's January share and employed count revised (50,0 → 51,0; 500 → 510)."""
    revised = (
        (DATA / "MM13_v2.csv")
        .read_bytes()
        .replace(b"Frederiksberg;2020M01;I alt;I alt;50,0;500;", b"Frederiksberg;2020M01;I alt;I alt;51,0;510;")
    )
    path = tmp_path / "MM13_revised.csv"
    path.write_bytes(revised)
    return path


def test_a_changed_value_is_updated_and_recorded_as_a_revision(tmp_path):
    imports.from_file(str(DATA / "MM13_v2.csv"))
    path = _revised_mm13(tmp_path)
    run = imports.from_file(str(path))
    assert run.rows_updated == 2  # the share and the employed count
    share = _value("MM13", "147", "2020M01", "andel")
    assert share.value == Decimal("51.0") and share.status == Observation.Status.REVISED
    revision = ObservationRevision.objects.get(observation=share)
    assert (revision.old_value, revision.new_value, revision.import_run_id) == (
        Decimal("50.0"),
        Decimal("51.0"),
        run.pk,
    )
    assert (revision.old_numerator, revision.new_numerator) == (Decimal(500), Decimal(510))


def test_derived_figures_are_sums_of_counts_not_averages_of_shares():
    imports.from_file(str(DATA / "y08a02_v3.json"))
    jobcentre = _value("Y08A02", "taarnby-dragoer", "2020M01", "personer")
    assert jobcentre.value == 400 and jobcentre.is_derived and jobcentre.source == "derived"
    # Hovedstaden misses most members in this file, so no regional total is claimed.
    assert _value("Y08A02", "1084", "2020M01", "personer").value is None


def test_derived_share_is_summed_numerator_over_summed_denominator(tmp_path):
    rows = [
        ["København", "2020M03", "I alt", "I alt", "10,0", "100", "1.000"],
        ["Frederiksberg", "2020M03", "I alt", "I alt", "90,0", "900", "1.000"],
        ["Tårnby", "2020M03", "I alt", "I alt", "20,0", "20", "100"],
        ["Dragør", "2020M03", "I alt", "I alt", "60,0", "60", "100"],
    ]
    path = tmp_path / "MM13.csv"
    path.write_bytes(csv_bytes(rows))
    imports.from_file(str(path))
    jobcentre = _value("MM13", "taarnby-dragoer", "2020M03", "andel")
    assert (jobcentre.numerator, jobcentre.denominator) == (80, 200)
    assert jobcentre.value == Decimal("40.000000")  # not (20 + 60) / 2 = 40 by luck: see the next check
    assert _value("MM13", "taarnby-dragoer", "2020M03", "personer").value == 200


def test_derived_share_differs_from_the_mean_of_shares(tmp_path):
    rows = [
        ["Tårnby", "2020M04", "I alt", "I alt", "10,0", "10", "100"],
        ["Dragør", "2020M04", "I alt", "I alt", "50,0", "450", "900"],
    ]
    path = tmp_path / "MM13.csv"
    path.write_bytes(csv_bytes(rows))
    imports.from_file(str(path))
    assert _value("MM13", "taarnby-dragoer", "2020M04", "andel").value == Decimal("46.000000")  # mean would be 30


def test_pipeline_reports_progress_phases():
    phases = []
    pipeline.run(FileSource(DATA / "MM13_v2.csv"), progress=lambda phase, f: phases.append(phase))
    assert phases[0] == "fetching" and "writing" in phases and phases[-1] == "done"


BAD_ROWS = [
    (["Atlantis", "2020M01", "I alt", "I alt", "40,0", "40", "100"], "Område", "unknown area 'Atlantis'"),
    (["København", "2020M13", "I alt", "I alt", "40,0", "40", "100"], "Periode", "unknown period '2020M13'"),
    (["København", "2020M01", "I alt", "I alt", "fyrre", "40", "100"], "Andel i beskæftigelse (pct.)", "not a number"),
    (["København", "2020M01", "I alt", "I alt", "140,0", "40", "100"], "Andel i beskæftigelse (pct.)", "outside 0–100"),
    (["København", "2020M01", "I alt", "I alt", "40,0", "400", "100"], "Beskæftigede", "larger than the denominator"),
]


@pytest.mark.parametrize(("row", "field", "reason"), BAD_ROWS)
def test_a_bad_row_is_rejected_with_file_row_field_and_reason_and_nothing_is_written(tmp_path, row, field, reason):
    imports.from_file(str(DATA / "MM13_v2.csv"))
    before = snapshot()
    path = tmp_path / "MM13_bad.csv"
    good = ["Frederiksberg", "2020M01", "I alt", "I alt", "55,0", "550", "1.000"]
    path.write_bytes(csv_bytes([good, row]))
    with pytest.raises(pipeline.ImportRejected) as caught:
        imports.from_file(str(path))
    assert snapshot() == before
    (reject,) = caught.value.rejects
    assert (reject.file, reject.row, reject.field) == ("MM13_bad.csv", 3, field)
    assert reason in str(reject.reason)
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportRun.Status.FAILED and run.rows_rejected == 1
    assert run.rejects[0]["row"] == 3 and reason in run.rejects[0]["reason"]


def test_duplicate_rows_are_rejected(tmp_path):
    row = ["København", "2020M01", "I alt", "I alt", "40,0", "40", "100"]
    path = tmp_path / "MM13_dup.csv"
    path.write_bytes(csv_bytes([row, row]))
    with pytest.raises(pipeline.ImportRejected, match="row 3.*duplicate of row 2"):
        imports.from_file(str(path))
    assert snapshot() == []


def test_a_row_repeated_in_a_reimport_is_rejected_even_when_both_equal_the_stored_figure(tmp_path):
    """On a first import the unique key finds repeated rows; against stored figures the check runs first, since
    an unchanged repeat never reaches the key."""
    imports.from_file(str(DATA / "MM13_v2.csv"))
    before = snapshot()
    row = ["København", "2020M01", "I alt", "I alt", "41,5", "1.245", "3.000"]  # as stored
    path = tmp_path / "MM13_again.csv"
    path.write_bytes(csv_bytes([row, row]))
    with pytest.raises(pipeline.ImportRejected, match="row 3: duplicate of row 2"):
        imports.from_file(str(path))
    assert snapshot() == before


def test_repeated_rows_are_named_with_the_other_faults_of_the_file(tmp_path):
    row = ["København", "2020M01", "I alt", "I alt", "40,0", "40", "100"]
    path = tmp_path / "MM13_faults.csv"
    path.write_bytes(csv_bytes([row, row, ["Frederiksberg", "2020M01", "I alt", "I alt", "140,0", "40", "100"]]))
    with pytest.raises(pipeline.ImportRejected) as caught:
        imports.from_file(str(path))
    assert [(r.row, str(r.reason)[:24]) for r in caught.value.rejects] == [
        (3, "duplicate of row 2 (same"),
        (4, "the share 140,0 is outsi"),
    ]
    assert snapshot() == []


def test_a_first_import_derives_from_its_staged_rows_what_the_stored_rows_give():
    """An indicator's first import sums its staging table; later imports sum the stored figures. Deriving the
    first import's periods again from the stored figures changes nothing, for shares (MM10) and counts (Y08A02),
    at every level."""
    from indicators import aggregates
    from indicators.models import Indicator

    run = imports.demo(["MM10", "Y08A02"])
    derived = Observation.objects.filter(is_derived=True)
    assert run.rows_derived == derived.count() > 1000
    assert set(derived.values_list("area__kind", flat=True).distinct()) >= {"region", "rar", "jobcentre", "dst_group"}
    assert derived.filter(numerator__isnull=False).exists() and not derived.filter(is_demo=False).exists()
    for indicator in Indicator.objects.filter(code__in=["MM10", "Y08A02"]):
        periods = sorted(set(derived.filter(indicator=indicator).values_list("period", flat=True)))
        # Every derived figure that differs from the stored one (value, numerator, denominator, status, demo) or is
        # missing would be written and counted.
        assert periods and aggregates.derive(indicator, periods) == 0


def test_a_file_that_fills_the_copy_chunks_exactly_is_counted_and_imports_again(monkeypatch, tmp_path):
    """COPY takes an empty chunk for the end of the data and asks for no more: what the stage counts must be said
    before it. MM13_v2.csv is 7 rows of 3 figures, so chunks of 3 lines end exactly with the file."""
    monkeypatch.setattr(pipeline, "CHUNK_LINES", 3)
    first = imports.from_file(str(DATA / "MM13_v2.csv"))
    assert (first.rows_created, first.rows_unchanged) == (21, 0)
    path = _revised_mm13(tmp_path)
    again = imports.from_file(str(path))
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 2, 19)


def test_json_nested_in_a_cell_is_refused_with_a_message_not_a_crash(english, tmp_path):
    cell = "[" * 1000 + "]" * 1000
    path = tmp_path / "y08a02_deep.json"
    path.write_text(
        '{"table_id": "Y08A02", "columns": ["Område", "Periode", "Antal personer", "Antal fuldtidspersoner"], '
        f'"rows": [[{cell}, "2020M01", 1, 1]]}}'
    )
    with pytest.raises(SourceError, match="JSON nested too deeply to be a table"):
        imports.from_file(str(path))
    assert snapshot() == []


def test_the_cycle_collector_runs_again_after_an_import(tmp_path):
    import gc

    imports.from_file(str(DATA / "MM13_v2.csv"))
    assert gc.isenabled()
    path = tmp_path / "MM13_bad.csv"
    path.write_bytes(csv_bytes([["København", "2020M01", "I alt", "I alt", "400,0", "40", "100"]]))
    with pytest.raises(pipeline.ImportRejected):
        imports.from_file(str(path))
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"table_id": "Y08A02", "columns": ["Omr', "invalid or truncated JSON"),
        (
            csv_bytes([["København", "2020M01", "I alt", "I alt", "40,0", "40", "100"]])[:-12],
            "has 5 fields, the header has 7",
        ),
        (
            b"<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head></html>",
            "web page (HTML: 503 Service Unavailable)",
        ),
        ('{"Forkert nøgle eller nøglen er udløbet.":""}'.encode(), "rejected the API key"),
        (b"", "empty answer"),
        (
            b'{"columns": ["Omr\xc3\xa5de", "Periode", "Antal personer", "Antal fuldtidspersoner"], "rows": []}',
            "no rows",
        ),
        (
            csv_bytes([["København", "2020M01", "I alt", "I alt", "40,0", "40", "100"]], encoding="cp1252"),
            "Windows-1252",
        ),
        (
            v3_json("Y08A02", ["Område", "Periode", "Personer"], [["København", "2020M01", 5]]),
            "header does not match table Y08A02",
        ),
    ],
    ids=["truncated-json", "truncated-csv", "html", "wrong-key", "empty", "no-rows", "cp1252", "header"],
)
def test_bad_files_fail_with_a_clear_message_and_write_nothing(tmp_path, content, message):
    imports.from_file(str(DATA / "MM13_v2.csv"))
    before = snapshot()
    path = tmp_path / "MM13_input.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError) as caught:
        imports.from_file(str(path))
    assert message in str(caught.value)
    assert "MM13_input.csv" in str(caught.value) or "Y08A02" in str(caught.value)
    assert snapshot() == before
    assert ImportRun.objects.latest("pk").status == ImportRun.Status.FAILED


def test_unknown_table_is_named():
    with pytest.raises(SourceError, match="unknown table 'XYZ99'"):
        imports.from_file(str(DATA / "y08a02_v3.csv"), table="XYZ99")


def test_a_failure_in_a_later_payload_leaves_earlier_data_exactly_as_it_was(tmp_path):
    imports.from_file(str(DATA / "MM13_v2.csv"))
    before = snapshot()

    class TwoFiles:
        table_id = None

        def fetch(self):
            good = FileSource(DATA / "y08a02_v3.json").fetch()
            bad_path = tmp_path / "MM13_second.csv"
            bad_path.write_bytes(csv_bytes([["København", "2020M01", "I alt", "I alt", "400,0", "40", "100"]]))
            return good + FileSource(bad_path).fetch()

    with pytest.raises(pipeline.ImportRejected):
        pipeline.run(TwoFiles())
    assert snapshot() == before


def test_without_database_foreign_keys_areas_stay_protected_and_indicators_cascade():
    """Observation's area and indicator keys have no database constraint (a million-row import checked them row
    by row at COMMIT); the pipeline checks areas set-wise and Django keeps PROTECT and CASCADE."""
    from django.db.models import ProtectedError

    from indicators.models import Indicator
    from municipalities.models import Area

    imports.from_file(str(DATA / "y08a02_v3.json"))
    with pytest.raises(ProtectedError):
        Area.objects.get(code="147").delete()
    Indicator.objects.get(code="Y08A02").delete()
    assert not Observation.objects.exists()


def test_an_area_id_that_is_not_in_the_area_table_is_rejected_set_wise(tmp_path):
    path = tmp_path / "MM13.csv"
    path.write_bytes(csv_bytes([["København", "2020M01", "I alt", "I alt", "40,0", "40", "100"]]))
    with pytest.raises(pipeline.ImportRejected) as caught:
        pipeline.run(FileSource(path), areas={"københavn": 987654321})
    (reject,) = caught.value.rejects
    assert (reject.row, reject.field, str(reject.reason)) == (2, "Område", "unknown area 'København'")
    assert snapshot() == []


def test_a_cell_that_is_neither_text_nor_a_number_is_named(tmp_path):
    path = tmp_path / "Y08A02.json"
    path.write_bytes(
        v3_json(
            "Y08A02",
            ["Område", "Periode", "Antal personer", "Antal fuldtidspersoner"],
            [["København", "2020M01", 5, 4.5], [["Aarhus"], "2020M01", 5, 4.5]],
        )
    )
    with pytest.raises(SourceError, match="Y08A02.json, row 2, column 'Område': '\\['Aarhus'\\]' is neither text"):
        imports.from_file(str(path))
