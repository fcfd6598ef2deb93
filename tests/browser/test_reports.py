"""A committee chair asks for the committee report in Chromium and downloads it, built by a real worker; the
reports page at 1366 and 390 px, axe-clean; printing a page uses the design system's sans-serif and leaves out the
navigation and edit links (issue 13)."""

import subprocess

import pytest

from municipalities.models import UserRole
from tests import factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in, wait_polling
from tests.integration.test_celery_worker import _start_worker
from tests.integration.test_report_worker import _stop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chair(demo_db, settings):
    demo_db(["MM10", "MM13", "Y08A02"], [("municipality", "185")])
    user = factories.user(
        "formand",
        UserRole.Role.CHAIR,
        password="pw-for-test",
        first_name="Kirsten",
        last_name="Formand",
        email="formand@kommune.example",
        municipality_id="185",
    )
    queue, proc = _start_worker("--pool", "solo", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    settings.REPORTS_QUEUE = queue
    yield user
    _stop(proc)


def test_a_chair_asks_for_the_report_and_downloads_it(page, live_server, chair):
    page.clock.install()  # the page's progress poll comes round when the test says
    log_in(page, live_server, "formand", lands="**/kommune/185/")  # a chair lands on their municipality
    page.get_by_role("link", name="Rapport til udvalget").click()
    page.wait_for_url("**/kommune/185/rapporter/")
    assert page.get_by_role("heading", level=1).inner_text() == "Rapport til udvalget: Tårnby"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Lav rapporten som PDF").click()
    page.wait_for_url("**/rapport/*/")
    assert page.locator(".jm-report-status [role=status]").is_visible()
    download_link = page.get_by_role("link", name="Hent PDF")
    wait_polling(page, download_link, every_ms=1500, seconds=120)  # the page follows the worker
    assert axe_violations(page) == []
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("jobmaal-rapport-kommune-185-maal-2020-udgivelse-")
    assert download.suggested_filename.endswith("-DEMO.pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "report-downloaded.pdf"
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    # Back on the list: the PDF with its size, and the next format to ask for.
    page.get_by_role("link", name="Tilbage til rapporterne").click()
    assert page.get_by_role("link", name="Hent PDF").is_visible()
    assert page.get_by_role("button", name="Lav rapporten som Excel").is_visible()
    page.screenshot(path=str(ARTIFACTS / "reports-chair-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling on a phone
    assert axe_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / "reports-chair-390.png"), full_page=True)
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_printing_a_page_uses_the_sans_serif_and_leaves_out_navigation(page, live_server, chair):
    log_in(page, live_server, "formand", lands="**/kommune/185/")  # a chair lands on their municipality
    page.emulate_media(media="print")
    font = page.evaluate("getComputedStyle(document.querySelector('main p')).fontFamily")
    assert "IBM Plex Sans" in font and "Georgia" not in font
    for hidden in ["header.header", ".breadcrumbs", ".jm-page-actions", "footer"]:
        assert not page.locator(hidden).first.is_visible(), hidden
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)")
    assert size >= 12  # DKFDS's print size is 48 % (7,7 px)
