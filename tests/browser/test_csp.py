"""The strict Content-Security-Policy in real Chromium: no page breaks it, and plotly.js draws and styles its
charts (modebar, hover labels, tooltips) from the stylesheets of config/plotly_css.py, with no inline style."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from indicators.models import ImportRun
from municipalities.models import Area, UserRole
from tests import databases, factories
from tests.browser.conftest import ARTIFACTS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any script of each page: keeps every violation the page reports, whatever blocked it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
    + ` (${event.sample})`);
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    return page


@pytest.fixture
def users(reference_data):
    with databases.demo(("MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21"), areas=(("jobcentre", "taarnby-dragoer"),)):
        jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
        factories.user("chef", UserRole.Role.CHIEF, password="pw-for-test", jobcentre=jobcentre)
        factories.user("ministerie", UserRole.Role.MINISTRY, password="pw-for-test")
        yield


def _violations(page) -> list[str]:
    page.wait_for_load_state("load")
    return page.evaluate("window.cspViolations")


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/konto/log-ind/")
    assert _violations(page) == []
    log_in(page, live_server, username, None)  # lands on the front page; ministry staff on the comparison


def _hover_until_a_label_shows(page, plot):
    """The unified hover label ("x unified": one box for all traces) at a month with figures."""
    plot.scroll_into_view_if_needed()
    box = plot.locator(".nsewdrag").first.bounding_box()
    label = plot.locator(".hoverlayer .legend")
    for fraction in (0.5, 0.7, 0.9, 0.3, 0.98):
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
        try:
            label.wait_for(timeout=1000)
            return label
        except PlaywrightTimeout:
            continue
    raise AssertionError("no hover label on the chart")


def _after(locator, prop: str) -> str:
    return locator.evaluate(f"(el) => getComputedStyle(el, '::after').{prop}")


def test_the_main_pages_keep_to_the_policy(watched, live_server, users):
    page = watched
    page.goto(f"{live_server.url}/")
    assert page.locator("li.jm-goal").count() == 3
    assert _violations(page) == []
    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("#login-form").count() == 1
    assert _violations(page) == []

    _log_in(page, live_server, "chef")
    assert _violations(page) == []
    for url in [
        "/jobcenter/taarnby-dragoer/",
        "/jobcenter/taarnby-dragoer/maal/2/maalsaetning/",
        "/jobcenter/taarnby-dragoer/lokale-indikatorer/",
        "/kommune/185/",
    ]:
        page.goto(f"{live_server.url}{url}")
        assert page.locator("h1").count() == 1, url
        assert _violations(page) == [], url
    for goal in (1, 2, 3):
        page.goto(f"{live_server.url}/jobcenter/taarnby-dragoer/maal/{goal}/")
        page.locator(".jm-plot svg.main-svg").first.wait_for()
        assert _violations(page) == [], goal
    page.get_by_role("button", name="Log ud").click()

    _log_in(page, live_server, "ministerie")
    page.goto(f"{live_server.url}/import/")
    assert page.locator("#import-runs tbody tr").count() == ImportRun.objects.count()
    assert _violations(page) == []
    page.goto(f"{live_server.url}/import/{ImportRun.objects.latest('pk').pk}/")
    assert page.locator("h1").count() == 1
    assert _violations(page) == []
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []


def test_charts_are_drawn_and_styled_without_inline_styles(watched, live_server, users):
    page = watched
    _log_in(page, live_server, "chef")
    page.goto(f"{live_server.url}/jobcenter/taarnby-dragoer/maal/2/")
    plot = page.locator("#chart-MM13 .jm-plot")
    plot.locator("svg.main-svg").first.wait_for()
    assert plot.locator(".scatterlayer .trace").count() == 3  # area, country, peers
    # plotly.js took its rules from the stylesheets and made no <style> of its own.
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert page.locator("link#plotly\\.js-style-global.no-inline-styles").count() == 1
    # Its stylesheet is in force: the SVG layers lie on top of each other and the modebar sits in the corner.
    for svg in plot.locator("svg.main-svg").all():
        expect(svg).to_have_css("position", "absolute")
    modebar = plot.locator(".modebar")
    expect(modebar).to_have_css("position", "absolute")
    expect(modebar.locator(".modebar-group").first).to_have_css("opacity", "0")  # shown on hover only

    label = _hover_until_a_label_shows(page, plot)
    assert "pct." in label.first.text_content()
    expect(modebar.locator(".modebar-group").first).to_have_css("opacity", "1")  # after a short transition
    button = modebar.locator(".modebar-btn").first  # "Download plot as a PNG"
    button.hover()
    assert _after(button, "display") == "block"  # the button's tooltip
    assert _after(button, "content") == f'"{button.get_attribute("data-title")}"'
    ARTIFACTS.mkdir(exist_ok=True)
    plot.screenshot(path=str(ARTIFACTS / "csp-goal-2-modebar.png"))
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith(".png")

    # Zoom by dragging, then back with the modebar's autoscale.
    box = plot.locator(".nsewdrag").first.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.4, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, y + 40, steps=5)
    page.mouse.up()
    modebar_button = plot.locator('[data-title="Tilpas akser"]')
    plot.hover()
    modebar_button.click()
    label = _hover_until_a_label_shows(page, plot)
    plot.screenshot(path=str(ARTIFACTS / "csp-goal-2-hover.png"))

    assert _violations(page) == []
    assert page.watch.errors == []
    assert page.watch.foreign_requests == []


def test_the_violation_record_sees_an_inline_style(watched, live_server, reference_data):
    page = watched
    page.goto(f"{live_server.url}/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.evaluate("document.head.append(Object.assign(document.createElement('style'), {textContent: 'p {}'}))")
    page.wait_for_function("window.cspViolations.length >= 2")
    assert {v.split(" ")[0] for v in page.evaluate("window.cspViolations")} == {"style-src-attr", "style-src-elem"}
