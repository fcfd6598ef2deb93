from decimal import Decimal

import pytest

from goals.models import Change, ChartRefresh, ChartSnapshot, Commentary, Target
from goals.tasks import render_pending
from indicators import imports
from municipalities.models import Area
from tests.factories import log_in

MM13 = "Andel flygtninge og familiesammenførte i beskæftigelse"  # the log names the indicator, never its code
pytestmark = pytest.mark.django_db
URL = "/jobcenter/taarnby-dragoer/maal/2/maalsaetning/"


def _jobcentre(slug="taarnby-dragoer"):
    return Area.objects.get(kind=Area.Kind.JOBCENTRE, code=slug)


def _mm13_field(client) -> str:
    from indicators.models import Indicator

    return f"target_{Indicator.objects.get(code='MM13').pk}"


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("chief", {"jobcentre_slug": "aarhus"}),  # another jobcentre's chief
        ("chair", {"municipality_id": "185"}),  # the chair of a member municipality: read only
        ("ministry", {}),  # ministry staff compare, they do not set local targets
        (None, {}),
    ],
)
def test_only_the_jobcentres_own_chief_may_change_its_targets(client, role, scope):
    if "jobcentre_slug" in scope:
        scope = {"jobcentre": _jobcentre(scope.pop("jobcentre_slug"))}
    log_in(client, "someone", role, first_name="Someone", **scope)
    field = _mm13_field(client)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {field: "40", "commentary": "x"}).status_code == 403
    assert not Target.objects.exists() and not Commentary.objects.exists() and not Change.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.post(URL, {"commentary": "x"})
    assert response.status_code == 302 and "/konto/log-ind/" in response["Location"]


def test_the_chief_sets_a_target_the_danish_way_and_every_change_is_recorded(
    client, django_capture_on_commit_callbacks
):
    imports.demo(["MM13", "Y30R21"])
    chief = log_in(client, "chief", "chief", first_name="Chief", jobcentre=_jobcentre())
    field = _mm13_field(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {
                field: "47,5",
                field.replace("target", "note"): "Beskæftigelsesplan 2020",
                "commentary": "Fokus på kvinder.",
            },
        )
    assert response.status_code == 302 and response["Location"] == "/jobcenter/taarnby-dragoer/maal/2/"
    target = Target.objects.get()
    assert (target.value, target.note, target.year, target.updated_by) == (
        Decimal("47.5"),
        "Beskæftigelsesplan 2020",
        2020,
        chief,
    )
    # The request renders no chart: the jobcentre and its two municipalities are marked, and the page says so.
    assert sorted(ChartRefresh.objects.values_list("area__code", flat=True)) == ["155", "185", "taarnby-dragoer"]
    page = client.get("/jobcenter/taarnby-dragoer/maal/2/").content.decode()
    assert "47,5 pct." in page and "Fokus på kvinder." in page and "2 ændringer gemt." in page
    assert "data-charts-pending" in page and "Graferne opdateres" in page
    # The worker's rebuild (the task's body here) draws the target and clears the mark.
    assert render_pending.apply(kwargs={"older_than_seconds": 0}).get() > 0
    chart = ChartSnapshot.objects.get(area=_jobcentre(), key="MM13", language="da")
    assert chart.figure["layout"]["shapes"][0]["y0"] == 47.5
    assert ChartSnapshot.objects.filter(area__municipality_id="155", key="MM13").exists()
    assert not ChartRefresh.objects.exists()
    assert "data-charts-pending" not in client.get("/jobcenter/taarnby-dragoer/maal/2/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {field: "48", "commentary": "Fokus på kvinder."})
    changes = list(Change.objects.order_by("id").values_list("what", "old_value", "new_value", "user__username"))
    assert changes == [
        (f"Mål 2020 for {MM13}", "", "47.5 – Beskæftigelsesplan 2020", "chief"),
        ("Kommentar til mål 2", "", "Fokus på kvinder.", "chief"),
        (f"Mål 2020 for {MM13}", "47.5 – Beskæftigelsesplan 2020", "48", "chief"),
    ]
    history = client.get(URL).content.decode()
    assert "Kommentar til mål 2" in history and "Chief" in history


def test_a_bad_value_names_the_field_and_nothing_is_saved(client):
    log_in(client, "chief", "chief", first_name="Chief", jobcentre=_jobcentre())
    field = _mm13_field(client)
    response = client.post(URL, {field: "150", "commentary": "Skal ikke gemmes"})
    html = response.content.decode()
    assert response.status_code == 200 and "Intet blev gemt" in html
    assert "En andel skal ligge mellem 0 og 100." in html and f'href="#id_{field}"' in html
    response = client.post(URL, {field: "tre", "commentary": ""})
    assert "Indtast et tal." in response.content.decode()
    assert not Target.objects.exists() and not Commentary.objects.exists() and not Change.objects.exists()
