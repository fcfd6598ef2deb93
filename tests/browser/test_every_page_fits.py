"""Issue 21, point 6: no page scrolls sideways on a 390 px phone. Every page each role reaches (anonymous readers
included, and goal pages with an own indicator), opened in Chromium at 390 px after its charts are drawn: the page is
no wider than the screen and no request of it fails."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest

from goals import local_indicators
from goals.models import Goal, GoalSet
from municipalities.models import Area, Municipality, UserRole
from tests import databases, factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.long]

PHONE = 390
JOBCENTRE = "/jobcenter/taarnby-dragoer"
# A long name, as chiefs write them: the own-indicator table must wrap it, not widen the page.
OWN = "Borgere i virksomhedsrettede forløb med mentorstøtte og jobrettet opkvalificering i Dragør"


def _people_and_an_own_indicator():
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
    chief = factories.user("chef", UserRole.Role.CHIEF, password="pw-for-test", jobcentre=jobcentre)
    factories.user("formand", UserRole.Role.CHAIR, password="pw-for-test", municipality_id="155")
    factories.user("ministeriet", UserRole.Role.MINISTRY, password="pw-for-test")
    goal = Goal.objects.get(goal_set=GoalSet.objects.current(), number=3)
    dragoer = Municipality.objects.get(code="155")
    own = local_indicators.create(jobcentre, goal, dragoer, chief, name=OWN, unit="count", polarity="higher")
    local_indicators.set_value(own, jobcentre, dragoer, "2021M12", Decimal("1234"), chief)


PAGES = {
    "anonymous": [
        "/",
        "/kommune/185/",
        "/kommune/185/maal/1/",
        f"{JOBCENTRE}/maal/2/",
        "/kommune/155/maal/3/",
        "/kommune/185/sammenlignelige/",
        "/sammenligning/",
        "/sammenligning/?indikator=FORGREKR",
        "/benchmark/",
        "/konto/log-ind/",
    ],
    "chef": [
        "/",
        f"{JOBCENTRE}/",
        f"{JOBCENTRE}/maal/1/",
        f"{JOBCENTRE}/maal/2/",
        f"{JOBCENTRE}/maal/3/",
        f"{JOBCENTRE}/maal/2/maalsaetning/",
        f"{JOBCENTRE}/lokale-indikatorer/",
        "/kommune/155/maal/3/",
        f"{JOBCENTRE}/sammenlignelige/",
        f"{JOBCENTRE}/rapporter/",
        f"{JOBCENTRE}/rapporter/tekster/",
        "/grupper/",
    ],
    "formand": ["/", "/kommune/155/", "/kommune/155/maal/3/", "/kommune/155/rapporter/", "/kommune/185/maal/2/"],
    "ministeriet": [
        "/sammenligning/?niveau=jobcentre",
        "/benchmark/?alle=1",
        "/import/",
        "/kommune/101/",
        "/admin/",
        "/admin/indicators/indicator/",
        "/admin/goals/goalset/",
    ],
}


@pytest.fixture
def sweep_data(reference_data):
    areas = (("jobcentre", "taarnby-dragoer"), ("municipality", "185"), ("municipality", "155"))
    with databases.demo(("MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"), areas):
        _people_and_an_own_indicator()
        yield


def test_no_page_of_any_role_scrolls_sideways_on_a_phone(browser, live_server, sweep_data):
    too_wide, failed = [], []
    for who, urls in PAGES.items():
        context = browser.new_context(locale="da-DK", viewport={"width": PHONE, "height": 900})
        page = context.new_page()
        page.on("response", lambda r, who=who: r.status >= 400 and failed.append(f"{who}: {r.status} {r.url}"))
        if who != "anonymous":
            log_in(page, live_server, who)
        for url in urls:
            page.goto(live_server.url + url)
            assert urlparse(page.url).path == urlparse(url).path, f"{who} was sent from {url} to {page.url}"
            if page.locator(".jm-plot").count():
                page.locator(".jm-plot svg.main-svg").first.wait_for()
            page.wait_for_load_state("networkidle")
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > PHONE:
                wide = page.evaluate(
                    """(limit) => [...document.querySelectorAll('body *')]
                         .filter(e => e.getBoundingClientRect().right > limit + 1)
                         .slice(0, 3).map(e => e.tagName + '.' + e.className)""",
                    PHONE,
                )
                too_wide.append(f"{who} {url}: {width} px ({', '.join(wide)})")
        if who == "chef":  # the own indicator is on the goal page, in the table that stacks on a phone
            page.goto(live_server.url + "/kommune/155/maal/3/")
            assert page.locator("#own-indicators").get_by_text(OWN).is_visible()
        context.close()
    assert too_wide == [] and failed == [], "\n".join(too_wide + failed)
