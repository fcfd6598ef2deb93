"""Figures as people read them: Danish separators, the unit, and a sign on changes."""

from decimal import Decimal

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


def _decimals(unit: str) -> int:
    return 1 if unit == "percent" else 0


def _number(value, decimals: int) -> str:
    return formats.number_format(
        Decimal(value).quantize(Decimal(1).scaleb(-decimals)), decimals, use_l10n=True, force_grouping=True
    )


@register.filter
def figure(value, unit: str) -> str:
    """1.234 or 23,4 pct."""
    if value is None:
        return "–"
    text = _number(value, _decimals(unit))
    return f"{text} {_('pct.')}" if unit == "percent" else text


@register.filter
def change(value, unit: str) -> str:
    """+1,7 percentage points for shares, −3,2 % for counts (the year-on-year change)."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    text = _number(abs(value), 1)
    return f"{sign}{text} {_('percentage points')}" if unit == "percent" else f"{sign}{text} %"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def period(code: str | None) -> str:
    """2021M12 → december 2021 (in the active language); other period types as the code."""
    if not code:
        return ""
    from goals.charts import month
    from indicators.periods import parse

    return month(parse(code).start, code)


@register.simple_tag
def plotly_stylesheets():
    """plotly.js's own stylesheets as <link>s; before plotly.min.js, which then injects none (config/plotly_css.py)."""
    from config import plotly_css

    return plotly_css.links()
