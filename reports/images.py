"""The stored Plotly figures as SVG for the PDF, drawn by plotly.js in Debian's chromium.

One headless chromium per worker process, started at the first chart and driven over its DevTools pipe with
choreographer (the driver kaleido is built on). Kaleido reloads its page after every image, and in a committee report
that reload was about three quarters of a chart's cost (bench/bench_reports.py), so Jobmål keeps one page with
plotly.js loaded and asks it for one figure after another. Plotly.toImage draws each figure in a detached element of
its own and removes it, so one figure cannot change the next; the page is renewed every RENEW_AFTER figures all the
same, so that nothing a long-lived page might keep can grow without bound. A browser that died or stopped answering
is closed and a new one started at the next chart.

The plotly.js is the installed plotly package's version: its basic bundle from npm (scatter, bar, pie: every trace
a goal chart has) when that is the same version, else the package's full bundle. Nothing is fetched from the
network: the page is about:blank with the bundle evaluated into it, and Chromium's own calls home (updates,
accounts) go to a closed local port."""

from __future__ import annotations

import asyncio
import atexit
import copy
import json
import logging
import os
import re
import shutil
import threading
from pathlib import Path

from django.conf import settings

WIDTH, HEIGHT = 760, 380
BASIC_TYPES = {"scatter", "bar", "pie"}  # what plotly.js's basic bundle draws
TIMEOUT = 60  # seconds for starting the browser or drawing one figure; a report's chart takes a few hundredths
RENEW_AFTER = 1000  # figures drawn on one page before it is replaced by a fresh one
_lock = threading.Lock()  # one figure at a time per process: the page has one Plotly
_painter: _Painter | None = None


def _browser() -> str:
    path = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Committee reports draw their charts with Debian's chromium, which is not installed "
                           "(make test / make run install it: apt-get install chromium).")  # fmt: skip
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


class _Painter:
    """A chromium with one page holding plotly.js, run by an event loop on a thread of its own so that the
    synchronous report code can wait on it."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.bundle = bundle()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="jobmaal-charts", daemon=True)
        self.thread.start()
        self.browser = None
        self.tab = None
        self.drawn = 0
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

    def close(self) -> None:
        try:
            if self.browser is not None and os.getpid() == self.pid:
                self._run(self.browser.close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)


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
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    lines = [t for t in fig.get("data", []) if t.get("type", "scatter") == "scatter"]
    for i, trace in enumerate(lines):
        line = trace.setdefault("line", {})
        line.setdefault("dash", dashes[i % len(dashes)])
    return fig


def svg(figure: dict) -> bytes:
    """A stored figure drawn for print, as SVG."""
    from plotly.io.json import to_json_plotly

    global _painter
    kinds = {trace.get("type", "scatter") for trace in figure.get("data", [])}
    printed = to_json_plotly(for_print(figure))
    with _lock:
        if _painter is not None and _painter.pid != os.getpid():
            _painter = None  # a forked worker: the parent's browser thread did not come along
        for attempt in (1, 2):
            if _painter is None:
                _painter = _Painter()
            if _painter.bundle.name == "plotly-basic.min.js" and not kinds <= BASIC_TYPES:
                raise ValueError(f"plotly.js's basic bundle cannot draw {sorted(kinds - BASIC_TYPES)}")
            try:
                drawn = _painter.svg(printed)
                break
            except ChartError:
                raise  # the figure's own fault: another browser would refuse it too
            except Exception:
                # No answer in time, or the browser died (killed, out of memory): once more in a new one.
                painter, _painter = _painter, None
                _discard(painter)
                if attempt == 2:
                    raise
    return drawn.encode("utf-8")
