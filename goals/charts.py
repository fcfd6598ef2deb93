"""Chart figures as pure functions: a data frame in, a Plotly figure (as a plain dict), its data table and a
one-sentence summary out. No database here, so they are tested on frames and reused by exports.

A frame has the columns `period` (raw code), `start` (date), `series` (label, in legend order) and `value`; or it
is that already as rows, a list of (series, period, start, value) tuples with None for a missing value, which is
what the chart rebuild passes (goals/rendering.py): the functions loop over plain tuples, as a chart holds a few
hundred figures and pandas' cost per call was most of a rebuild's time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pandas as pd
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from indicators.numbers import rounded

# Det Fælles Designsystem's palette: the area in primary blue, comparisons in calmer tones, all AA on white.
COLOURS = ["#0059b3", "#3f3f3f", "#008139", "#b0450e", "#6b2a8c", "#7a6a00"]
TARGET_COLOUR = "#b51d09"
TARGET = "target"  # the name of a trend chart's target line and its label
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


@dataclass
class Chart:
    key: str
    title: str
    figure: dict
    table: dict  # {"columns": [...], "rows": [[...], ...]} with numbers already formatted for people
    summary: str


def number(value, decimals: int = 1) -> str:
    """A number as a person in the active language reads it (Danish: 1.234,5): what Django's number_format gives,
    written by Python's own formatting with the language's separators. A chart rebuild formats a million figures;
    number_format looks the separators up again for each one (tests/unit/test_charts.py compares the two)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    separators = _separators(translation.get_language())
    if separators is None:  # a grouping other than threes: Django's own
        return formats.number_format(rounded(value, decimals), decimals, use_l10n=True, force_grouping=True)
    shown = rounded(value, decimals)
    # Django writes a negative figure that rounds to zero without its sign ("0,0", not "-0,0").
    return f"{shown if shown else abs(shown):,.{decimals}f}".translate(separators)


@lru_cache(maxsize=8)
def _separators(language: str | None) -> dict | None:
    """The active language's separators as a translation of Python's "1,234.5"; None unless grouped by threes."""
    if formats.get_format("NUMBER_GROUPING", lang=language) != 3:
        return None
    decimal = formats.get_format("DECIMAL_SEPARATOR", lang=language)
    thousands = formats.get_format("THOUSAND_SEPARATOR", lang=language)
    return str.maketrans({",": thousands, ".": decimal})


def month(start: dt.date, code: str) -> str:
    """A period as a person reads it: "december 2021", "2. halvår 2021" (indicators.periods.in_words)."""
    return period_words(code)


def _axis_title(unit: str) -> str:
    # "number" is also a goal's number ("nummer"); the axis of a count says how many ("antal").
    titles = {
        "percent": _("pct."),
        "persons": _("persons"),
        "fulltime": _("full-time persons"),
        "count": pgettext("unit of a count", "number"),
        "rank": _("rank"),
        "index": _("index"),
    }
    return titles.get(unit, unit)


def _unit_suffix(unit: str) -> str:
    return _("pct.") if unit == "percent" else ""


def _rows(frame) -> list[tuple]:
    """A frame as rows (series, period, start, value), None where the value is missing; rows are kept as given."""
    if isinstance(frame, list):
        return frame
    if frame.empty:
        return []
    columns = (frame["series"], frame["period"], frame["start"], frame["value"])
    return [(s, p, start, None if pd.isna(v) else v) for s, p, start, v in zip(*columns, strict=True)]


def _series(rows: list[tuple]) -> dict[str, list[tuple]]:
    """Each series' rows by start (a stable sort: rows of the same start keep their order), in legend order."""
    out: dict[str, list[tuple]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row)
    for label, part in out.items():
        out[label] = sorted(part, key=lambda r: r[2])
    return out


def _values(part: list[tuple]) -> list[float | None]:
    return [None if r[3] is None else float(r[3]) for r in part]


