"""The report charts' browser (reports/chromium.py): one page draws figure after figure, is renewed, survives a browser
that dies, and says when plotly.js refuses a figure."""

from __future__ import annotations

import contextlib
import re
import signal

import psutil
import pytest

from reports import chromium


def _figure(n: int, kind: str = "scatter") -> dict:
    return {
        "data": [{"type": kind, "name": f"Serie nummer {n}", "x": ["a", "b", "c"], "y": [n, n + 2, n + 1]}],
        "layout": {"showlegend": True, "title": {"text": "Ikke på papir"}},
    }


def _legend(svg: bytes) -> list[str]:
    return re.findall(r"Serie nummer \d+", svg.decode())


@pytest.fixture
def fresh_browser():
    chromium.stop()
    yield
    chromium.stop()


def test_one_page_draws_figure_after_figure_each_only_itself_and_is_renewed(fresh_browser, monkeypatch):
    monkeypatch.setattr(chromium, "RENEW_AFTER", 3)
    drawn = [chromium.svg(_figure(n, "bar" if n % 2 else "scatter")) for n in range(7)]
    for n, svg in enumerate(drawn):
        assert svg.startswith(b"<svg") and svg.rstrip().endswith(b"</svg>")
        assert _legend(svg) == [f"Serie nummer {n}"]  # nothing of the figures drawn before it on the same page
        assert b"Ikke p\xc3\xa5 papir" not in svg  # for print: the report's heading names the chart
        assert f'width="{chromium.WIDTH}"'.encode() in svg and f'height="{chromium.HEIGHT}"'.encode() in svg
    assert chromium._painter.drawn == 1  # 7 figures, a new page after every 3


def test_a_browser_that_died_is_replaced_and_the_chart_still_drawn(fresh_browser):
    chromium.svg(_figure(1))
    first = chromium._painter.browser.subprocess.pid
    # The whole browser, as the kernel's OOM killer would take it: choreographer's wrapper and every chromium
    # process under it (killing the wrapper alone may leave chromium answering on the pipe it inherited).
    tree = psutil.Process(first)
    for process in [*tree.children(recursive=True), tree]:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGKILL)
    svg = chromium.svg(_figure(2))
    assert _legend(svg) == ["Serie nummer 2"]
    assert chromium._painter.browser.subprocess.pid != first


def test_what_plotly_refuses_is_a_chart_error_and_the_page_draws_on(fresh_browser):
    chromium.svg(_figure(1))
    with pytest.raises(chromium.ChartError, match="plotly.js could not draw"):
        chromium._painter.svg("null")
    with pytest.raises(ValueError, match="cannot draw"):
        chromium.svg({"data": [{"type": "sankey"}]})  # not in the basic bundle a report's page holds
    assert _legend(chromium.svg(_figure(3))) == ["Serie nummer 3"]
