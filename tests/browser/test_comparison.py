"""Ministry staff compare all 98 municipalities in real Chromium, on a desktop and on a phone: filter by region,
sort by a column, and a copied link shows the same view."""

import pytest

from municipalities.models import UserRole
from tests import factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_ministry_filters_sorts_and_shares_the_view(page, live_server, demo_db, width):
    """Over 20 s under load: the comparison of 98 municipalities is drawn again in chromium after each of the
    filter and sort choices a person makes, with axe-core run on the page."""
    demo_db(["MM13"])
    factories.user("ministeriet", UserRole.Role.MINISTRY, password="pw-for-test", first_name="Mette")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "ministeriet", "/sammenligning/?indikator=MM13")
    assert page.locator("#comparison tbody tr").count() == 99  # the country and 98 municipalities
    assert axe_violations(page) == []

    page.get_by_label("Region").select_option(label="Region Hovedstaden")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**region=1084**")
    assert page.locator("#comparison tbody tr").count() == 30
    if width > 500:  # column headers sort on a desktop; on a phone they are hidden and the form's choices do it
        page.get_by_role("link", name="Værdi", exact=True).click()
        page.wait_for_url("**sorter=vaerdi**")
        page.get_by_role("link", name="Værdi", exact=True).click()
    else:
        page.get_by_label("Sortér efter").select_option("vaerdi")
        page.get_by_label("Rækkefølge").select_option("ned")
        page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**retning=ned**")
    first = page.locator("#comparison tbody tr").nth(1).locator("th").inner_text()
    shared = page.url
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"comparison-{width}.png"), full_page=True)

    again = page.context.new_page()
    again.goto(shared)  # the same view from the link alone
    assert again.locator("#comparison tbody tr").nth(1).locator("th").inner_text() == first
    assert again.get_by_label("Region").input_value() == "1084"
    assert axe_violations(page) == []
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.watch.errors == [] and page.watch.foreign_requests == []
