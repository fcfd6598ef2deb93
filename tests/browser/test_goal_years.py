"""Issue 22, point 3, as a jobcentre chief in Chromium at 1366 and 390 px: the goal years side by side. The chief
switches from the default 2020 goals to 2021's with the year switch, sees which goals continue and how the
jobcentre did on them at the end of 2020, follows a card to its goal page (charts stored for 2021, drawn without
waiting) and switches back to 2020 there."""

from decimal import Decimal

import pytest

from goals import goalsets, rendering
from goals.models import GoalSet, Target
from indicators.models import Indicator
from municipalities.models import Area, UserRole
from tests import factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = ["MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"]
AREAS = (("jobcentre", "taarnby-dragoer"), ("municipality", "155"))
PAGE = "/jobcenter/taarnby-dragoer/"


def _fits(page, width: int) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


def test_a_chief_switches_between_the_goal_years(page, live_server, demo_db):
    """One session at both widths: the desk first, then the same chief on a phone (one prepared database and one
    log-in for both)."""
    demo_db(DEMO, AREAS)
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
    Target.objects.create(jobcentre=jobcentre, indicator=Indicator.objects.get(code="MM13"), year=2020, value=1)
    goalsets.copy(GoalSet.objects.get(year=2020), 2021)
    rendering.render([jobcentre])
    factories.user("chef", UserRole.Role.CHIEF, password="pw-for-test", jobcentre=jobcentre)
    log_in(page, live_server, "chef", PAGE)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + PAGE)
        _switch_years(page, width)
    assert Decimal(Target.objects.get().value) == 1  # switching years changes nothing


def _switch_years(page, width: int) -> None:
    years = page.get_by_role("navigation", name="Målår")
    assert years.get_by_role("link", name="Mål 2020").get_attribute("aria-current") == "page"
    assert "mål for 2020" in page.locator(".font-lead").inner_text()
    assert page.locator(".jm-carried").count() == 0  # nothing before 2020
    _fits(page, width)

    years.get_by_role("link", name="Mål 2021").click()
    page.wait_for_url("**/jobcenter/taarnby-dragoer/?aar=2021")
    assert "mål for 2021" in page.locator(".font-lead").inner_text()
    shown = page.get_by_role("navigation", name="Målår").get_by_role("link", name="Mål 2021")
    assert shown.get_attribute("aria-current") == "page"
    carried = page.locator("#goal-2 .jm-carried")
    assert "Fortsætter mål 2 fra 2020." in carried.inner_text()
    assert "Lokalt mål 2020: 1,0 pct." in carried.inner_text() and carried.get_attribute("data-final") == "met"
    assert page.locator(".jm-carried").count() == 3  # all three 2020 goals go on in this copy
    _fits(page, width)
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"goal-years-2021-{width}.png"), full_page=True)

    page.get_by_role("link", name="Udvikling og opdelinger for mål 2").click()
    page.wait_for_url("**/jobcenter/taarnby-dragoer/maal/2/?aar=2021")
    page.locator(".jm-plot svg.main-svg").first.wait_for()
    assert page.locator(".jm-plot").count() >= 3
    assert page.locator("details.jm-data").count() == page.locator(".jm-plot").count()
    _fits(page, width)
    assert axe_violations(page) == []

    page.get_by_role("navigation", name="Målår").get_by_role("link", name="Mål 2020").click()
    page.wait_for_url("**/jobcenter/taarnby-dragoer/maal/2/")
    assert "mål for 2020" in page.locator(".font-lead").inner_text()
    page.locator(".jm-plot svg.main-svg").first.wait_for()
    assert page.watch.errors == [] and page.watch.foreign_requests == []
