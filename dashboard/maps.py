"""The comparison as a map: the 98 municipalities coloured by the figure the comparison shows (or its change on a
year before), drawn by plotly as SVG from the stored outlines (shipped in municipalities/data, loaded with the
reference data). No tiles and no map server: plotly's `geo` with its base map switched off draws nothing but these
outlines.

Colours are colour-blind safe and read the same way whatever the indicator's direction: on the value map (Viridis)
the better end is dark purple, on the change map (ColorBrewer PuOr, centred on no change) a change for the better
is purple and for the worse orange. Municipalities the filter leaves out, or without a figure, are grey and carry
no colour scale value. The table on the page holds the same figures, for keyboards and screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.comparison import Comparison, Row
from goals.templatetags.jobmaal import change as change_text
from goals.templatetags.jobmaal import figure as figure_text
from indicators.models import Indicator
from municipalities.models import Boundary

MODES = {"vaerdi": gettext_lazy("Value"), "aendring": gettext_lazy("Change on a year before")}
VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"]
PUOR = [
    "#7f3b08",
    "#b35806",
    "#e08214",
    "#fdb863",
    "#fee0b6",
    "#f7f7f7",
    "#d8daeb",
    "#b2abd2",
    "#8073ac",
    "#542788",
    "#2d004b",
]
GREY = "#b3b3b3"
BORDER = "#6f6f6f"


@dataclass
class Map:
    mode: str
    figure: dict | None = None
    summary: str = ""
    attribution: str = ""
    notice: str = ""  # why there is no map
    legend: Legend | None = None
    modes: ClassVar[dict] = MODES


@dataclass
class Legend:
    """The colour scale under the map, in HTML: plotly's colour bar sets a style attribute, which the strict CSP
    refuses. The bar runs from `low` (left) to `high`; its CSS class (static/css/jobmaal.css) names the colours."""

    scale: str  # viridis, viridis-r, puor, puor-r
    title: str
    low: str
    high: str
    middle: str = ""  # no change, in the middle of a diverging scale
    grey: bool = False


def comparison_map(result: Comparison, *, mode: str | None = None) -> Map:
    """The map of a comparison at the municipality level; `mode` "aendring" colours the change on a year before.
    Each municipality's link is its row's (set only for readers allowed to open it)."""
    mode = mode if mode in MODES else "vaerdi"
    if result.level != "kommuner":
        return Map(mode, notice=_("The map shows municipalities only: choose Municipalities under Areas to see it."))
    outlines = list(Boundary.objects.values_list("municipality_id", "municipality__name", "geometry", "source"))
    if not outlines:
        # Stored with the reference data (municipalities/data); a person is never told to run a command.
        return Map(
            mode, notice=_("The map cannot be shown: the municipal boundaries are missing. The table has every figure.")
        )
    unit, polarity = result.indicator.unit, result.indicator.polarity
    rows = {row.area.municipality_id: row for row in result.rows}

    def shown(row: Row | None) -> Decimal | None:
        if row is None:
            return None
        return row.change if mode == "aendring" else row.value

    def text(value: Decimal | None) -> str:
        return change_text(value, unit) if mode == "aendring" else figure_text(value, unit)

    coloured, grey = [], []
    for code, name, geometry, _source in outlines:
        row = rows.get(code)
        value = shown(row)
        feature = {"type": "Feature", "id": code, "properties": {}, "geometry": geometry}
        if value is not None:
            coloured.append((code, feature, float(value), [name, text(value), row.link or ""]))
        else:
            note = _("not among the areas shown") if row is None else _("no figure")
            grey.append((code, feature, 0, [name, note, (row.link or "") if row else ""]))
    traces, legend = [], None
    if grey:
        traces.append(_trace("grey", grey, colorscale=[[0, GREY], [1, GREY]], zmin=0, zmax=1))
    if coloured:
        values = [z for _code, _feature, z, _data in coloured]
        low, high = min(values), max(values)
        if mode == "aendring":  # symmetric around no change, so that white is no change
            high = max(abs(low), abs(high)) or 1.0
            low = -high
        reverse = _reversed(mode, polarity)
        scale = "puor" if mode == "aendring" else "viridis"
        traces.append(
            _trace(
                "values",
                coloured,
                colorscale=_steps(PUOR if mode == "aendring" else VIRIDIS),
                reversescale=reverse,
                zmin=low,
                zmax=high,
            )
        )
        legend = Legend(
            scale=f"{scale}-r" if reverse else scale,
            title=str(MODES[mode]),
            low=text(Decimal(str(low))),
            high=text(Decimal(str(high))),
            middle=text(Decimal(0)) if mode == "aendring" else "",
            grey=bool(grey),
        )
    layout = {
        "separators": ",." if translation.get_language() != "en" else ".,",
        "font": {"family": "IBMPlexSans, Arial, sans-serif", "color": "#1a1a1a"},
        "margin": {"l": 0, "r": 0, "t": 8, "b": 8},
        "height": 560,
        "dragmode": False,  # the page scrolls under a finger; the table is there for the details
        "paper_bgcolor": "#ffffff",
        "showlegend": False,
        "geo": {"visible": False, "projection": {"type": "mercator"}, "bgcolor": "#ffffff", **_bounds(outlines)},
    }
    sources = sorted({source for _code, _name, _geometry, source in outlines})
    return Map(
        mode,
        {"data": traces, "layout": layout},
        _summary(result, mode, shown, text, coloured, grey),
        "; ".join(sources),
        legend=legend,
    )


def _bounds(outlines: list[tuple]) -> dict:
    """The view: every outline, Bornholm included, with a little sea around. Not plotly's `fitbounds`, which fits
    them into a frame shaped for the whole world and leaves a third of the height empty."""
    lons, lats = [], []
    for _code, _name, geometry, _source in outlines:
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            lons += [lon for lon, _lat in polygon[0]]
            lats += [lat for _lon, lat in polygon[0]]
    pad = 0.1
    return {
        "lonaxis": {"range": [min(lons) - pad, max(lons) + pad]},
        "lataxis": {"range": [min(lats) - pad / 2, max(lats) + pad / 2]},
    }


def _trace(uid: str, items: list[tuple], **colour) -> dict:
    return {
        "type": "choropleth",
        "uid": uid,
        "geojson": {"type": "FeatureCollection", "features": [feature for _code, feature, _z, _data in items]},
        "locations": [code for code, _feature, _z, _data in items],
        "z": [z for _code, _feature, z, _data in items],
        "customdata": [data for _code, _feature, _z, data in items],
        "hovertemplate": "%{customdata[0]}<br>%{customdata[1]}<extra></extra>",  # no <b>: a style attribute
        "marker": {"line": {"color": BORDER, "width": 0.4}},
        "showscale": False,  # the legend is HTML under the map
        **colour,
    }


def _reversed(mode: str, polarity: str) -> bool:
    """Whether the scale runs the other way, so that the better end is purple: Viridis starts dark purple at the
    lowest value, PuOr ends purple at the highest."""
    if mode == "aendring":
        return polarity == Indicator.Polarity.LOWER_BETTER
    return polarity != Indicator.Polarity.LOWER_BETTER  # higher is better, or a size: the largest darkest


def _steps(colours: list[str]) -> list[list]:
    last = len(colours) - 1
    return [[i / last, colour] for i, colour in enumerate(colours)]


def _summary(result: Comparison, mode: str, shown, text, coloured: list, grey: list) -> str:
    """One or two sentences for the caption: the highest and lowest, the whole country, what the colours mean."""
    polarity = result.indicator.polarity
    if not coloured:
        return _("No municipality shown has a figure to colour.")
    high = max(coloured, key=lambda item: item[2])
    low = min(coloured, key=lambda item: item[2])
    # Signed changes read as well: "highest +6,2", "lowest ±0,0" (a "largest fall" of nothing would not).
    sentence = _("Highest: %(high)s (%(high_value)s); lowest: %(low)s (%(low_value)s)")
    sentence %= {"high": high[3][0], "high_value": high[3][1], "low": low[3][0], "low_value": low[3][1]}
    country = shown(result.country)
    if country is not None:
        sentence += "; " + _("the whole country: %(value)s") % {"value": text(country)}
    parts = [sentence + "."]
    if mode == "aendring":
        parts.append(
            _("Purple is a rise, orange a fall.")
            if polarity == Indicator.Polarity.NEUTRAL
            else _("Purple is a change for the better, orange for the worse.")
        )
    else:
        parts.append(
            _("Darker colours are higher figures.")
            if polarity == Indicator.Polarity.NEUTRAL
            else _("Darker colours are better.")
        )
    if grey:
        parts.append(_("Grey: not among the areas shown, or no figure."))
    return " ".join(part.replace("..", ".") for part in parts)  # "pct." may end a sentence