def trend(
    key: str,
    title: str,
    frame,
    *,
    unit: str,
    target: float | None = None,
    target_label: str = "",
    decimals: int = 1,
    index: bool = False,
) -> Chart:
    """Lines over time, one per series (the area first), with the target as a horizontal line. With `index`, counts
    of different sizes (an area, the country) are drawn as an index, 100 in the first period all series have; the
    data table keeps the area's own counts in its first column and the summary says both."""
    rows = counts = _rows(frame)
    if index:
        rows, base, base_start = _indexed(rows)
        target = None if base is None or target is None else target / base * 100
    traces = []
    shown_unit = "index" if index else unit
    for i, (label, part) in enumerate(_series(rows).items()):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": label,
                "x": [r[2].isoformat() for r in part],
                "y": _values(part),
                "customdata": [period_words(r[1], short=True) for r in part],
                "line": {
                    "color": COLOURS[i % len(COLOURS)],
                    "dash": DASHES[i % len(DASHES)],
                    "width": 3 if i == 0 else 2,
                },
                "hovertemplate": f"%{{y:,.{1 if index else decimals}f}} {_unit_suffix(unit) if not index else ''}"
                f"<extra>{label}</extra>",
            }
        )
    layout = _layout(title, shown_unit)
    if index:
        layout["yaxis"]["rangemode"] = "normal"  # an index is read around 100, not from 0
    if index and rows:
        # The base is the first period every series has; there every line is 100.
        at_base = [r for r in rows if r[2] == base_start]
        if at_base:
            layout["yaxis"]["title"]["text"] = _("index (%(period)s = 100)") % {
                "period": period_words(at_base[0][1], short=True)
            }
    if target is not None:
        # Named, so that a page for readers who may not see the municipality's targets can take the line out.
        layout["shapes"] = [
            {
                "type": "line",
                "name": TARGET,
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": float(target),
                "y1": float(target),
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            }
        ]
        layout["annotations"] = [
            {
                "name": TARGET,
                "text": target_label or _("Target"),
                "xref": "paper",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": float(target),
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"color": TARGET_COLOUR},
            }
        ]
    if index:
        data_table = table(counts, unit, decimals)
        summary = (
            summarise(title, counts, unit, decimals)
            + " "
            + _(
                "The lines are drawn as an index so that areas of different size can be compared; the data table holds "
                "the counts."
            )
        )
    else:
        data_table, summary = table(rows, unit, decimals), summarise(title, rows, unit, decimals)
    summary += _gaps(counts)
    return Chart(key, title, {"data": traces, "layout": layout}, data_table, summary)


def without_target(figure: dict) -> dict:
    """The figure without its target line and label (a municipality's own work, not a national figure)."""
    layout = figure.get("layout", {})
    parts = [part for part in ("shapes", "annotations") if part in layout]
    kept = {part: [item for item in layout[part] if item.get("name") != TARGET] for part in parts}
    return {**figure, "layout": {**layout, **kept}} if kept else figure


def _indexed(rows: list[tuple]) -> tuple[list[tuple], float | None, object]:
    """Each series as an index, 100 in the first period every series has a figure; and the first series' value
    then (to draw a target on the same index), and that period's start."""
    labels = list(dict.fromkeys(r[0] for r in rows))
    present: dict[str, set] = {label: set() for label in labels}
    for r in rows:
        if r[3] is not None:
            present[r[0]].add(r[2])
    common = set.intersection(*present.values()) if labels else set()
    if not common:
        return [], None, None
    first = min(common)
    bases: dict[str, float] = {}
    for r in rows:
        if r[2] == first and r[3] is not None:
            bases.setdefault(r[0], float(r[3]))
    out = [(s, p, start, v / bases[s] * 100 if bases[s] and v is not None else None) for s, p, start, v in rows]
    return out, bases[labels[0]], first


