import pytest

from tests.browser.conftest import axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_in_chromium_is_accessible_and_self_contained(page, live_server):
    page.goto(live_server.url + "/")

    assert page.title() == "Overblik – Jobmål"
    assert page.locator("li.jm-goal").count() == 3
    assert page.locator("#municipality-list a").count() == 98
    assert page.locator("#jobcentre-list a").count() == 94
    # DKFDS's stylesheet and its IBM Plex font are served by the app and in use.
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "IBM Plex Sans" in font
    page.evaluate("() => document.fonts.ready")
    assert page.evaluate("() => document.fonts.check('16px \"IBM Plex Sans\"')")

    assert axe_violations(page) == []
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []


def test_language_switch_and_municipality_link(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("More persons with disabilities must get into employment.").is_visible()

    from tests import factories

    factories.user("ministry", "ministry", password="pw-for-test")
    page.get_by_role("link", name="Aabenraa", exact=True).click()
    page.wait_for_url("**/kommune/580/")  # the national figures are public
    assert page.get_by_role("heading", level=1).inner_text() == "Aabenraa Municipality"
    assert "public as on Jobindsats" in page.locator(".jm-public-note").inner_text()
    page.locator(".jm-public-note").get_by_role("link", name="Log in").click()
    log_in(page, live_server, "ministry", None, lands="**/sammenligning/", english=True)  # their own landing
    assert axe_violations(page) == []
    assert page.watch.errors == []


def test_the_axe_check_finds_a_violation_when_there_is_one(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<html><body><img src='data:,'></body></html>")
    found = {v["id"] for v in axe_violations(page)}
    context.close()
    assert {"image-alt", "html-has-lang"} <= found
