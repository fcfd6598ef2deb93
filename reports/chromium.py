"""Debian's chromium, warm, one per worker process: it draws the stored Plotly figures as SVG with plotly.js and prints
a committee report's HTML to a tagged A4 PDF.

Driven over its DevTools pipe with choreographer (the driver kaleido is built on), by an event loop on a thread of
its own, so that the synchronous report code can wait on it. Two pages (ADR 0004, 0005):

- the **chart page** holds plotly.js (about:blank with the bundle evaluated into it) and is asked for one figure
  after another: Plotly.toImage draws each in a detached element of its own and removes it, so one figure cannot
  change the next; the page is renewed every RENEW_AFTER figures all the same. Kaleido reloaded its page after every
  image, which was about three quarters of a chart's cost. The plotly.js is the installed plotly package's version:
  its basic bundle from npm (scatter, bar, pie: every trace a goal chart has) when that is the same version, else
  the package's full bundle.
- the **print page** runs no script at all (the report holds names and texts people typed) and opens the report
  from a file of this process's own, so that its fonts load from the app's static files.

Nothing is fetched from the network: Chromium's own calls home (updates, accounts) go to a closed local port. A
browser that died or stopped answering is closed and a new one does the work once more."""

from __future__ import annotations

import asyncio
import atexit
import base64
import copy
import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from django.conf import settings

WIDTH, HEIGHT = 760, 380
BASIC_TYPES = {"scatter", "bar", "pie"}  # what plotly.js's basic bundle draws
TIMEOUT = 60  # seconds for starting the browser, drawing one figure or printing one report (a report: a few tenths)
RENEW_AFTER = 1000  # figures drawn on one page before it is replaced by a fresh one
_lock = threading.Lock()  # one figure at a time per process: the page has one Plotly
_painter: _Painter | None = None


def _browser() -> str:
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError(
            "Committee reports draw their charts with Debian's chromium, which is not installed "
            "(make test / make run install it: apt-get install chromium)."
        )
    return path


def _version(path: Path) -> str | None:
    with path.open("rb") as file:
        found = re.search(rb"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)", file.read(400))
    return found.group(1).decode() if found else None


def bundle() -> Path:
    """The plotly.js the page loads: the basic bundle when it is the installed package's version, else the full one."""
    import plotly

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    basic = settings.NODE_MODULES / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
    return basic if basic.exists() and _version(basic) == _version(full) else full


class ChartError(RuntimeError):
    """plotly.js or the browser could not draw a figure."""


class PrintError(RuntimeError):
    """Chromium could not print a report."""


# A4 in inches, as the DevTools protocol counts; the report's CSS (@page) sets the size and margins it prints with.
PRINT_OPTIONS = {
    "printBackground": True,  # the demo label's background
    "preferCSSPageSize": True,
    "generateTaggedPDF": True,  # headings, tables, figures with their text alternative: read aloud in order
    "generateDocumentOutline": True,  # bookmarks from the headings
    "paperWidth": 8.27,
    "paperHeight": 11.69,
}


