"""Issue 12: the goal cards' status at a glance, in real Chromium at a laptop's and a phone's width, as the chief."""

import pytest

from goals.models import Target
from indicators.models import Indicator
from municipalities.models import Area, UserRole
from tests import databases, factories
from tests.browser.conftest import ARTIFACTS, axe_violations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1366, 390]


@pytest.fixture
def chief_data(reference_data):
    with databases.demo(("MM10", "FORGREKR", "MM13", "Y08A02", "Y30R21")):
        jobcentre = Area.objects.get(kind=Area.Kind.JOBCENTRE, code="taarnby-dragoer")
        factories.user(
            "chef", UserRole.Role.CHIEF, password="pw-for-test", first_name="Kim", last_name="Chef", jobcentre=jobcentre
        )
        # Goal 1 with a target (on track / at risk / behind), goals 2 and 3 without (the direction marks).
        Target.objects.create(jobcentre=jobcentre, indicator=Indicator.objects.get(code="MM10"), year=2020, value=27)
        yield


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways at {width} px ({scroll} px wide)"


def test_each_card_shows_its_status_word_and_trend_line_at_both_widths(page, live_server, chief_data):
    log_in(page, live_server, "chef", "/jobcenter/taarnby-dragoer/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        cards = page.locator("li.jm-card")
        assert cards.count() == 3
        for n in range(3):
            card = cards.nth(n)
            words = card.locator(".jm-mark-word")
            assert words.count() >= 1, f"goal {n + 1} has no status mark"
            for i in range(words.count()):
                assert words.nth(i).is_visible() and words.nth(i).inner_text().strip()
            spark = card.locator("svg.jm-spark")
            assert spark.is_visible() and spark.get_attribute("role") == "img"
            assert spark.bounding_box()["width"] > 40
            icon = card.locator(".jm-mark-icon").first.bounding_box()
            assert 10 <= icon["width"] <= 30 and 10 <= icon["height"] <= 30  # the DKFDS icon, drawn at its size
        assert cards.nth(0).locator(".jm-mark-word").first.inner_text() in {"På rette spor", "I risiko", "Bagud"}
        how = cards.nth(1).locator("details.jm-how")
        how.locator("summary").click()
        assert how.locator(".details-text").is_visible()
        assert axe_violations(page) == []
        if width == 390:
            _fits(page, width)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"status-cards-{width}.png"), full_page=True)
        if width == 390:  # a whole page at a phone's width is too long to look at: each card apart
            for n in range(3):
                cards.nth(n).screenshot(path=str(ARTIFACTS / f"status-card-{n + 1}-{width}.png"))
        how.locator("summary").click()
    # Goal 2's own page: the one card, the women's figure first and the total beside it.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/jobcenter/taarnby-dragoer/maal/2/")
    lead, total = page.locator("#goal-2 .jm-card-lead .jm-big"), page.locator("#goal-2 .jm-card-total .jm-mid")
    assert lead.bounding_box()["x"] < total.bounding_box()["x"]  # side by side, women first
    assert page.locator("#goal-2 .jm-mark-word").first.is_visible()
    assert axe_violations(page) == []
    page.locator("#goal-2").screenshot(path=str(ARTIFACTS / "status-goal-2-card-1366.png"))
    assert page.watch.errors == [] and page.watch.foreign_requests == []


def test_the_target_form_in_context_fits_a_phone(page, live_server, chief_data):
    log_in(page, live_server, "chef", "/jobcenter/taarnby-dragoer/maal/1/maalsaetning/")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator("#target-MM10 .jm-reading").is_visible()
        assert page.locator("#target-FORGREKR input").count() == 0
        assert page.locator("#target-FORGREKR").get_by_text("opgøres kun for hele RAR-området").is_visible()
        assert axe_violations(page) == []
        if width == 390:
            _fits(page, width)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"status-targets-{width}.png"), full_page=True)
    assert page.watch.errors == [] and page.watch.foreign_requests == []
