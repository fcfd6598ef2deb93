"""Bad input through `manage.py import_jobindsats`, as a careless user or an attacker would give it: each refused
with a message and exit status 1, never a traceback, and the observation table unchanged."""

import json

import pytest
from django.core.management import CommandError, call_command

from indicators.models import ImportRun, Indicator, Observation
from tests.integration.test_real_exports import HEADER, KBH, _file, _replace, checksum

pytestmark = pytest.mark.django_db


def _refused(path, **options) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("import_jobindsats", file=str(path), verbosity=0, locale="en", **options)
    return str(caught.value)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1e20", "'1e20' is in scientific notation"),
        ("1e-30", "'1e-30' is in scientific notation"),
        ("99999999999999999", "99999999999999999 is too large"),
        ("Infinity", "not a number: 'Infinity'"),
        ("12.5", "'12.5' has a decimal point, but this file writes decimals with a comma"),
    ],
)
def test_numbers_out_of_range_or_rule(tmp_path, cell, message):
    call_command("import_jobindsats", file=str(_file(tmp_path, [KBH], name="first.csv")), table="Y30R21", verbosity=0)
    before = checksum()
    assert message in _refused(_file(tmp_path, [_replace(KBH, 3, cell)]), table="Y30R21")
    assert checksum() == before


def _json(tmp_path, text: str):
    path = tmp_path / "Y30R21.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"columns": [1, 2, 3], "rows": 5}', "the rows are not a list of rows"),
        ("[" * 100_000, "JSON nested too deeply to be a table"),
        (None, "is in scientific notation"),
        ("Infinity", "'inf' is not a finite number"),
    ],
    ids=["rows-not-a-list", "deeply-nested", "1e300", "Infinity"],
)
def test_json_that_is_not_a_table(tmp_path, text, message):
    if text is None or text == "Infinity":
        row = KBH.split(";")
        row[3] = 1e300 if text is None else float("inf")
        text = json.dumps({"columns": HEADER.split(";"), "rows": [row]})
    assert message in _refused(_json(tmp_path, text), table="Y30R21")
    assert checksum() == (0, "")
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED


def test_a_nul_byte_or_a_too_long_label_in_a_breakdown(tmp_path):
    message = _refused(_file(tmp_path, [KBH.replace("Ydelsesgrupper i alt", "A-dagpenge\x00 mv.")]), table="Y30R21")
    assert "'A-dagpenge\x00 mv.' holds a control character (e.g. NUL)" in message
    run = ImportRun.objects.get()
    assert "A-dagpenge\\x00 mv." in run.rejects[0]["reason"]  # stored, visibly, where PostgreSQL takes no NUL
    long = "Ydelse " + "x" * 250
    message = _refused(_file(tmp_path, [KBH.replace("Ydelsesgrupper i alt", long)]), table="Y30R21")
    assert f"the breakdown 'ydelsesgruppe={long[:26]}…' is longer than 200 characters" in message
    assert checksum() == (0, "")


def _aarhus_own_indicator() -> Indicator:
    from goals.local_indicators import spec_for

    return Indicator.objects.create(
        code="LOK-751-1",
        name_da="Egen",
        name_en="Own",
        unit="count",
        polarity="higher",
        frequency="M",
        scope="local",
        municipality_id="751",
        source_spec=spec_for("count"),
    )


def test_a_municipalitys_own_indicator_takes_only_its_jobcentres_municipalities(tmp_path):
    aarhus = _aarhus_own_indicator()
    path = tmp_path / "egne.csv"
    path.write_text("Område;Periode;Værdi\nKøbenhavn;2020M01;10\nAarhus;2020M01;12\n", encoding="utf-8")
    message = _refused(path, table="LOK-751-1")
    assert "row 2, column 'Område': 'København' is not one of the municipalities of LOK-751-1 (Aarhus)" in message
    assert not Observation.objects.filter(indicator=aarhus).exists()
    path.write_text("Område;Periode;Værdi\nAarhus;2020M01;12\n", encoding="utf-8")
    call_command("import_jobindsats", file=str(path), table="LOK-751-1", verbosity=0)
    assert Observation.objects.get(indicator=aarhus, is_derived=False).area.code == "751"


@pytest.mark.parametrize("parameter", ["indicator", "period", "measure", "breakdown", "area"])
def test_a_nul_in_an_api_parameter_is_a_400_not_a_500(client, parameter):
    from municipalities.models import UserRole
    from tests.factories import log_in

    log_in(client, "ministerie-test", UserRole.Role.MINISTRY)
    response = client.get(f"/api/v1/observations/?{parameter}=MM13%00")
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert client.get("/api/v1/observations/?indicator=MM13").status_code == 200


def test_own_values_do_not_count_as_real_figures_that_keep_the_demo_data_out(tmp_path):
    from indicators.imports import real_national_figures

    aarhus = _aarhus_own_indicator()
    path = tmp_path / "egne.csv"
    path.write_text("Område;Periode;Værdi\nAarhus;2020M01;12\n", encoding="utf-8")
    call_command("import_jobindsats", file=str(path), table=aarhus.code, verbosity=0)
    assert not real_national_figures()
    call_command("import_jobindsats", file=str(_file(tmp_path, [KBH])), table="Y30R21", verbosity=0)
    assert real_national_figures()
