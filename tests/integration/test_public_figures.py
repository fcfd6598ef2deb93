"""Issue 21, point 8: the national figures are public, a municipality's own work is not until it publishes it.

Anonymous readers (and logged-in readers of another municipality) open every municipality's and jobcentre's page,
goal pages with their charts and tables, the comparison and the benchmark; they never see the targets (on the cards
or as lines in the charts), the commentary, the own indicators or the reports, until the municipality publishes them
(its jobcentre's chief does, on the reports page); then they do, and building a report still needs a log-in."""

import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from goals import local_indicators
from goals.models import Goal, GoalSet
from goals.tasks import render_pending
from municipalities.models import Area, Municipality
from reports.models import Report
from tests.factories import log_in

pytestmark = pytest.mark.django_db(transaction=True)  # in a copy of the shared demo data (demo_db)

JOBCENTRE = "/jobcenter/taarnby-dragoer"
GOAL_PAGES = [f"{JOBCENTRE}/maal/2/", "/kommune/185/maal/2/"]
COMMENTARY = "Fokus på kvinder i Tårnby."
OWN = "Kvinder i virksomhedspraktik"


def _jobcentre() -> Area:
    return Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")


@pytest.fixture
def work(client, demo_db, django_capture_on_commit_callbacks):
    """Tårnby-Dragør's chief sets a target and commentary for goal 2 and an own indicator with a value; the charts
    are drawn again (as the worker does after a target changes)."""
    demo_db(["MM13", "Y30R21"], [("jobcentre", "taarnby-dragoer"), ("municipality", "185")])
    chief = log_in(client, "chief", "chief", first_name="Kim", jobcentre=_jobcentre())
    from indicators.models import Indicator

    field = f"target_{Indicator.objects.get(code='MM13').pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{JOBCENTRE}/maal/2/maalsaetning/", {field: "47,5", "commentary": COMMENTARY})
    assert response.status_code == 302
    goal = Goal.objects.get(goal_set=GoalSet.objects.current(), number=2)
    taarnby = Municipality.objects.get(code="185")
    indicator = local_indicators.create(
        _jobcentre(), goal, taarnby, chief, name=OWN, unit="count", polarity="higher", frequency="M"
    )
    local_indicators.set_value(indicator, _jobcentre(), taarnby, "2021M12", Decimal("17"), chief)
    render_pending(older_than_seconds=0)
    client.logout()
    return chief


def _targets_drawn(html: str) -> int:
    """How many target lines the page's charts carry."""
    figures = re.findall(r'<script id="figure-\d+" type="application/json">(.*?)</script>', html, re.S)
    assert figures, "the page has no charts"
    shapes = [s for f in figures for s in json.loads(f)["layout"].get("shapes", [])]
    return sum(1 for s in shapes if s.get("name") == "target")


def _shows_work(html: str) -> dict[str, bool]:
    return {
        "target": "Lokalt mål 2020" in html and "47,5 pct." in html,
        "commentary": COMMENTARY in html,
        "own indicator": OWN in html,
        "target line": _targets_drawn(html) > 0,
    }


NOTHING = {"target": False, "commentary": False, "own indicator": False, "target line": False}
EVERYTHING = {"target": True, "commentary": True, "own indicator": True, "target line": True}


def test_anonymous_readers_get_the_national_figures_without_the_municipalitys_work(client, work):
    for url in GOAL_PAGES:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert _shows_work(html) == NOTHING, url
        assert "Andel flygtninge og familiesammenførte i beskæftigelse" in html and " pct." in html  # the card
        assert 'class="jm-public-note"' in html and "Log ind" in html  # says what is left out, and why
        chart = re.search(r'href="(/graf/\d+\.csv)"', html)[1]
        csv = client.get(chart)
        assert csv.status_code == 200 and "47,5" not in csv.content.decode("utf-8-sig")
    private = ["/rapporter/", "/maal/2/maalsaetning/", "/lokale-indikatorer/"]
    for url in [*(JOBCENTRE + p for p in private), "/kommune/185/rapporter/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/log-ind/"), url


def test_the_chief_sees_the_work_and_a_chair_of_another_municipality_does_not(client, work):
    client.force_login(work)
    for url in GOAL_PAGES:
        assert _shows_work(client.get(url).content.decode()) == EVERYTHING, url
    log_in(client, "aarhus-chair", "chair", municipality_id="751")
    for url in GOAL_PAGES:
        html = client.get(url).content.decode()
        assert _shows_work(html) == NOTHING and 'class="jm-public-note"' in html, url
    assert client.get("/kommune/185/rapporter/").status_code == 403
    assert client.post("/kommune/185/rapporter/", {"action": "publish"}).status_code == 403
    assert not Municipality.objects.filter(publishes_work=True).exists()


def test_published_work_is_everyones_to_read_and_building_a_report_still_needs_a_log_in(client, work):
    chief = Client()
    chief.force_login(work)
    page = chief.get(f"{JOBCENTRE}/rapporter/").content.decode()
    assert "Offentliggør mål, kommentarer, egne indikatorer og rapporter" in page
    response = chief.post(f"{JOBCENTRE}/rapporter/", {"action": "publish"})
    assert response.status_code == 302
    assert set(Municipality.objects.filter(publishes_work=True).values_list("code", flat=True)) == {"155", "185"}

    for url in GOAL_PAGES:  # the anonymous client had these pages before: they are not served from a stale copy
        html = client.get(url).content.decode()
        assert _shows_work(html) == EVERYTHING and 'class="jm-public-note"' not in html, url
    reports = client.get(f"{JOBCENTRE}/rapporter/")
    html = reports.content.decode()
    assert reports.status_code == 200 and "Stop offentliggørelsen" not in html  # only the chief may change it
    assert "Lav rapporten som" not in html and "ikke lavet endnu" in html  # building needs a log-in
    refused = client.post(f"{JOBCENTRE}/rapporter/", {"format": "pdf"})
    assert refused.status_code == 302 and refused["Location"].startswith("/konto/log-ind/")
    assert not Report.objects.exists()

    chief.post(f"{JOBCENTRE}/rapporter/", {"action": "unpublish"})
    assert not Municipality.objects.filter(publishes_work=True).exists()
    for url in GOAL_PAGES:
        assert _shows_work(client.get(url).content.decode()) == NOTHING, url
    assert client.get(f"{JOBCENTRE}/rapporter/").status_code == 302


def test_a_jobcentre_publishes_only_when_every_municipality_it_serves_does(client, work):
    Municipality.objects.filter(code="185").update(publishes_work=True)  # Dragør (155) has not
    from municipalities import data_version

    data_version.bump()
    assert _shows_work(client.get("/kommune/185/maal/2/").content.decode()) == EVERYTHING
    assert _shows_work(client.get(f"{JOBCENTRE}/maal/2/").content.decode()) == NOTHING
