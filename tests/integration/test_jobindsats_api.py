"""The API clients against a real local HTTP server that answers in Jobindsats' documented shapes."""

import json
import time

import pytest
from werkzeug import Response

from indicators import imports
from indicators.formats import SourceAuthError
from indicators.models import ImportRun, Observation, SourceTable
from indicators.sources.jobindsats import TransientSourceError, UnknownTableError
from tests.factories import API_KEY as KEY
from tests.factories import MM13_HEADER, NO_WAIT, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MM13_META = {
    "table_id": "MM13",
    "table_name": "Flygtninge og familiesammenførte i beskæftigelse",
    "periods": [{"periodtype_id": "M", "period_ids": [f"2019M{m:02d}" for m in range(1, 13)] + ["2020M01", "2020M02"]}],
    "dimensions": [
        {
            "dimension_id": "_omrade",
            "dimension_name": "Område",
            "hierarchies": [
                {"hierarchy_id": "_region", "hierarchy_name": "Regioner", "levels": []},
                {
                    "hierarchy_id": "_nykom",
                    "hierarchy_name": "Kommuner",
                    "levels": [
                        {
                            "values": [
                                {"value_id": "/", "value_name": "Hele landet"},
                                {"value_id": "/101/", "value_name": "København"},
                            ]
                        }
                    ],
                },
            ],
        },
        {
            "dimension_id": "_kon",
            "dimension_name": "Køn",
            "hierarchies": [{"hierarchy_id": "_konh", "hierarchy_name": "Køn", "levels": []}],
        },
        {
            "dimension_id": "_opht",
            "dimension_name": "Opholdstid",
            "hierarchies": [{"hierarchy_id": "_ophth", "hierarchy_name": "Opholdstid", "levels": []}],
        },
    ],
    "measuregroups": [{"mgroup_id": "m1", "mgroup_name": "Beskæftigelse"}],
}
MM13_COLUMNS = MM13_HEADER
MM13_DATA = {
    "columns": MM13_COLUMNS,
    "rows": [
        ["København", "2020M01", "I alt", "I alt", 41.5, 1245, 3000],
        ["København", "2020M02", "Kvinder", "I alt", "30,0", "300", "1.000"],
        ["Vesthimmerlands", "2020M02", "I alt", "I alt", "..", "..", ".."],
    ],
}


def _serve_mm13_v3(api):
    api.expect_request(
        "/v3/table/MM13", query_string={"format": "json"}, headers={"Authorization": f"Bearer {KEY}"}
    ).respond_with_json(MM13_META)
    api.expect_request("/v3/data/MM13", headers={"Authorization": f"Bearer {KEY}"}).respond_with_json(MM13_DATA)


def test_v3_import_resolves_ids_from_metadata_and_lands_rows(api):
    _serve_mm13_v3(api)
    run = imports.from_api("MM13", client_options=NO_WAIT)
    assert run.status == ImportRun.Status.SUCCEEDED and run.source == "api_v3"
    request = [r for r, _ in api.log if r.path == "/v3/data/MM13"][0]
    assert request.args["hierarchy._nykom"] == "*"
    assert request.args["hierarchy._konh"] == "*" and request.args["hierarchy._ophth"] == "*"
    assert request.args["period.M"] == "latest:14"
    assert request.args["mgroup.*"] == "*" and request.args["format"] == "json"
    share = Observation.objects.get(area__code="101", period="2020M01", measure="andel", breakdown="")
    assert float(share.value) == 41.5 and share.source == "api_v3" and "/v3/data/MM13" in share.query
    assert KEY not in share.query
    assert Observation.objects.get(area__code="820", period="2020M02", measure="andel").status == "suppressed"


def test_v3_explicit_periods_are_sent_as_a_list(api):
    _serve_mm13_v3(api)
    imports.from_api("MM13", periods=["2020M01", "2020M02"], client_options=NO_WAIT)
    request = [r for r, _ in api.log if r.path == "/v3/data/MM13"][0]
    assert request.args["period.M"] == "2020M01,2020M02"


def test_backfill_takes_the_periods_from_the_metadata(api):
    _serve_mm13_v3(api)
    imports.backfill("MM13", "2019M11", "2020M01", client_options=NO_WAIT)
    request = [r for r, _ in api.log if r.path == "/v3/data/MM13"][0]
    assert request.args["period.M"] == "2019M11,2019M12,2020M01"


def test_v2_uses_the_bare_key_and_its_own_shapes(api):
    meta = [
        {"TableID": "MM13", "Dimensions": [{"Name": "_kon", "Label": "Køn", "Values": ["I alt", "Kvinder", "Mænd"]}]}
    ]
    names = ["Area", "Periode", "Køn", "Andel i beskæftigelse (pct.)", "Beskæftigede", "Personer i alt"]
    data = [
        {
            "Variables": [{"Name": n, "Label": n} for n in names],
            "Data": [["Nordfyns", "2020M01", "Kvinder", "9,08", "1.234", "13.590"]],
        }
    ]
    api.expect_request("/v2/tables/MM13/json", headers={"Authorization": KEY}).respond_with_json(meta)
    api.expect_request("/v2/data/MM13/json", headers={"Authorization": KEY}).respond_with_json(data)
    run = imports.from_api("MM13", version="v2", client_options=NO_WAIT)
    assert run.source == "api_v2"
    request = [r for r, _ in api.log if r.path == "/v2/data/MM13/json"][0]
    assert request.args["period"] == "l(M:14)" and request.args["area"] == "*"
    assert request.args["_kon"] == "I alt,Kvinder,Mænd"
    assert Observation.objects.get(area__code="480", measure="personer", breakdown="kon=Kvinder").value == 13590


