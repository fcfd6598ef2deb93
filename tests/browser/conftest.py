"""Browser tests: Debian's chromium driven by Playwright, never a downloaded browser."""

import shutil
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's chromium is not installed at {CHROMIUM}: run `make test`, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield browser
        browser.close()


class PageWatch:
    """What a page did that a test must see: console errors, page errors and requests that left the app."""

    def __init__(self, page, origin: str):
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

        def route(route):
            url = route.request.url
            if urlparse(url).netloc != origin and not url.startswith(("data:", "blob:")):
                self.foreign_requests.append(url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", route)


@pytest.fixture
def page(browser, live_server, reference_data, request):
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.watch = PageWatch(page, urlparse(live_server.url).netloc)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules) in the page; injected over the DevTools protocol, so the page's
    strict CSP stays on."""
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [{"id": v["id"], "help": v["help"], "nodes": len(v["nodes"])} for v in result["violations"]]


def wait_polling(page, locator, *, every_ms: int, state: str = "visible", seconds: float = 60) -> None:
    """Wait for `locator` to reach `state` on a page that polls the server every `every_ms` (static/js: a chart
    rebuild, an upload or a report being built). The page's timers run on Playwright's clock (`page.clock.install()`
    before the page is opened), moved on one interval at a time: no real time passes for a poll to come round, and
    the real wait is only for what the server or worker does, in short steps up to `seconds`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    deadline = time.monotonic() + seconds
    while True:
        page.clock.fast_forward(every_ms)
        try:
            locator.wait_for(state=state, timeout=200)
            return
        except PlaywrightTimeout:
            if time.monotonic() > deadline:
                raise


def log_in(
    page,
    live_server,
    username: str,
    url: str | None = "/konto/log-ind/",
    *,
    lands: str | None = None,
    password: str = "pw-for-test",  # noqa: S107 (the browser tests' users have it)
    english: bool = False,
) -> None:
    """Log in through the real form: open `url` (a page behind the log-in is sent there, a public page is come
    back to from the log-in; None: the log-in form is the page already open), fill in the form, press its button
    and wait for the page it leads to: `lands` (a glob) if given, else `url` when it is not the log-in page, else
    any page that is not the log-in page."""
    if url is not None:
        page.goto(live_server.url + url)
        if "/konto/log-ind/" not in page.url:  # a public page: the reader logs in to come back to it
            page.goto(f"{live_server.url}/konto/log-ind/?{urlencode({'next': url})}")
    page.get_by_label("Username" if english else "Brugernavn").fill(username)
    page.get_by_label("Password" if english else "Adgangskode").fill(password)
    page.locator("main").get_by_role("button", name="Log in" if english else "Log ind").click()
    if lands:
        page.wait_for_url(lands)
    elif url is not None and not url.startswith("/konto/log-ind/"):
        page.wait_for_url("**" + url)
    else:
        page.wait_for_url(lambda current: "/konto/log-ind/" not in current)


def shown_rows(page, table: str) -> list[bool]:
    """Whether each of a table's rows is shown, in one call (a locator per row is a round trip each)."""
    return page.evaluate(f"[...document.querySelectorAll('#{table} tbody tr')].map(r => r.getClientRects().length > 0)")
