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


def test_a_downloaded_chart_carries_its_title_area_source_and_demo_label(page, live_server, chief_data):  # noqa: F811
    page.set_viewport_size({"width": 1366, "height": 900})
    _log_in(page, live_server, "/jobcenter/taarnby-dragoer/maal/3/")
    page.locator(".jm-plot svg.main-svg").first.wait_for()
    button = page.get_by_role("button", name="Hent graf (PNG)").first
    with page.expect_download() as download:
        button.click()
    ARTIFACTS.mkdir(exist_ok=True)
    download.value.save_as(ARTIFACTS / "chart-download-goal-3.png")
    png = download.value.path().read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1000, 560)
    layout = button.evaluate("b => b.drawnFigure.layout")
    assert layout["title"]["text"].startswith("Personer i fleksjob (indirekte mål)<br>Jobcenter Tårnby-Dragør")
    source = layout["annotations"][-1]["text"]
    assert source.startswith("DEMODATA") and "Kilde: Jobindsats.dk (STAR), hentet " in source
    assert layout["yaxis"]["title"]["text"].startswith("indeks")  # the unit on the axis
    assert page.watch.errors == [] and page.watch.foreign_requests == []
