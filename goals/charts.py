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

# Det Fælles Designsystem's palette: the area in primary blue, comparisons in calmer tones, all AA on white.
COLOURS = ["#0059b3", "#3f3f3f", "#008139", "#b0450e", "#6b2a8c", "#7a6a00"]
TARGET_COLOUR = "#b51d09"
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
    return formats.number_format(
        Decimal(str(round(float(value), decimals))), decimals, use_l10n=True, force_grouping=True
    )


def month(start: dt.date, code: str) -> str:
    """A period as a person reads it: "december 2021", "2. halvår 2021"."""
    if code[4:5] == "M":
        return formats.date_format(start, "F Y")
    if code[4:5] == "H":
        return _("%(n)s. half %(year)s") % {"n": code[5], "year": code[:4]}
    return code


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
) -> Chart:
    """Lines over time, one per series (the area first), with the target as a horizontal line."""
    traces = []
    for i, label in enumerate(dict.fromkeys(frame["series"])):
        part = frame[frame["series"] == label].sort_values("start")
        traces.append({
            "type": "scatter",
            "mode": "lines",
            "name": label,
            "x": [d.isoformat() for d in part["start"]],
            "y": _values(part),
            "line": {"color": COLOURS[i % len(COLOURS)], "dash": DASHES[i % len(DASHES)], "width": 3 if i == 0 else 2},
            "hovertemplate": f"%{{y:,.{decimals}f}} {_unit_suffix(unit)}<extra>{label}</extra>",
        })  # fmt: skip
    layout = _layout(title, unit)
    if target is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": float(target),
                "y1": float(target),
                "line": {"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            }
        ]
        layout["annotations"] = [{"text": target_label or _("Target"), "xref": "paper", "x": 0, "xanchor": "left",
                                  "yref": "y", "y": float(target), "yanchor": "bottom", "showarrow": False,
                                  "font": {"color": TARGET_COLOUR}}]  # fmt: skip
    return Chart(key, title, {"data": traces, "layout": layout}, table(frame, unit, decimals),
                 summarise(title, frame, unit, decimals))  # fmt: skip


def bars(key: str, title: str, frame: pd.DataFrame, *, unit: str, decimals: int = 0) -> Chart:
    """Bars per period, one group per series: for half-yearly figures such as the recruitment survey."""
    traces = []
    for i, label in enumerate(dict.fromkeys(frame["series"])):
        part = frame[frame["series"] == label].sort_values("start")
        traces.append({"type": "bar", "name": label, "x": list(part["period"]), "y": _values(part),
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
        "yaxis": {"title": {"text": _unit_suffix(unit) or None}, "gridcolor": "#e0e0e0", "rangemode": "tozero"},
        "xaxis": {"gridcolor": "#f0f0f0"},
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
        delta = float(last["value"]) - float(year_ago.iloc[0]["value"])
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
