"""The stored Plotly figures as SVG for the PDF, drawn by kaleido in Debian's chromium: one warm browser per worker
process (`kaleido.start_sync_server`), not one browser per image, and nothing fetched from the network.

The plotly.js is the installed plotly package's version: its basic bundle from npm (scatter, bar, pie: every trace
a goal chart has) when that is the same version, else the package's full bundle. Kaleido loads the page again after
every image, so a quarter of the JavaScript makes each image about 40 % cheaper (bench/bench_reports.py)."""

from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import threading
from pathlib import Path

from django.conf import settings

_lock = threading.Lock()  # the server answers one figure at a time; replies could be swapped between threads
_started = False
WIDTH, HEIGHT = 760, 380
BASIC_TYPES = {"scatter", "bar", "pie"}  # what plotly.js's basic bundle draws
_bundle: Path | None = None


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
    """The plotly.js kaleido loads: the basic bundle when it is the installed package's version, else the full one."""
    import plotly

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    basic = settings.NODE_MODULES / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
    return basic if basic.exists() and _version(basic) == _version(full) else full


def _start() -> None:
    global _started, _bundle
    if _started:
        return
    import kaleido

    for name in ("choreographer", "kaleido", "logistro"):  # their start and stop are told at INFO, line by line
        logging.getLogger(name).setLevel(logging.WARNING)
    kaleido.start_sync_server(
        n=1,
        timeout=90,
        silence_warnings=True,
        path=_browser(),
        plotlyjs=str(_bundle := bundle()),
        mathjax=False,  # else a CDN's MathJax
        # Chromium's own calls home (updates, accounts) go to a closed local port; file:// pages are unaffected.
        proxy_server="127.0.0.1:9",
    )
    _started = True


def stop() -> None:
    global _started
    if _started:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


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
    import kaleido

    with _lock:
        _start()
        kinds = {trace.get("type", "scatter") for trace in figure.get("data", [])}
        if _bundle is not None and _bundle.name == "plotly-basic.min.js" and not kinds <= BASIC_TYPES:
            raise ValueError(f"plotly.js's basic bundle cannot draw {sorted(kinds - BASIC_TYPES)}")
        return kaleido.calc_fig_sync(for_print(figure), opts={"format": "svg", "width": WIDTH, "height": HEIGHT})
