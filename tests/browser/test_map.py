"""The comparison's map in real Chromium: 98 municipalities drawn as SVG (the islands too), a click opens a
municipality's page where the reader may see it, no accessibility violations, and nothing fetched from outside the
app (plotly's geo would fetch a world map from a CDN if let). The outlines are the ones shipped with the app
(municipalities/data), stored with the reference data as on any clone: nothing read from ../shared."""

import pytest
from django.db.models import Count

from municipalities.models import Area, Municipality
from tests import factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A point inside a municipality's outline, on the screen: a bounding box's centre can be sea or a neighbour. The
# paths carry plotly's calcdata, whose `loc` is the kommunekode.
POINT_ON = """code => {
  const path = [...document.querySelectorAll('.jm-map path.choroplethlocation')].find(p => p.__data__.loc === code);
  const box = path.getBBox(), matrix = path.getScreenCTM(), point = path.ownerSVGElement.createSVGPoint();
  for (let i = 6; i > 0; i--) for (let j = 1; j < 12; j++) {  // from the middle out
    for (const [u, v] of [[i, j], [12 - i, j]]) {
      point.x = box.x + box.width * u / 12; point.y = box.y + box.height * v / 12;
      if (path.isPointInFill(point)) { const screen = point.matrixTransform(matrix); return [screen.x, screen.y]; }
    }
  }
  return null;
}"""


def click_municipality(page, code: str, name: str) -> None:
    page.locator("#comparison-map-title").scroll_into_view_if_needed()
    x, y = page.evaluate(POINT_ON, code)
    page.mouse.move(x, y)
    page.locator(".jm-map .hoverlayer").get_by_text(name).wait_for()  # the hover label names it, as a user sees
    page.mouse.click(x, y)


@pytest.mark.parametrize("width", [1366, 390])
def test_ministry_staff_see_98_municipalities_and_open_one_from_the_map(page, live_server, demo_db, tmp_path, width):
    demo_db(["MM13"])
    factories.user("ministeriet", "ministry", password="pw-for-test")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "ministeriet", "/sammenligning/?indikator=MM13")

    paths = page.locator(".jm-map .choroplethlayer path.choroplethlocation")
    page.locator("#comparison-map-title").scroll_into_view_if_needed()  # drawn as it comes near the screen
    paths.first.wait_for()
    assert paths.count() == 98
    drawn = page.evaluate("""() => [...document.querySelectorAll('.jm-map path.choroplethlocation')].map(p => {
        const plot = document.querySelector('.jm-map').getBoundingClientRect(), box = p.getBoundingClientRect();
        return [p.__data__.loc, box.width > 0.5 && box.height > 0.5 && box.left >= plot.left - 1
                && box.right <= plot.right + 1 && box.top >= plot.top - 1 && box.bottom <= plot.bottom + 1];
    })""")
    assert sorted(code for code, _inside in drawn) == sorted(Municipality.objects.values_list("code", flat=True))
    hidden = [code for code, inside in drawn if not inside]
    assert hidden == []  # every one, Bornholm, Læsø, Fanø, Samsø and Ærø too, inside the map and of some size
    assert page.locator(".jm-map .colorbar").count() == 0 and page.locator(".jm-legend-viridis-r").is_visible()
    assert axe_violations(page) == []
    if width < 500:
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#comparison-map-title").locator("xpath=..").screenshot(path=str(ARTIFACTS / f"map-{width}.png"))

    click_municipality(page, "791", "Viborg")
    page.wait_for_url("**/kommune/791/")
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_the_change_map_is_drawn_and_opens_any_municipality(page, live_server, demo_db, tmp_path):
    demo_db(["MM13"])
    jobcentre = Area.objects.filter(kind="jobcentre").annotate(n=Count("memberships")).filter(n=1).order_by("code")[0]
    own = jobcentre.memberships.get().municipality
    factories.user("chef", "chief", password="pw-for-test", jobcentre=jobcentre)
    other = Municipality.objects.get(code="791" if own.code != "791" else "657")
    url = "/sammenligning/?indikator=MM13&kort=aendring"
    log_in(page, live_server, "chef", url)
    page.locator("#comparison-map-title").scroll_into_view_if_needed()
    page.locator(".jm-map path.choroplethlocation").first.wait_for()
    assert page.locator(".jm-map path.choroplethlocation").count() == 98
    assert page.get_by_text("Lilla er en ændring til det bedre").count() == 1
    assert page.locator(".jm-legend-puor").is_visible() and axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#comparison-map-title").locator("xpath=..").screenshot(path=str(ARTIFACTS / "map-change.png"))

    click_municipality(page, other.code, other.name)  # not theirs: its national figures are public
    page.wait_for_url(f"**/kommune/{other.code}/")
    assert page.locator(".jm-public-note").is_visible()
    page.go_back()
    page.locator(".jm-map path.choroplethlocation").first.wait_for()
    click_municipality(page, own.code, own.name)
    page.wait_for_url(f"**/kommune/{own.code}/")
    assert page.locator(".jm-public-note").count() == 0  # their own: with its work
    assert page.watch.errors == [] and page.watch.foreign_requests == []
