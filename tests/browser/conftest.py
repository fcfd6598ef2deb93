"""Browser tests: Debian's chromium driven by Playwright, never a downloaded browser."""

import shutil
from pathlib import Path
from urllib.parse import urlparse

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