def _gaps(rows: list[tuple]) -> str:
    """A sentence on the periods the area's line has no figure for (suppressed or not published), if any."""
    if not rows:
        return ""
    own = rows[0][0]
    missing = sum(1 for r in rows if r[0] == own and r[3] is None)
    if not missing:
        return ""
    return " " + _(
        "%(area)s has no figure for %(n)s of the periods (suppressed to protect individuals, or not published); "
        "the line has a gap there."
    ) % {"area": own, "n": missing}


def bars(key: str, title: str, frame, *, unit: str, decimals: int = 0) -> Chart:
    """Bars per period, one group per series: for half-yearly figures such as the recruitment survey."""
    traces = []
    frame = _rows(frame)
    for i, (label, part) in enumerate(_series(frame).items()):
        traces.append(
            {
                "type": "bar",
                "name": label,
                "x": [period_words(r[1]) for r in part],
                "y": _values(part),
                "marker": {"color": COLOURS[i % len(COLOURS)]},
                "hovertemplate": f"%{{y:,.{decimals}f}}<extra>{label}</extra>",
            }
        )
    layout = _layout(title, unit)
    layout["xaxis"]["type"] = "category"
    return Chart(
        key,
        title,
        {"data": traces, "layout": layout},
        table(frame, unit, decimals),
        summarise(title, frame, unit, decimals),
    )


def ranking(
    key: str,
    title: str,
    rows: list[tuple[str, float | None, bool]],
    *,
    unit: str,
    reference: tuple[str, float | None] | None = None,
    decimals: int = 1,
) -> Chart:
    """Horizontal bars, one per area, in the order given (the comparison's ranking, best first, at the top);
    the reader's own areas in the primary colour, the rest grey; the reference (the whole country) as a line.
    rows: (name, value, own). Areas without a figure are left out of the bars, not drawn as zero."""
    shown = [(name, value, own) for name, value, own in rows if value is not None]
    names = [name for name, _value, _own in shown]
    trace = {
        "type": "bar",
        "orientation": "h",
        "name": title,
        "x": [value for _name, value, _own in shown],
        "y": names,
        "marker": {"color": [COLOURS[0] if own else "#8c8c8c" for _name, _value, own in shown]},
        "hovertemplate": f"%{{y}}: %{{x:,.{decimals}f}}<extra></extra>",
    }
    layout = _layout(title, unit)
    layout.update(
        {
            "height": max(240, 60 + 16 * len(shown)),
            "hovermode": "closest",
            "showlegend": False,
            "margin": {"l": 150, "r": 16, "t": 48, "b": 40},
        }
    )
    layout["yaxis"] = {"autorange": "reversed", "type": "category", "tickfont": {"size": 11}, "automargin": True}
    layout["xaxis"] = {"title": {"text": _unit_suffix(unit) or None}, "gridcolor": "#e0e0e0", "rangemode": "tozero"}
    if reference is not None and reference[1] is not None:
        label, value = reference
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": value,
                "x1": value,
                "y0": 0,
                "y1": 1,
                "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash"},
            }
        ]
        layout["annotations"] = [
            {
                "xref": "x",
                "yref": "paper",
                "x": value,
                "y": 1,
                "yanchor": "bottom",
                "showarrow": False,
                "text": f"{label}: {number(value, decimals)}",
                "font": {"color": TARGET_COLOUR},
            }
        ]
    suffix = f" {_unit_suffix(unit)}".rstrip()
    table_rows = [[name, f"{number(value, decimals)}{suffix}"] for name, value, _own in shown]
    if shown:
        first, last = shown[0], shown[-1]
        summary = _("%(title)s: %(first)s first with %(first_value)s, %(last)s last with %(last_value)s") % {
            "title": title,
            "first": first[0],
            "first_value": f"{number(first[1], decimals)}{suffix}",
            "last": last[0],
            "last_value": f"{number(last[1], decimals)}{suffix}",
        }
        if reference is not None and reference[1] is not None:
            value = f"{number(reference[1], decimals)}{suffix}"
            summary += "; " + _("%(label)s: %(value)s") % {"label": reference[0], "value": value}
        summary += "" if summary.endswith(".") else "."  # "pct." ends the sentence already
    else:
        summary = _("%(title)s: no figures.") % {"title": title}
    return Chart(
        key,
        title,
        {"data": [trace], "layout": layout},
        {"columns": [_("Area"), _("Value")], "rows": table_rows},
        summary,
    )


