"""The source's labels and ids as data: read from the table metadata (sync_catalogue --columns), added in the admin,
and used by the next import, so a relabelled measure needs no code change."""

import pytest
from django.core.management import call_command

from indicators import imports
from indicators.models import ImportRun, Indicator, Observation, SourceColumn
from tests import factories
from tests.factories import API_KEY as KEY
from tests.factories import NO_WAIT, csv_bytes

pytestmark = pytest.mark.django_db

# v2 metadata as documented (shared/jobindsats.md §4): Measurements[{ID, Name}] and Dimensions[{Name, Label}].
# The names are made up for the test: one equals Jobmål's label, one is a relabelled measure, one is unknown.
MM13_V2_META = [
    {
        "TableID": "MM13",
        "Measurements": [
            {"ID": "mm13_andel", "Name": "Beskæftigelse: Andel i beskæftigelse (pct.)"},
            {"ID": "mm13_besk", "Name": "Beskæftigede"},
            {"ID": "mm13_pers", "Name": "Personer (antal)"},
        ],
        "Dimensions": [
            {"Name": "_kon", "Label": "Køn", "Values": ["I alt", "Kvinder", "Mænd"]},
            {"Name": "_opht", "Label": "Opholdstid", "Values": ["I alt"]},
        ],
    }
]
# v3: measure groups with measures, as Jobmål reads them (assumed: not verified against a real answer).
Y08A02_V3_META = {
    "table_id": "Y08A02",
    "periods": [{"periodtype_id": "M", "period_ids": ["2020M01"]}],
    "dimensions": [{"dimension_id": "_omrade", "dimension_name": "Område", "hierarchies": []}],
    "measuregroups": [
        {
            "mgroup_id": "g1",
            "mgroup_name": "Fleksjob",
            "measures": [
                {"measure_id": "y08_p", "measure_name": "Antal personer"},
                {"measure_id": "y08_f", "measure_name": "Antal fuldtidspersoner"},
            ],
        }
    ],
}


def test_v2_metadata_labels_are_stored_and_the_unmatched_are_reported(api):
    api.expect_request("/v2/tables/MM13/json", headers={"Authorization": KEY}).respond_with_json(MM13_V2_META)
    mm13 = Indicator.objects.get(code="MM13")
    unmatched = imports.sync_columns(mm13, imports.client("v2", **NO_WAIT).metadata("MM13"))
    assert unmatched == ["Personer (antal)"]
    stored = set(SourceColumn.objects.filter(indicator=mm13).values_list("role", "key", "label", "source_id", "origin"))
    assert ("measure", "andel", "Beskæftigelse: Andel i beskæftigelse (pct.)", "mm13_andel", "metadata") in stored
    assert ("measure", "beskaeftigede", "Beskæftigede", "mm13_besk", "metadata") in stored
    assert ("dimension", "kon", "Køn", "_kon", "metadata") in stored
    # Syncing again changes nothing.
    imports.sync_columns(mm13, imports.client("v2", **NO_WAIT).metadata("MM13"))
    assert SourceColumn.objects.filter(indicator=mm13).count() == len(stored)


def test_v3_metadata_measures_are_labelled_with_their_group(api):
    api.expect_request("/v3/table/Y08A02").respond_with_json(Y08A02_V3_META)
    y08 = Indicator.objects.get(code="Y08A02")
    assert imports.sync_columns(y08, imports.client("v3", **NO_WAIT).metadata("Y08A02")) == []
    assert set(SourceColumn.objects.filter(indicator=y08).values_list("key", "label", "source_id")) == {
        ("personer", "Fleksjob: Antal personer", "y08_p"),
        ("fuldtidspersoner", "Fleksjob: Antal fuldtidspersoner", "y08_f"),
    }


def test_sync_catalogue_command_reports_what_to_map(api, capsys):
    api.expect_request("/v3/tables").respond_with_json(
        [{"subject_name": "Fleksjob", "tables": [{"table_id": "Y08A02", "table_name": "Fleksjob"}]}]
    )
    api.expect_request("/v3/table/Y08A02").respond_with_json(Y08A02_V3_META)
    for table in ["MM10", "MM13", "Y09A02", "Y11A02", "Y12A02", "Y30R21"]:
        api.expect_request(f"/v3/table/{table}").respond_with_json(
            {
                "table_id": table,
                "measuregroups": [
                    {"mgroup_name": "Ny", "measures": [{"measure_id": "x", "measure_name": "Omdøbt måling"}]}
                ],
            }
        )
    call_command("sync_catalogue", columns=True, locale="da")
    out = capsys.readouterr().out
    assert "1 tabeller i Jobindsats' katalog" in out
    assert "Y08A02: alle kolonner genkendt" in out
    assert "MM13: ikke genkendt, tilknyt dem i administrationen: Ny: Omdøbt måling" in out


def test_a_relabelled_measure_imports_once_its_label_is_added_in_the_admin(tmp_path, client):
    header = [
        "Område",
        "Periode",
        "Køn",
        "Opholdstid",
        "Andel i ordinær beskæftigelse (pct.)",
        "Beskæftigede",
        "Personer i alt",
    ]
    path = tmp_path / "MM13.csv"
    path.write_bytes(csv_bytes([["København", "2020M01", "I alt", "I alt", "41,5", "1.245", "3.000"]], header=header))
    with pytest.raises(Exception, match="Andel i ordinær beskæftigelse"):
        imports.from_file(str(path))
    admin = factories.superuser("admin", password="pw-for-the-admin-test")
    client.force_login(admin)
    mm13 = Indicator.objects.get(code="MM13")
    url = f"/admin/indicators/indicator/{mm13.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="source_columns-TOTAL_FORMS"' in page
    form = {field: value for field, value in _form_values(mm13).items()}
    form.update(
        {
            "source_columns-TOTAL_FORMS": "1",
            "source_columns-INITIAL_FORMS": "0",
            "source_columns-0-role": "measure",
            "source_columns-0-key": "andel",
            "source_columns-0-label": "Andel i ordinær beskæftigelse (pct.)",
            "source_columns-0-source_id": "",
            "source_columns-0-origin": "admin",
        }
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = imports.from_file(str(path))
    assert run.status == ImportRun.Status.SUCCEEDED
    assert Observation.objects.get(area__code="101", measure="andel", period="2020M01").value == 41.5
    # A key that is not one of the indicator's is refused in the admin, with the keys it may be.
    form.update(
        {
            "source_columns-TOTAL_FORMS": "2",
            "source_columns-INITIAL_FORMS": "1",
            "source_columns-0-id": str(SourceColumn.objects.get().pk),
            "source_columns-0-indicator": str(mm13.pk),
            "source_columns-1-role": "measure",
            "source_columns-1-key": "andelen",
            "source_columns-1-label": "Andel",
            "source_columns-1-origin": "admin",
        }
    )
    page = client.post(url, form).content.decode()
    assert "andel, beskaeftigede, personer" in page


def _form_values(indicator: Indicator) -> dict:
    """What the admin's change form sends back unchanged: each field's value as the page shows it."""
    from indicators.admin import IndicatorForm

    form = IndicatorForm(instance=indicator)
    values = {}
    for name in form.fields:
        value = form[name].value()
        if value is True:
            values[name] = "on"
        elif value not in (None, False):
            values[name] = value
    return values
