"""A chief uploads a workbook of own figures in real Chromium, on a desktop and on a phone: the request only queues
it, the page says it is being imported and reloads itself when the worker is done, with the outcome (rows and
rejects named by row and field) in the list of latest imports."""

import pytest

from goals import local_indicators
from goals.models import Goal, QueuedUpload
from goals.tasks import import_upload
from indicators.models import Observation
from municipalities.models import Area, Municipality, UserRole
from tests import factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in, wait_polling
from tests.factories import xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _own_indicator_page(page, live_server, name: str, unit: str, definition: str, **names) -> tuple:
    """Tårnby-Dragør's chief, logged in on the page of a new own indicator of goal 3 for Tårnby: the indicator and
    its page's URL."""
    jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
    user = factories.user("chef", UserRole.Role.CHIEF, password="pw-for-test", jobcentre=jobcentre, **names)
    own = local_indicators.create(
        jobcentre,
        Goal.objects.get(number=3),
        Municipality.objects.get(code="185"),
        user,
        name=name,
        unit=unit,
        polarity="higher",
        definition=definition,
    )
    url = f"/jobcenter/taarnby-dragoer/lokale-indikatorer/{own.code}/"
    log_in(page, live_server, "chef", url)
    return own, url


@pytest.mark.parametrize("width", [1366, 390])
def test_a_workbook_is_imported_by_the_worker_and_the_page_follows_it(
    page, live_server, reference_data, width, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    page.clock.install()  # the page's poll for the import's outcome comes round when the test says
    own, url = _own_indicator_page(
        page, live_server, "Borgere med handicap i job", "percent", "Egen opgørelse", first_name="Kim", last_name="Chef"
    )

    bad = tmp_path / "egne-tal.xlsx"
    bad.write_bytes(xlsx_bytes(["Område", "Periode", "Værdi"], ["Tårnby", "2020M01", 10.5], ["Aarhus", "2020M01", 9]))
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Indlæs", exact=True).click()
    page.wait_for_url(f"**{url}")
    assert page.get_by_text("egne-tal.xlsx indlæses (import").is_visible()
    assert page.locator("[data-import-pending]").is_visible()
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"own-upload-queued-{width}.png"), full_page=True)

    # The worker's part (the task's body), then the page reloads by itself and shows the outcome.
    import_upload.apply(args=[QueuedUpload.objects.get().pk]).get()
    wait_polling(page, page.locator("[data-import-pending]"), every_ms=3000, state="detached", seconds=20)
    outcome = page.locator("#local-imports").inner_text()
    assert "Fejlet" in outcome and "egne-tal.xlsx, række 3, Område: ukendt område 'Aarhus'" in outcome
    assert not Observation.objects.filter(indicator=own).exists()
    assert axe_violations(page) == []
    page.screenshot(path=str(ARTIFACTS / f"own-upload-failed-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling on a phone
    assert page.watch.errors == []


@pytest.mark.parametrize("width", [1366, 390])
def test_a_file_of_thousands_of_bad_rows_is_answered_at_once_with_the_first_hundred_named(
    page, live_server, reference_data, width, tmp_path
):
    """Issue 20, R6: as the chief would, with the form: a CSV of 18.000 rows naming an unknown area. The page says
    how many were refused and names the first hundred in a table that fits a phone; nothing is saved."""
    page.set_viewport_size({"width": width, "height": 900})
    own, url = _own_indicator_page(page, live_server, "Virksomhedsbesøg", "count", "")

    bad = tmp_path / "mange-fejl.csv"
    bad.write_text("Område;Periode;Værdi\n" + "999;2020M01;1\n" * 18_000, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Indlæs", exact=True).click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Intet blev gemt." in alert.inner_text()
    assert "18.000 af 18.000 rækker afvist; intet blev indlæst" in alert.inner_text()
    table = alert.locator("table")
    assert table.locator("caption").inner_text() == "Afviste rækker (de første 100)"
    assert table.locator("tbody tr").count() == 100
    assert not Observation.objects.filter(indicator=own).exists()
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"own-upload-many-bad-rows-{width}.png"), full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.watch.errors == []