def _layout(title: str, unit: str) -> dict:
    # Plain Plotly figure dicts rather than graph_objects: a tenth of the build time and no default template in
    # the stored JSON; tests/unit/test_charts.py checks every figure against plotly's schema.
    return {
        "title": {"text": title, "font": {"size": 16}},
        "separators": ",." if translation.get_language() != "en" else ".,",
        "font": {"family": "IBMPlexSans, Arial, sans-serif", "color": "#1a1a1a"},
        "margin": {"l": 56, "r": 16, "t": 48, "b": 40},
        "legend": {"orientation": "h", "y": -0.15},
        "hovermode": "x unified",
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "height": 360,
        # Whole numbers with a thousands separator, never an SI suffix ("5k"); the unit on the axis.
        "yaxis": {
            "title": {"text": _axis_title(unit)},
            "gridcolor": "#e0e0e0",
            "rangemode": "tozero",
            "exponentformat": "none",
            "separatethousands": True,
        },
        "xaxis": {"gridcolor": "#f0f0f0", "hoverformat": "%b %Y"},
    }


def table(frame, unit: str, decimals: int = 1) -> dict:
    """The chart's data as a table: a row per period (every period any series has, by start), a column per series;
    a missing figure is a dash, never a row left out."""
    rows = _rows(frame)
    if not rows:
        return {"columns": [_("Period")], "rows": []}
    cells: dict[tuple, dict[str, object]] = {}
    for s, p, start, v in rows:
        cells.setdefault((start, p), {}).setdefault(s, v)  # the first of a repeated figure, as drop_duplicates kept
    order = list(dict.fromkeys(r[0] for r in rows))
    out = [
        [month(start, code), *(number(cells[start, code].get(s), decimals) for s in order)]
        for start, code in sorted(cells)
    ]
    suffix = f" ({_unit_suffix(unit)})" if _unit_suffix(unit) else ""
    return {"columns": [_("Period"), *(f"{s}{suffix}" for s in order)], "rows": out}


def summarise(title: str, frame, unit: str, decimals: int = 1) -> str:
    """One sentence for screen readers and the page: the area's latest figure, its change over a year, and the
    first comparison series."""
    rows = _rows(frame)
    labels = list(dict.fromkeys(r[0] for r in rows))
    if not labels:
        return _("%(title)s: no figures yet.") % {"title": title}
    own = sorted((r for r in rows if r[0] == labels[0] and r[3] is not None), key=lambda r: r[2])
    if not own:
        return _("%(title)s: no figures for %(area)s yet.") % {"title": title, "area": labels[0]}
    last = own[-1]
    year_ago = [r for r in own if r[2] == _year_before(last[2])]
    suffix = f" {_unit_suffix(unit)}" if _unit_suffix(unit) else ""
    text = _("%(title)s, %(area)s: %(value)s%(unit)s in %(period)s") % {
        "title": title,
        "area": labels[0],
        "value": number(last[3], decimals),
        "unit": suffix,
        "period": month(last[2], last[1]),
    }
    if year_ago:
        # In decimals, as the card computes it, so that caption and card round the same difference the same way.
        delta = rounded(last[3], 6) - rounded(year_ago[0][3], 6)
        points = _("percentage points") if unit == "percent" else ""
        if delta > 0:
            text += ", " + _("up %(n)s %(unit)s on a year before") % {"n": number(abs(delta), decimals), "unit": points}
        elif delta < 0:
            text += ", " + _("down %(n)s %(unit)s on a year before") % {
                "n": number(abs(delta), decimals),
                "unit": points,
            }
        else:
            text += ", " + _("unchanged on a year before")
    if len(labels) > 1:
        other = [r for r in rows if r[0] == labels[1] and r[2] == last[2]]
        if other and other[0][3] is not None:
            text += "; " + _("%(area)s: %(value)s%(unit)s") % {
                "area": labels[1],
                "value": number(other[0][3], decimals),
                "unit": suffix,
            }
    return " ".join(text.split()).rstrip(".") + "."


