"""Figures as people read them: Danish separators, the unit, and a sign on changes."""

import re
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from indicators.numbers import rounded  # the one rounding rule

register = template.Library()


def _decimals(unit: str) -> int:
    return 1 if unit == "percent" else 0


def _number(value, decimals: int) -> str:
    return formats.number_format(rounded(value, decimals), decimals, use_l10n=True, force_grouping=True)


def number_text(value, decimals: int) -> str:
    """A number with Danish separators, rounded as the cards round it (reports write sentences with it)."""
    return _number(value, decimals)


def _decimal(value) -> Decimal | None:
    """The value as a finite Decimal, or None for anything that is not a number (a missing figure, "" from a
    template's missing variable): a page shows "–" rather than fail."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _unit_and_decimals(spec: str) -> tuple[str, int]:
    """ "percent" (1 decimal), "persons" (none), or "percent:2" where the source publishes two (Y30R21)."""
    unit, _sep, decimals = (spec or "").partition(":")
    return unit, int(decimals) if decimals.isdigit() else _decimals(unit)


def _signed(text: str) -> str:
    return "−" + text[1:] if text.startswith("-") else text  # the minus sign, not a hyphen: "−1.160"


@register.filter
def figure(value, unit: str) -> str:
    """1.234, −1.160 or 23,4 pct. (unit "percent:2": 23,41 pct.)"""
    value = _decimal(value)
    if value is None:
        return "–"
    unit, decimals = _unit_and_decimals(unit)
    text = _signed(_number(value, decimals))
    return f"{text} {_('pct.')}" if unit == "percent" else text


@register.filter
def points(value) -> str:
    """A distance between two shares, unsigned: 0,8 procentpoint."""
    value = _decimal(value)
    return "–" if value is None else f"{_number(abs(value), 1)} {_('percentage points')}"


@register.filter
def change(value, unit: str) -> str:
    """+1,7 percentage points for shares, −3,2 % for counts (the year-on-year change)."""
    value = _decimal(value)
    if value is None:
        return "–"
    unit, decimals = _unit_and_decimals(unit)
    decimals = max(decimals, 1)  # a change of a count is in per cent, with one decimal
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    text = _number(abs(value), decimals)
    return f"{sign}{text} {_('percentage points')}" if unit == "percent" else f"{sign}{text} %"


_LOGGED_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?(?=$| – )")  # a target or a value, then perhaps " – <note>"


@register.filter
def logged(text: str, indicator_id) -> str:
    """A value in the change log as people read it ("30,5", "2.100"): the log keeps numbers as typed by a machine
    (30.5), and a change of a target or an own indicator's value (one with an indicator) starts with its number."""
    match = _LOGGED_NUMBER.match(text or "") if indicator_id else None
    if match is None:
        return text
    number = formats.number_format(Decimal(match.group()), use_l10n=True, force_grouping=True)
    return number.replace("-", "−") + text[match.end() :]


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def breakdown(value: str | None) -> str:
    """kon=Kvinder|opholdstid=3-5 år → "Kvinder, 3-5 år": the source's labels, never its column keys; "" for the
    total."""
    from indicators.breakdowns import in_words

    return in_words(value or "")


@register.filter
def period(code: str | None) -> str:
    """2021M12 → december 2021 (in the active language); other period types as the code."""
    if not code:
        return ""
    from indicators.periods import in_words

    return in_words(code)


@register.simple_tag
def sparkline(card) -> str:
    """The card's trend line (goals/sparkline.py), named for a screen reader by where it went from and to."""
    from django.utils.safestring import mark_safe

    from goals import sparkline as lines

    if len(card.trend) < 2:
        return ""
    unit, values = card.indicator.unit, [value for _, _, value in card.trend]
    words = {
        "months": card.trend_months,
        "first": figure(values[0], unit),
        "first_period": period(card.trend[0][0]),
        "last": figure(values[-1], unit),
        "last_period": period(card.trend[-1][0]),
        "low": figure(min(values), unit),
        "high": figure(max(values), unit),
    }
    if card.lead_label:
        label = (
            _(
                "Trend for all, the last %(months)s months: from %(first)s (%(first_period)s) to %(last)s "
                "(%(last_period)s); lowest %(low)s, highest %(high)s"
            )
            % words
        )
    else:
        label = (
            _(
                "Trend, the last %(months)s months: from %(first)s (%(first_period)s) to %(last)s "
                "(%(last_period)s); lowest %(low)s, highest %(high)s"
            )
            % words
        )
    return mark_safe(lines.svg([(start, value) for _, start, value in card.trend], label))  # noqa: S308 (escaped there)


@register.simple_tag
def plotly_stylesheets():
    """plotly.js's own stylesheets as <link>s; before plotly.min.js, which then injects none (config/plotly_css.py)."""
    from config import plotly_css

    return plotly_css.links()
