"""Chart figures as pure functions: a data frame in, a Plotly figure (as a plain dict), its data table and a
one-sentence summary out. No database here, so they are tested on frames and reused by exports.

A frame has the columns `period` (raw code), `start` (date), `series` (label, in legend order) and `value`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

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
    """A number as a person in the active language reads it (Danish: 1.234,5)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return formats.number_format(rounded(value, decimals), decimals, use_l10n=True, force_grouping=True)


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


def _values(part: pd.DataFrame) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in part["value"]]


def trend(
    key: str,
    title: str,
    frame: pd.DataFrame,
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
    counts = frame
    if index:
        frame, base, base_start = _indexed(frame)
        target = None if base is None or target is None else target / base * 100
    traces = []
    shown_unit = "index" if index else unit
    for i, label in enumerate(dict.fromkeys(frame["series"])):
        part = frame[frame["series"] == label].sort_values("start")
        traces.append({
            "type": "scatter",
            "mode": "lines",
            "name": label,
            "x": [d.isoformat() for d in part["start"]],
            "y": _values(part),
            "customdata": [period_words(code, short=True) for code in part["period"]],
            "line": {"color": COLOURS[i % len(COLOURS)], "dash": DASHES[i % len(DASHES)], "width": 3 if i == 0 else 2},
            "hovertemplate": f"%{{y:,.{1 if index else decimals}f}} {_unit_suffix(unit) if not index else ''}"
                             f"<extra>{label}</extra>",
        })  # fmt: skip
    layout = _layout(title, shown_unit)
    if index:
        layout["yaxis"]["rangemode"] = "normal"  # an index is read around 100, not from 0
    if index and len(frame):
        # The base is the first period every series has; there every line is 100.
        at_base = frame[frame["start"] == base_start]
        if len(at_base):
            layout["yaxis"]["title"]["text"] = _("index (%(period)s = 100)") % {
                "period": period_words(at_base.iloc[0]["period"], short=True)
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
        data_table, summary = table(frame, unit, decimals), summarise(title, frame, unit, decimals)
    summary += _gaps(counts)
    return Chart(key, title, {"data": traces, "layout": layout}, data_table, summary)


def without_target(figure: dict) -> dict:
    """The figure without its target line and label (a municipality's own work, not a national figure)."""
    layout = figure.get("layout", {})
    parts = [part for part in ("shapes", "annotations") if part in layout]
    kept = {part: [item for item in layout[part] if item.get("name") != TARGET] for part in parts}
    return {**figure, "layout": {**layout, **kept}} if kept else figure


def _indexed(frame: pd.DataFrame) -> tuple[pd.DataFrame, float | None, object]:
    """Each series as an index, 100 in the first period every series has a figure; and the first series' value
    then (to draw a target on the same index), and that period's start."""
    present = frame.dropna(subset=["value"])
    labels = list(dict.fromkeys(frame["series"]))
    common = set.intersection(*(set(present.loc[present["series"] == s, "start"]) for s in labels)) if labels else set()
    if not common:
        return frame.iloc[0:0], None, None
    first = min(common)
    at_first = present[present["start"] == first]
    bases = {s: float(at_first[at_first["series"] == s]["value"].iloc[0]) for s in labels}
    out = frame.copy()
    out["value"] = [
        v / bases[s] * 100 if bases[s] and pd.notna(v) else None
        for v, s in zip(out["value"], out["series"], strict=True)
    ]
    return out, bases[labels[0]], first


def _gaps(frame: pd.DataFrame) -> str:
    """A sentence on the periods the area's line has no figure for (suppressed or not published), if any."""
    labels = list(dict.fromkeys(frame["series"]))
    if not labels:
        return ""
    own = frame[frame["series"] == labels[0]]
    missing = own[own["value"].isna()]
    if missing.empty:
        return ""
    return " " + _(
        "%(area)s has no figure for %(n)s of the periods (suppressed to protect individuals, or not published); "
        "the line has a gap there."
    ) % {"area": labels[0], "n": len(missing)}


def bars(key: str, title: str, frame: pd.DataFrame, *, unit: str, decimals: int = 0) -> Chart:
    """Bars per period, one group per series: for half-yearly figures such as the recruitment survey."""
    traces = []
    for i, label in enumerate(dict.fromkeys(frame["series"])):
        part = frame[frame["series"] == label].sort_values("start")
        traces.append({"type": "bar", "name": label, "x": [period_words(p) for p in part["period"]],
                       "y": _values(part),
                       "marker": {"color": COLOURS[i % len(COLOURS)]},
                       "hovertemplate": f"%{{y:,.{decimals}f}}<extra>{label}</extra>"})  # fmt: skip
    layout = _layout(title, unit)
    layout["xaxis"]["type"] = "category"
    return Chart(key, title, {"data": traces, "layout": layout}, table(frame, unit, decimals),
                 summarise(title, frame, unit, decimals))  # fmt: skip


def ranking(key: str, title: str, rows: list[tuple[str, float | None, bool]], *, unit: str,
            reference: tuple[str, float | None] | None = None, decimals: int = 1) -> Chart:  # fmt: skip
    """Horizontal bars, one per area, in the order given (the comparison's ranking, best first, at the top);
    the reader's own areas in the primary colour, the rest grey; the reference (the whole country) as a line.
    rows: (name, value, own). Areas without a figure are left out of the bars, not drawn as zero."""
    shown = [(name, value, own) for name, value, own in rows if value is not None]
    names = [name for name, _value, _own in shown]
    trace = {
        "type": "bar", "orientation": "h", "name": title, "x": [value for _name, value, _own in shown], "y": names,
        "marker": {"color": [COLOURS[0] if own else "#8c8c8c" for _name, _value, own in shown]},
        "hovertemplate": f"%{{y}}: %{{x:,.{decimals}f}}<extra></extra>",
    }  # fmt: skip
    layout = _layout(title, unit)
    layout.update({"height": max(240, 60 + 16 * len(shown)), "hovermode": "closest", "showlegend": False,
                   "margin": {"l": 150, "r": 16, "t": 48, "b": 40}})  # fmt: skip
    layout["yaxis"] = {"autorange": "reversed", "type": "category", "tickfont": {"size": 11}, "automargin": True}
    layout["xaxis"] = {"title": {"text": _unit_suffix(unit) or None}, "gridcolor": "#e0e0e0", "rangemode": "tozero"}
    if reference is not None and reference[1] is not None:
        label, value = reference
        layout["shapes"] = [{"type": "line", "xref": "x", "yref": "paper", "x0": value, "x1": value, "y0": 0,
                             "y1": 1, "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash"}}]  # fmt: skip
        layout["annotations"] = [{"xref": "x", "yref": "paper", "x": value, "y": 1, "yanchor": "bottom",
                                  "showarrow": False, "text": f"{label}: {number(value, decimals)}",
                                  "font": {"color": TARGET_COLOUR}}]  # fmt: skip
    suffix = f" {_unit_suffix(unit)}".rstrip()
    table_rows = [[name, f"{number(value, decimals)}{suffix}"] for name, value, _own in shown]
    if shown:
        first, last = shown[0], shown[-1]
        summary = _("%(title)s: %(first)s first with %(first_value)s, %(last)s last with %(last_value)s") % {
            "title": title, "first": first[0], "first_value": f"{number(first[1], decimals)}{suffix}",
            "last": last[0], "last_value": f"{number(last[1], decimals)}{suffix}"}  # fmt: skip
        if reference is not None and reference[1] is not None:
            value = f"{number(reference[1], decimals)}{suffix}"
            summary += "; " + _("%(label)s: %(value)s") % {"label": reference[0], "value": value}
        summary += "" if summary.endswith(".") else "."  # "pct." ends the sentence already
    else:
        summary = _("%(title)s: no figures.") % {"title": title}
    return Chart(key, title, {"data": [trace], "layout": layout}, {"columns": [_("Area"), _("Value")],
                 "rows": table_rows}, summary)  # fmt: skip


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


def table(frame: pd.DataFrame, unit: str, decimals: int = 1) -> dict:
    """The chart's data as a table: a row per period, a column per series."""
    if frame.empty:
        return {"columns": [_("Period")], "rows": []}
    # pivot, not pivot_table: a missing figure must stay a row with a dash, not vanish from the table.
    unique = frame.drop_duplicates(["start", "period", "series"])
    wide = unique.pivot(index=["start", "period"], columns="series", values="value")
    order = [s for s in dict.fromkeys(frame["series"]) if s in wide.columns]
    wide = wide[order].sort_index()
    rows = [
        [month(start, code), *(number(v, decimals) for v in values)]
        for (start, code), values in zip(wide.index, wide.itertuples(index=False), strict=True)
    ]
    suffix = f" ({_unit_suffix(unit)})" if _unit_suffix(unit) else ""
    return {"columns": [_("Period"), *(f"{s}{suffix}" for s in order)], "rows": rows}


def summarise(title: str, frame: pd.DataFrame, unit: str, decimals: int = 1) -> str:
    """One sentence for screen readers and the page: the area's latest figure, its change over a year, and the
    first comparison series."""
    labels = list(dict.fromkeys(frame["series"]))
    if not labels:
        return _("%(title)s: no figures yet.") % {"title": title}
    own = frame[(frame["series"] == labels[0]) & frame["value"].notna()].sort_values("start")
    if own.empty:
        return _("%(title)s: no figures for %(area)s yet.") % {"title": title, "area": labels[0]}
    last = own.iloc[-1]
    year_ago = own[own["start"] == _year_before(last["start"])]
    suffix = f" {_unit_suffix(unit)}" if _unit_suffix(unit) else ""
    text = _("%(title)s, %(area)s: %(value)s%(unit)s in %(period)s") % {
        "title": title,
        "area": labels[0],
        "value": number(last["value"], decimals),
        "unit": suffix,
        "period": month(last["start"], last["period"]),
    }
    if not year_ago.empty:
        # In decimals, as the card computes it, so that caption and card round the same difference the same way.
        delta = rounded(last["value"], 6) - rounded(year_ago.iloc[0]["value"], 6)
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
        other = frame[(frame["series"] == labels[1]) & (frame["start"] == last["start"])]
        if not other.empty and pd.notna(other.iloc[0]["value"]):
            text += "; " + _("%(area)s: %(value)s%(unit)s") % {
                "area": labels[1],
                "value": number(other.iloc[0]["value"], decimals),
                "unit": suffix,
            }
    return " ".join(text.split()).rstrip(".") + "."


def _year_before(start: dt.date) -> dt.date:
    return start.replace(year=start.year - 1)


def period_words(code: str, *, short: bool = False) -> str:
    """Any period code in words (indicators.periods.in_words): "four quarters to Q2 2021", "Q2 2021" when short."""
    from indicators import periods

    return periods.in_words(code, short=short)


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