def test_429_then_success_waits_and_retries(api):
    waits = []
    api.expect_ordered_request("/v3/table/MM13").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "3"})
    )
    api.expect_ordered_request("/v3/table/MM13").respond_with_json(MM13_META)
    api.expect_ordered_request("/v3/data/MM13").respond_with_json(MM13_DATA)
    run = imports.from_api("MM13", client_options={"sleep": waits.append})
    assert run.status == "succeeded"
    assert waits == [3.0]


def test_server_errors_are_retried_with_growing_back_off_then_reported_as_transient(api):
    waits = []
    api.expect_request("/v3/table/MM13").respond_with_data("oops", status=500)
    before = snapshot()
    with pytest.raises(TransientSourceError, match="HTTP 500"):
        imports.from_api("MM13", client_options={"sleep": waits.append, "attempts": 4, "backoff": 1.0})
    assert len(waits) == 3 and waits[0] < waits[1] < waits[2]  # exponential, with jitter on top
    assert 1.0 <= waits[0] <= 1.5 and 4.0 <= waits[2] <= 6.0
    assert snapshot() == before
    assert ImportRun.objects.latest("pk").status == "failed"


def test_a_timeout_is_transient(api):
    def slow(request):
        time.sleep(0.5)
        return Response(json.dumps(MM13_META), content_type="application/json")

    api.expect_request("/v3/table/MM13").respond_with_handler(slow)
    with pytest.raises(TransientSourceError, match="no answer within 0.1 s"):
        imports.from_api("MM13", client_options={**NO_WAIT, "timeout": 0.1, "attempts": 2})


def test_a_refused_connection_is_transient(settings):
    settings.JOBINDSATS_API_KEY = KEY
    settings.JOBINDSATS_BASE_URL = "http://127.0.0.1:9"  # discard port: nothing listens
    with pytest.raises(TransientSourceError, match="connection failed"):
        imports.from_api("MM13", client_options={**NO_WAIT, "attempts": 2})


def test_the_wrong_key_body_with_status_200_is_an_auth_error(api):
    api.expect_request("/v3/table/MM13").respond_with_data('{"Forkert nøgle eller nøglen er udløbet.":""}', status=200)
    with pytest.raises(SourceAuthError, match="rejected the API key"):
        imports.from_api("MM13", client_options=NO_WAIT)


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_are_auth_errors_and_not_retried(api, status):
    waits = []
    api.expect_request("/v3/table/MM13").respond_with_data("no", status=status)
    with pytest.raises(SourceAuthError, match=f"HTTP {status}"):
        imports.from_api("MM13", client_options={"sleep": waits.append})
    assert waits == []


def test_unknown_table_at_jobindsats(api):
    api.expect_request("/v3/table/MM13").respond_with_data("not found", status=404)
    with pytest.raises(UnknownTableError, match="HTTP 404"):
        imports.from_api("MM13", client_options=NO_WAIT)


def test_an_html_error_page_instead_of_data(api):
    api.expect_request("/v3/table/MM13").respond_with_json(MM13_META)
    api.expect_request("/v3/data/MM13").respond_with_data(
        "<html><head><title>Vedligeholdelse</title></head></html>", content_type="text/html"
    )
    with pytest.raises(Exception, match="web page \\(HTML: Vedligeholdelse\\)"):
        imports.from_api("MM13", client_options=NO_WAIT)
    assert Observation.objects.count() == 0


def test_missing_api_key_is_named(settings):
    settings.JOBINDSATS_API_KEY = ""
    with pytest.raises(SourceAuthError, match="JOBINDSATS_API_KEY"):
        imports.from_api("MM13")


def test_catalogue_sync_stores_every_table(api):
    catalogue = [
        {
            "subject_name": "Indsatser",
            "tablegroups": [
                {
                    "tablegroup_name": "Mål",
                    "tables": [
                        {
                            "table_id": "MM13",
                            "table_name": "Flygtninge i beskæftigelse",
                            "update_latest": "2020-03-01",
                            "update_next": "2020-04-01",
                            "update_freq": "Månedlig",
                        },
                        {
                            "table_id": "Y08A02",
                            "table_name": "Fleksjob",
                            "update_latest": "2020-03-02",
                            "update_next": "2020-04-02",
                            "update_freq": "Månedlig",
                        },
                    ],
                }
            ],
        },
    ]
    api.expect_request("/v3/tables", query_string={"format": "json"}).respond_with_json(catalogue)
    assert imports.sync_catalogue(**NO_WAIT) == 2
    table = SourceTable.objects.get(table_id="MM13")
    assert (table.subject, table.update_next) == ("Indsatser", "2020-04-01")