class _Painter:
    """A chromium with one page holding plotly.js, run by an event loop on a thread of its own so that the
    synchronous report code can wait on it."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.bundle = bundle()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="jobmaal-chromium", daemon=True)
        self.thread.start()
        self.browser = None
        self.tab = None
        self.printer = None
        self.drawn = 0
        self.printed = itertools.count()
        self.folder = Path(tempfile.mkdtemp(prefix="jobmaal-print-"))
        try:
            self._run(self._open())
        except BaseException:
            _discard(self)
            raise

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(TIMEOUT)

    async def _open(self) -> None:
        import choreographer

        self.browser = choreographer.Browser(path=_browser(), headless=True, proxy_server="127.0.0.1:9")
        await self.browser.open()
        await self._new_page()

    async def _new_page(self) -> None:
        if self.tab is not None:
            await self.browser.close_tab(self.tab.target_id)
        self.tab = await self.browser.create_tab("about:blank")
        await self._evaluate(self.bundle.read_text(encoding="utf-8") + "\n;typeof Plotly")
        self.drawn = 0

    async def _evaluate(self, expression: str, promise: bool = False):
        response = await self.tab.send_command(
            "Runtime.evaluate", params={"expression": expression, "awaitPromise": promise, "returnByValue": True}
        )
        if "error" in response:
            raise ChartError(f"chromium refused the chart: {response['error']}")
        result = response["result"]
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            message = details.get("exception", {}).get("description") or details.get("text")
            raise ChartError(f"plotly.js could not draw the chart: {message}")
        return result["result"].get("value")

    async def _svg(self, figure_json: str) -> str:
        if self.drawn >= RENEW_AFTER:
            await self._new_page()
        self.drawn += 1
        options = json.dumps({"format": "svg", "width": WIDTH, "height": HEIGHT, "imageDataOnly": True})
        return await self._evaluate(f"Plotly.toImage({figure_json}, {options})", promise=True)

    def svg(self, figure_json: str) -> str:
        return self._run(self._svg(figure_json))

    async def _send(self, tab, command: str, **params):
        response = await tab.send_command(command, params=params)
        if "error" in response:
            raise PrintError(f"chromium refused {command}: {response['error']}")
        return response["result"]

    async def _pdf(self, html: str) -> bytes:
        if self.printer is None:
            self.printer = await self.browser.create_tab("about:blank")
            await self._send(self.printer, "Emulation.setScriptExecutionDisabled", value=True)
        path = self.folder / f"report-{next(self.printed)}.html"
        path.write_text(html, encoding="utf-8")
        try:
            await self._send(self.printer, "Page.navigate", url=path.as_uri())
            # The new document, whole, with its fonts: a unique file name tells it from the report printed before.
            loaded = (
                f"location.href === {json.dumps(path.as_uri())} && document.readyState === 'complete' "
                "&& document.fonts.status === 'loaded'"
            )
            for _ in range(int(TIMEOUT / 0.01)):
                state = await self._send(self.printer, "Runtime.evaluate", expression=loaded, returnByValue=True)
                if state["result"].get("value") is True:
                    break
                await asyncio.sleep(0.01)
            else:
                raise PrintError("the report did not load in chromium")
            printed = await self._send(self.printer, "Page.printToPDF", **PRINT_OPTIONS)
        finally:
            path.unlink(missing_ok=True)
        return base64.b64decode(printed["data"])

    def pdf(self, html: str) -> bytes:
        return self._run(self._pdf(html))

    def close(self) -> None:
        try:
            if self.browser is not None and os.getpid() == self.pid:
                self._run(self.browser.close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)
            shutil.rmtree(self.folder, ignore_errors=True)


def _discard(painter: _Painter | None) -> None:
    if painter is not None:
        try:
            painter.close()
        except Exception as exc:  # a browser that is already gone cannot say goodbye
            logging.getLogger(__name__).debug("chart browser closed uncleanly: %s", exc)


def stop() -> None:
    """Close this process's chromium (started again by the next chart)."""
    global _painter
    with _lock:
        painter, _painter = _painter, None
        _discard(painter)


atexit.register(stop)


def for_print(figure: dict) -> dict:
    """The on-screen figure made for paper: a fixed size, no title (the report's heading says it), and lines told
    apart by dash as well as colour, so that a greyscale print still reads."""
    fig = copy.deepcopy(figure)
    layout = fig.setdefault("layout", {})
    layout.update(width=WIDTH, height=HEIGHT, title={"text": ""})
    layout["margin"] = {**layout.get("margin", {}), "t": 16, "b": 64}
    # The last slanted period label ("2. halvår 2021") drawn whole at the paper's fixed width (issue 21); on screen
    # the charts are responsive and plotly's extra layout passes for it would cost every page.
    layout["xaxis"] = {**layout.get("xaxis", {}), "automargin": True}
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    lines = [t for t in fig.get("data", []) if t.get("type", "scatter") == "scatter"]
    for i, trace in enumerate(lines):
        line = trace.setdefault("line", {})
        line.setdefault("dash", dashes[i % len(dashes)])
    return fig


def _with_browser(work, kinds: set[str] | None = None):
    """work(painter) in this process's browser, started if need be; once more in a new browser if it died."""
    global _painter
    with _lock:
        if _painter is not None and _painter.pid != os.getpid():
            _painter = None  # a forked worker: the parent's browser thread did not come along
        for attempt in (1, 2):
            if _painter is None:
                _painter = _Painter()
            if kinds is not None and _painter.bundle.name == "plotly-basic.min.js" and not kinds <= BASIC_TYPES:
                raise ValueError(f"plotly.js's basic bundle cannot draw {sorted(kinds - BASIC_TYPES)}")
            try:
                return work(_painter)
            except (ChartError, PrintError):
                raise  # the figure's or the document's own fault: another browser would refuse it too
            except Exception:
                # No answer in time, or the browser died (killed, out of memory): once more in a new one.
                painter, _painter = _painter, None
                _discard(painter)
                if attempt == 2:
                    raise


def svg(figure: dict) -> bytes:
    """A stored figure drawn for print, as SVG."""
    from plotly.io.json import to_json_plotly

    kinds = {trace.get("type", "scatter") for trace in figure.get("data", [])}
    printed = to_json_plotly(for_print(figure))
    return _with_browser(lambda painter: painter.svg(printed), kinds).encode("utf-8")


def pdf(html: str) -> bytes:
    """A report's HTML (a whole document; its file and font URLs are file://) printed to a tagged PDF."""
    return _with_browser(lambda painter: painter.pdf(html))
