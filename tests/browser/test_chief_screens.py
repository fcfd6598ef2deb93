"""The chief's jobcentre page as a chief sees it on a desktop and a phone, saved for the issue's before/after
comparison (test-artifacts/chief-jobcentre-<width>.png): every goal card readable, nothing wider than the screen."""

import pytest

from tests.browser.conftest import ARTIFACTS, axe_violations
from tests.browser.test_dashboard import _log_in, chief_data  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_chiefs_jobcentre_page_on_a_desktop_and_a_phone(page, live_server, chief_data, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    _log_in(page, live_server, "/jobcenter/taarnby-dragoer/")
    assert page.locator("li.jm-card").count() == 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chief-jobcentre-{width}.png"), full_page=True)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.watch.errors == [] and page.watch.foreign_requests == []
