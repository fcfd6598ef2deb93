"""The benchmark page in real Chromium on a desktop and a phone: readable, accessible, nothing off-screen."""

import pytest
from django.contrib.auth.models import User

from indicators import imports
from municipalities.models import UserRole
from tests.browser.conftest import ARTIFACTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_benchmark_page_reads_on_a_desktop_and_a_phone(page, live_server, reference_data, width):
    imports.demo(["Y30R21"])
    user = User.objects.create_user("chef", password="pw-for-test")
    UserRole.objects.create(user=user, role=UserRole.Role.CHAIR, municipality_id="185")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/benchmark/")
    page.get_by_label("Brugernavn").fill("chef")
    page.get_by_label("Adgangskode").fill("pw-for-test")
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/benchmark/")
    assert page.locator("#benchmark tbody tr").count() == 98
    assert "Tårnby" in page.locator("#benchmark tr.jm-own").inner_text()
    page.get_by_label("Opfølgning: over det forventede i hver af de seneste … perioder").fill("3")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**perioder=3**")
    assert page.get_by_role("heading", name="Opfølgningsliste: over den forventede andel i hver af de seneste 3 "
                                            "perioder").is_visible()  # fmt: skip
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"benchmark-{width}.png"), full_page=False)
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.watch.errors == [] and page.watch.foreign_requests == []
