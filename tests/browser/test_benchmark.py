"""The benchmark page in real Chromium on a desktop and a phone: readable, accessible, nothing off-screen."""

import pytest

from municipalities.models import UserRole
from tests import factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in, shown_rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_benchmark_page_reads_on_a_desktop_and_a_phone(page, live_server, demo_db, width):
    demo_db(["Y30R21"])
    factories.user("chef", UserRole.Role.CHAIR, password="pw-for-test", municipality_id="185")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "chef", "/benchmark/")
    assert page.locator("#benchmark tbody tr").count() == 98
    assert "Tårnby" in page.locator("#benchmark tr.jm-own").inner_text()
    shown = shown_rows(page, "benchmark")
    if width > 500:
        assert all(shown)  # a desktop shows every row
    else:  # a phone: Tårnby and two either side, the rest on "Vis alle" (issue 21: 57.500 px with every card)
        own = page.evaluate(
            "[...document.querySelectorAll('#benchmark tbody tr')].findIndex(r => r.matches('.jm-own'))"
        )
        assert [i for i, row in enumerate(shown) if row] == list(range(max(0, own - 2), min(98, own + 3)))
        tall = page.evaluate("document.documentElement.scrollHeight")
        page.get_by_role("link", name="Vis alle 98").click()
        assert all(shown_rows(page, "benchmark"))
        assert page.evaluate("document.documentElement.scrollHeight") > tall + 10_000
        assert not page.get_by_role("link", name="Vis alle 98").is_visible()
    page.get_by_label("Opfølgning: over det forventede i hver af de seneste … perioder").fill("3")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**perioder=3**")
    assert page.get_by_role(
        "heading", name="Opfølgningsliste: over den forventede andel i hver af de seneste 3 perioder"
    ).is_visible()
    # Expected against actual share, and Tårnby's rank history (the reader's own, by default), drawn by plotly.
    scatter = page.locator('.jm-plot[data-figure="figure-scatter"]')
    scatter.locator("svg.main-svg").first.wait_for()
    assert scatter.locator(".scatterlayer .point").count() == 98
    assert page.get_by_role("heading", name="Placeringer over tid: Tårnby").is_visible()
    history = page.locator('.jm-plot[data-figure="figure-rank-history"]')
    history.locator("svg.main-svg").first.wait_for()
    assert history.locator(".scatterlayer .point").count() == page.locator("#rank-history tbody tr").count() > 1
    page.get_by_label("Kommune", exact=True).select_option(label="Aarhus")
    page.get_by_role("button", name="Vis placeringer").click()
    page.wait_for_url("**kommune=751**")
    assert "perioder=3" in page.url  # the follow-up list's N stays in the URL
    assert page.get_by_role("heading", name="Placeringer over tid: Aarhus").is_visible()
    link = page.locator("a", has_text="Hent tabellen (Excel)").first.get_attribute("href")
    assert "format=xlsx" in link and "tabel=opfoelgning" in link and "perioder=3" in link
    page.locator('.jm-plot[data-figure="figure-rank-history"] svg.main-svg').first.wait_for()
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"benchmark-{width}.png"), full_page=False)
    page.locator("section.jm-chart").nth(0).screenshot(path=str(ARTIFACTS / f"benchmark-scatter-{width}.png"))
    page.locator("section.jm-chart").nth(1).screenshot(path=str(ARTIFACTS / f"benchmark-history-{width}.png"))
    for part in ("ranking", "history"):
        page.locator(f"#{part}-heading").evaluate("element => element.scrollIntoView()")
        page.screenshot(path=str(ARTIFACTS / f"benchmark-{part}-section-{width}.png"))
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.watch.errors == [] and page.watch.foreign_requests == []
