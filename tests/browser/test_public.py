"""Issue 21, point 8, as an anonymous reader in Chromium at 1366 and 390 px: from the front page's menu to the
benchmark, a municipality's name to its page, and its goal card to the goal page with its charts and tables; the
page says what is left out and why, and never offers the municipality's reports."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ARTIFACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The same demo data as tests/integration/test_dashboard.py: one prepared copy serves both.
DEMO = ["MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"]
AREAS = (("jobcentre", "taarnby-dragoer"), ("municipality", "155"))


def _fits(page, width: int) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, page.url


@pytest.mark.parametrize("width", [1366, 390])
def test_an_anonymous_reader_follows_the_public_figures_from_the_benchmark_to_a_goal(page, live_server, demo_db, width):
    demo_db(DEMO, AREAS)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    if width < 500:
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("dialog").get_by_role("link", name="Benchmark").click()
    else:
        page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Benchmark").click()
    page.wait_for_url("**/benchmark/")
    _fits(page, width)
    if width < 500:  # a phone shows the first ten rows; the rest behind "Vis alle"
        page.get_by_role("link", name="Vis alle 98").click()
    page.locator("#benchmark").get_by_role("link", name="Dragør", exact=True).click()
    page.wait_for_url("**/kommune/155/")

    note = page.locator(".jm-public-note")
    assert "offentlige" in note.inner_text() and note.get_by_role("link", name="Log ind").is_visible()
    assert page.get_by_role("link", name="Rapport til udvalget").count() == 0
    assert page.locator("#goal-cards .jm-card").count() == 3
    assert "Lokalt mål" not in page.locator("#goal-cards").inner_text()
    _fits(page, width)
    assert axe_violations(page) == []

    page.get_by_role("link", name="Udvikling og opdelinger for mål 2").click()
    page.wait_for_url("**/kommune/155/maal/2/")
    page.locator(".jm-plot svg.main-svg").first.wait_for()
    assert page.locator(".jm-plot").count() >= 3 and page.locator("details.jm-data").count() >= 3
    assert page.locator(".jm-public-note").is_visible()
    _fits(page, width)
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"public-goal-2-{width}.png"), full_page=True)

    page.locator(".jm-public-note").get_by_role("link", name="Log ind").click()
    page.wait_for_url("**/konto/log-ind/")
    assert urlparse(page.url).query == ""  # chosen, not sent: the page does not say a log-in was needed
    assert page.watch.errors == [] and page.watch.foreign_requests == []
