"""Ministry staff read an import run in real Chromium: a refused benchmark file with its reasons, and an accepted
one with data warnings, in Danish and English, on a laptop and a phone, with axe-core finding nothing."""

import pytest

from indicators import imports
from indicators.formats import SourceError
from indicators.models import ImportRun
from municipalities.models import UserRole
from tests import factories
from tests.browser.conftest import axe_violations, log_in
from tests.factories import DATA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def runs(reference_data, tmp_path):
    factories.user("ministerie", UserRole.Role.MINISTRY, password="pw-for-test")
    good = (DATA / "Y30R21_v2.csv").read_text(encoding="utf-8-sig")
    bad = tmp_path / "Y30R21_maj.csv"
    bad.write_text(
        good.replace(";9,08;9,28;0,20;63", ";9,08;140,50;131,42;63").replace(";-0,06;21", ";-0,06;70"), encoding="utf-8"
    )
    with pytest.raises(SourceError):
        imports.from_file(str(bad), table="Y30R21")
    contradicted = tmp_path / "Y30R21_nov.csv"
    # Odense (difference 0,18) ranked 5th, ahead of Gentofte (7th, -0,22): the rank contradicts the figures.
    contradicted.write_text(good.replace(";0,18;58", ";0,18;5"), encoding="utf-8")
    warned = imports.from_file(str(contradicted), table="Y30R21")
    failed = ImportRun.objects.get(status=ImportRun.Status.FAILED)
    return failed, warned


@pytest.mark.parametrize("width", [1366, 390])
def test_ministry_staff_read_rejects_and_warnings(page, live_server, runs, width):
    failed, warned = runs
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server, "ministerie", f"/import/{failed.pk}/")
    main = page.locator("main")
    assert "2 af 7 rækker afvist; intet blev indlæst" in main.inner_text()
    rows = main.locator("table.table--zebra tbody tr")
    assert rows.count() == 2
    assert "andelen 140,50 ligger uden for 0–100" in rows.nth(0).inner_text()
    assert "placeringen 70 er også givet i række 7" in rows.nth(1).inner_text()
    assert axe_violations(page) == []
    page.screenshot(path=f"test-artifacts/import-run-rejected-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/import/{warned.pk}/")
    warning = main.locator(".alert-warning")
    assert "Dataadvarsler" in warning.inner_text()
    assert (
        "2020QMAT02 (i alt): Gentofte har placering 7 med forskellen -0,22, men Odense har placering 5, foran, med "
        "den større forskel 0,18: placeringen modsiger de offentliggjorte tal"
    ) in warning.inner_text()
    assert axe_violations(page) == []
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    page.screenshot(path=f"test-artifacts/import-run-warnings-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/import/")
    row = main.locator("#import-runs tbody tr").filter(has=page.get_by_role("link", name=str(warned.pk), exact=True))
    assert row.locator("td").last.inner_text() == "1"  # the run's data warnings, counted in the list
    assert axe_violations(page) == []
    page.screenshot(path=f"test-artifacts/import-runs-{width}.png", full_page=True)
    assert page.watch.errors == [] and page.watch.foreign_requests == []
