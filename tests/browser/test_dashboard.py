"""The jobcentre chief's Monday morning, in real Chromium: log in, read the cards, open goal 2, switch the
breakdown, set a target and see it on the chart."""

import pytest

from goals.tasks import render_pending
from municipalities.models import Area, UserRole
from tests import databases, factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in, wait_polling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chief_data(reference_data):
    areas = (("jobcentre", "taarnby-dragoer"), ("municipality", "185"), ("municipality", "155"))
    with databases.demo(("MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"), areas):
        jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
        factories.user(
            "chef", UserRole.Role.CHIEF, password="pw-for-test", first_name="Kim", last_name="Chef", jobcentre=jobcentre
        )
        yield


def _log_in(page, live_server, next_url):
    """The chief logs in and comes back to `next_url` (public: its national figures show before the log-in)."""
    log_in(page, live_server, "chef", next_url, lands=f"**{next_url}")


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_chief_reads_the_cards_drills_into_goal_2_and_sets_a_target(page, live_server, chief_data):
    page.clock.install()  # the page's poll for the rebuilt charts comes round when the test says
    _log_in(page, live_server, "/jobcenter/taarnby-dragoer/")
    cards = page.locator("li.jm-card")
    assert cards.count() == 3
    assert "Flere flygtninge og familiesammenførte" in cards.nth(1).inner_text()
    assert page.get_by_text("Demodata", exact=True).is_visible()
    assert axe_violations(page) == []
    _shot(page, "dashboard-jobcentre")

    page.get_by_role("link", name="Udvikling og opdelinger for mål 2").click()
    page.wait_for_url("**/maal/2/")
    page.locator("#chart-MM13 .jm-plot svg.main-svg").first.wait_for()
    assert page.locator("#chart-MM13 .jm-plot .scatterlayer .trace").count() == 3  # area, country, peers
    gender, residence = page.locator("#chart-MM13-gender"), page.locator("#chart-MM13-residence")
    assert gender.is_visible() and not residence.is_visible()
    assert gender.locator(".legendtext").first.text_content() == "Kvinder"  # women first
    page.get_by_role("radio", name="Opholdstid").check()
    assert residence.is_visible() and not gender.is_visible()
    residence.locator("svg.main-svg").first.wait_for()
    page.locator("#chart-MM13 summary", has_text="Datatabel").click()  # the total comes after the breakdowns
    assert page.locator("#chart-MM13 table tbody tr").count() == 72
    assert axe_violations(page) == []
    _shot(page, "dashboard-goal-2")

    page.get_by_role("link", name="Sæt lokale mål og kommentar for mål 2").click()
    page.get_by_label("Mål for Andel flygtninge og familiesammenførte i beskæftigelse (pct.)").fill("47,5")
    page.get_by_label("Kommentar til målet").fill("Særlig indsats for kvinder.")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url("**/jobcenter/taarnby-dragoer/maal/2/")
    assert page.get_by_text("2 ændringer gemt.").is_visible()
    # The request queued the rebuild; the page says so, and reloads itself once the worker is done (the task's
    # body is run here, as the worker would).
    assert page.get_by_text("Graferne opdateres med de seneste ændringer").is_visible()
    _shot(page, "dashboard-goal-2-updating")
    assert render_pending.apply(kwargs={"older_than_seconds": 0}).get() > 0
    wait_polling(page, page.locator("[data-charts-pending]"), every_ms=3000, state="detached", seconds=20)
    page.locator("#chart-MM13 .jm-plot svg.main-svg").first.wait_for()
    assert page.locator("#chart-MM13 .jm-plot").get_by_text("Mål 2020").is_visible()  # the target line's label
    assert page.locator("#chart-MM13 .shapelayer path").count() >= 1
    assert "47,5 pct." in page.locator("#goal-2").inner_text()
    _shot(page, "dashboard-goal-2-target")

    assert page.watch.errors == []
    assert page.watch.foreign_requests == []
