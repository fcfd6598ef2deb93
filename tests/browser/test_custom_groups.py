"""A jobcentre chief in real Chromium, on a desktop and on a phone: reads how the comparable municipalities are
chosen, saves a group of their own (after a first try without a name), and compares their goal-2 page with it."""

import pytest

from municipalities.models import Area, UserRole
from tests import databases, factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_data(reference_data):
    with databases.demo(("MM13", "Y30R21"), areas=(("jobcentre", "taarnby-dragoer"),)):
        yield


@pytest.mark.parametrize("width", [1366, 390])
def test_a_chief_saves_a_group_and_compares_with_it(page, live_server, demo_data, width):
    jobcentre = Area.objects.get(kind="jobcentre", code="taarnby-dragoer")
    factories.user("chef", UserRole.Role.CHIEF, password="pw-for-test", jobcentre=jobcentre)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "chef", "/jobcenter/taarnby-dragoer/maal/2/")

    page.get_by_role("link", name="Sådan vælges de sammenlignelige kommuner").click()
    page.wait_for_url("**/sammenlignelige/")
    assert page.locator("#peers tbody tr.jm-own").count() == 5
    assert axe_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / f"peers-{width}.png"), full_page=True)

    page.get_by_role("link", name="Sammenlign i stedet med en gruppe, du selv vælger").click()
    page.wait_for_url("**/grupper/")
    page.get_by_label("København").check()
    page.get_by_label("Aarhus").check()
    page.get_by_role("button", name="Gem gruppen").click()  # no name: refused, the choices kept
    assert page.locator(".form-error-message").first.inner_text() == "Giv gruppen et navn."
    assert page.get_by_label("Aarhus").is_checked()
    # the refused form answers 400, which Chromium logs; nothing else may be logged
    assert page.watch.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.watch.errors.clear()
    assert axe_violations(page) == []
    page.get_by_label("Navn").fill("Storbyerne")
    page.get_by_role("button", name="Gem gruppen").click()
    page.wait_for_url("**/grupper/")
    assert page.locator("#groups tbody tr").count() == 1
    assert "Aarhus" in page.locator("#groups").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"groups-{width}.png"), full_page=True)

    page.goto(live_server.url + "/jobcenter/taarnby-dragoer/maal/2/")
    page.get_by_label("Sammenlign med").select_option(label="Storbyerne")
    page.locator(".jm-reference-form").get_by_role("button", name="Vis").click()
    page.wait_for_url("**sammenlign=gruppe-**")
    assert "Storbyerne" in page.locator("#goal-cards").inner_text()
    page.wait_for_selector(".jm-plot .main-svg")
    assert page.locator(".legendtext", has_text="Storbyerne").count() >= 1  # the group's line in the chart
    assert axe_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / f"group-reference-{width}.png"), full_page=True)
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.watch.errors == [] and page.watch.foreign_requests == []