def _year_before(start: dt.date) -> dt.date:
    return start.replace(year=start.year - 1)


def period_words(code: str, *, short: bool = False) -> str:
    """Any period code in words (indicators.periods.in_words): "four quarters to Q2 2021", "Q2 2021" when short.
    Kept per language: a rebuild names the same hundred periods in every chart of every area."""
    return _period_words(code, short, translation.get_language())


@lru_cache(maxsize=4096)
def _period_words(code: str, short: bool, language: str | None) -> str:
    from indicators import periods

    return periods.in_words(code, short=short)  # in the active language, which is `language`


def signed(value, decimals: int = 2) -> str:
    """A difference with its sign, as the tables show it: +0,20, −0,16, ±0,00."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{number(abs(value), decimals)}"


@dataclass(frozen=True)
class Point:
    name: str
    expected: Decimal | float | None  # x, pct.
    actual: Decimal | float | None  # y, pct.
    difference: Decimal | float | None = None  # as published (ranked on unrounded figures); else actual − expected
    own: bool = False

    @property
    def gap(self) -> Decimal | None:
        if self.difference is not None:
            return Decimal(str(self.difference))
        if self.expected is None or self.actual is None:
            return None
        return Decimal(str(self.actual)) - Decimal(str(self.expected))


OTHERS_COLOUR = "#6f6f6f"  # 5:1 on white: the points of the other municipalities stay visible (non-text contrast)


def scatter(key: str, title: str, points: list[Point], *, subtitle: str = "", decimals: int = 2) -> Chart:
    """Expected (x) against actual (y) share, a point per municipality, with the diagonal actual = expected: a point
    below it does better than expected. The reader's own municipalities as labelled diamonds in the primary colour.
    The subtitle (what and when) goes on a line of its own, so the title fits on a phone."""
    shown = [p for p in points if p.expected is not None and p.actual is not None]
    pct, points_unit = _("pct."), _("percentage points")
    expected, actual, difference = _("Expected"), _("Actual"), _("Difference")
    hover = (
        f"<b>%{{text}}</b><br>{expected}: %{{x:,.{decimals}f}} {pct}<br>{actual}: "
        f"%{{y:,.{decimals}f}} {pct}<br>{difference}: %{{customdata:+,.{decimals}f}} {points_unit}"
        "<extra></extra>"
    )
    traces = []
    for own in (False, True):
        part = [p for p in shown if p.own == own]
        if not part:
            continue
        trace = {
            "type": "scatter",
            "mode": "markers+text" if own else "markers",
            "name": ", ".join(p.name for p in part) if own else _("Other municipalities"),
            "x": [float(p.expected) for p in part],
            "y": [float(p.actual) for p in part],
            "text": [p.name for p in part],
            "customdata": [float(p.gap) for p in part],
            "hovertemplate": hover,
            "marker": {"color": COLOURS[0], "size": 15, "symbol": "diamond", "line": {"color": "#ffffff", "width": 1.5}}
            if own
            else {"color": OTHERS_COLOUR, "size": 8, "symbol": "circle", "opacity": 0.85},
        }
        if own:
            trace.update({"textposition": "top center", "textfont": {"color": COLOURS[0], "size": 13}})
        traces.append(trace)
    layout = _layout(title, "percent")
    layout.update({"hovermode": "closest", "height": 480, "margin": {"l": 64, "r": 16, "t": 72, "b": 56}})
    if subtitle:
        layout["title"]["subtitle"] = {"text": subtitle}
        title = f"{title}, {subtitle}"
    layout["legend"] = {"orientation": "h", "y": -0.22}
    if shown:
        values = [float(v) for p in shown for v in (p.expected, p.actual)]
        pad = max((max(values) - min(values)) * 0.05, 0.1)
        low, high = max(0.0, min(values) - pad), max(values) + pad
        traces.insert(
            0,
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Actual = expected"),
                "x": [low, high],
                "y": [low, high],
                "hoverinfo": "skip",
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            },
        )
        layout["annotations"] = [
            {
                "x": high,
                "y": high,
                "xanchor": "right",
                "yanchor": "top",
                "xshift": -12,
                "showarrow": False,
                "bgcolor": "rgba(255, 255, 255, 0.9)",
                "text": _("Actual = expected"),
                "font": {"color": TARGET_COLOUR},
            },
            {
                "x": high,
                "y": low,
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "text": _("Below the line: better than expected"),
                "font": {"color": "#3f3f3f"},
            },
        ]
        axis = {"range": [low, high], "gridcolor": "#e0e0e0", "hoverformat": f",.{decimals}f", "zeroline": False}
        layout["xaxis"] = {**axis, "title": {"text": _("Expected share (pct.)")}}
        layout["yaxis"] = {**axis, "title": {"text": _("Actual share (pct.)")}}
    rows = [[p.name, number(p.expected, decimals), number(p.actual, decimals), signed(p.gap, decimals)] for p in shown]
    columns = [_("Municipality"), _("Expected share (pct.)"), _("Actual share (pct.)"), _("Difference (pct. points)")]
    return Chart(
        key,
        title,
        {"data": traces, "layout": layout},
        {"columns": columns, "rows": rows},
        _scatter_summary(title, shown, decimals),
    )


def _scatter_summary(title: str, shown: list[Point], decimals: int) -> str:
    if not shown:
        return _("%(title)s: no figures.") % {"title": title}
    better = [p for p in shown if p.gap < 0]
    text = _(
        "%(title)s: %(better)s of %(count)s municipalities have a smaller actual share than expected (below the line)"
    ) % {"title": title, "better": len(better), "count": len(shown)}
    below, above = min(shown, key=lambda p: p.gap), max(shown, key=lambda p: p.gap)
    unit = _("percentage points")
    if below.gap < 0:
        text += "; " + _("furthest below: %(name)s (%(gap)s %(unit)s)") % {
            "name": below.name,
            "gap": signed(below.gap, decimals),
            "unit": unit,
        }
    if above.gap > 0:
        text += "; " + _("furthest above: %(name)s (%(gap)s %(unit)s)") % {
            "name": above.name,
            "gap": signed(above.gap, decimals),
            "unit": unit,
        }
    for p in shown:
        if p.own:
            text += "; " + _("%(name)s: expected %(expected)s, actual %(actual)s pct.") % {
                "name": p.name,
                "expected": number(p.expected, decimals),
                "actual": number(p.actual, decimals),
            }
    return text.rstrip(".") + "."


def rank_history(
    key: str, title: str, area: str, history: list[tuple[str, int | None, Decimal | float | None]], *, total: int = 98
) -> Chart:
    """One municipality's benchmark rank in every period (oldest first; rows: period code, rank, difference in pct.
    points), rank 1 at the top; shaded, the range of the four periods before the latest (a latest rank inside it is
    noise, not news)."""
    from indicators import benchmark

    labels = [period_words(code, short=True) for code, _rank, _diff in history]
    ranks = [rank for _code, rank, _diff in history]
    rank, difference, points = _("rank"), _("Difference"), _("percentage points")
    trace = {
        "type": "scatter",
        "mode": "lines+markers+text",
        "name": area,
        "x": labels,
        "y": ranks,
        "text": ["" if r is None else str(r) for r in ranks],
        "textposition": "top center",
        "textfont": {"size": 11, "color": COLOURS[0]},
        "customdata": [None if d is None else float(d) for _code, _rank, d in history],
        "line": {"color": COLOURS[0], "width": 3},
        "marker": {"color": COLOURS[0], "size": 8},
        "hovertemplate": f"%{{x}}: {rank} %{{y}}<br>{difference}: %{{customdata:+,.2f}} {points}<extra>{area}</extra>",
    }
    layout = _layout(area, "rank")
    layout["title"]["subtitle"] = {"text": title}  # the name first: a long title does not fit on a phone
    layout.update({"hovermode": "closest", "showlegend": False, "margin": {"l": 64, "r": 16, "t": 72, "b": 56}})
    layout["xaxis"] = {
        "type": "category",
        "range": [-0.5, len(labels) - 0.5],  # every period, and no more: the band's label must not widen it
        "gridcolor": "#f0f0f0",
        "automargin": True,
        "title": {"text": _("Four quarters ending with")},
    }
    layout["yaxis"] = {
        "range": [total + 0.5, 0.5],
        "automargin": True,
        "title": {"text": _("Rank (1 = furthest below expected)")},
        "tickvals": [1, *range(10, total, 10), total],
        "gridcolor": "#e0e0e0",
        "zeroline": False,
    }
    spread = benchmark.rank_range(ranks)
    if spread is not None:
        ranked = [i for i, r in enumerate(ranks) if r is not None]
        before = ranked[-1 - benchmark.RANGE_PERIODS : -1]
        layout["shapes"] = [
            {
                "type": "rect",
                "layer": "below",
                "xref": "x",
                "yref": "y",
                "x0": before[0] - 0.4,
                "x1": ranked[-1] + 0.4,
                "y0": spread.low - 0.5,
                "y1": spread.high + 0.5,
                "fillcolor": "rgba(0, 89, 179, 0.12)",
                "line": {"width": 0},
            }
        ]
        layout["annotations"] = [
            {
                "xref": "x",
                "yref": "y",
                "x": ranked[-1] + 0.4,  # right-aligned with the band: inside the plot on a phone too
                "xanchor": "right",
                "bgcolor": "rgba(255, 255, 255, 0.9)",
                "y": spread.high + 0.5,
                "yanchor": "top",
                "showarrow": False,
                "text": _("Range of the four periods before: %(low)s–%(high)s")
                % {"low": spread.low, "high": spread.high},
                "font": {"color": "#1a1a1a"},
            }
        ]
    rows = [[period_words(code), "–" if rank is None else str(rank), signed(diff)] for code, rank, diff in history]
    columns = [_("Period"), _("Rank"), _("Difference (pct. points)")]
    return Chart(
        key,
        title,
        {"data": [trace], "layout": layout},
        {"columns": columns, "rows": rows},
        _history_summary(title, area, history, spread),
    )


def _history_summary(title: str, area: str, history: list, spread) -> str:
    ranked = [(code, rank) for code, rank, _diff in history if rank is not None]
    if not ranked:
        return _("%(title)s, %(area)s: no ranks.") % {"title": title, "area": area}
    code, rank = ranked[-1]
    text = _("%(title)s, %(area)s: rank %(rank)s in %(period)s") % {
        "title": title,
        "area": area,
        "rank": rank,
        "period": period_words(code),
    }
    if spread is not None and spread.move:
        n = abs(spread.move)
        text += ", " + (
            _("up %(n)s places on the period before")
            if spread.move > 0
            else _("down %(n)s places on the period before")
        ) % {"n": n}
    elif spread is not None:
        text += ", " + _("unchanged on the period before")
    best, worst = min(ranked, key=lambda r: r[1]), max(ranked, key=lambda r: r[1])
    text += "; " + _("best %(best)s (%(best_period)s), worst %(worst)s (%(worst_period)s)") % {
        "best": best[1],
        "best_period": period_words(best[0]),
        "worst": worst[1],
        "worst_period": period_words(worst[0]),
    }
    if spread is not None:
        words = {"low": spread.low, "high": spread.high}
        text += "; " + (
            _("within the range %(low)s–%(high)s of the four periods before (noise, not news)") % words
            if spread.is_noise
            else _("outside the range %(low)s–%(high)s of the four periods before (news)") % words
        )
    return text + "."
