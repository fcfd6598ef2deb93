"""The status rules of a goal card: on track, at risk or behind against a local target; without one, how the figure
reads against a year before and against the whole country (better or worse by the indicator's polarity, up or down
for a neutral one), each as a mark of a word, a tone and an icon. Plain functions of numbers: no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from indicators.models import Indicator
from indicators.numbers import rounded

if TYPE_CHECKING:
    from goals.progress import Card

ON_TRACK, AT_RISK, BEHIND = "on_track", "at_risk", "behind"
STATUS_LABELS = {ON_TRACK: _("On track"), AT_RISK: _("At risk"), BEHIND: _("Behind")}


# How a difference reads when there is no target: better or worse by the indicator's polarity; up or down for a
# neutral indicator, which is not judged; the same when it is nothing as shown (one decimal).
BETTER, WORSE, SAME, UP, DOWN = "better", "worse", "same", "up", "down"
TONES = {
    ON_TRACK: "good",
    AT_RISK: "warn",
    BEHIND: "bad",
    BETTER: "good",
    WORSE: "bad",
    SAME: "neutral",
    UP: "neutral",
    DOWN: "neutral",
}
STATUS_ICONS = {ON_TRACK: "success", AT_RISK: "warning", BEHIND: "error"}  # DKFDS icons
YEAR_WORDS = {
    BETTER: _("Better than last year"),
    WORSE: _("Worse than last year"),
    SAME: _("Unchanged from last year"),
    UP: _("Higher than last year"),
    DOWN: _("Lower than last year"),
}
COUNTRY_LEVEL_WORDS = {
    BETTER: _("Better than the whole country"),
    WORSE: _("Worse than the whole country"),
    SAME: _("Same as the whole country"),
    UP: _("Above the whole country"),
    DOWN: _("Below the whole country"),
}
COUNTRY_CHANGE_WORDS = {
    BETTER: _("Developing better than the whole country"),
    WORSE: _("Developing worse than the whole country"),
    SAME: _("Developing as the whole country"),
    UP: _("Change above the whole country's"),
    DOWN: _("Change below the whole country's"),
}


def status(value: Decimal | None, target: Decimal | None, change: Decimal | None, polarity: str) -> str | None:
    """On track when the latest figure meets the target; at risk when it does not yet but moved towards it over
    the year; behind otherwise. Polarity says which way is better; a neutral indicator gets no status."""
    if value is None or target is None or polarity == Indicator.Polarity.NEUTRAL:
        return None
    better = 1 if polarity == Indicator.Polarity.HIGHER_BETTER else -1
    if (value - target) * better >= 0:
        return ON_TRACK
    if change is not None and change * better > 0:
        return AT_RISK
    return BEHIND


def _shown(value: Decimal) -> Decimal:
    return rounded(value, 1)  # as the card shows it (goals/templatetags/jobmaal.py)


def direction(delta: Decimal | None, polarity: str) -> str | None:
    """How a difference (now minus a year before, or the area minus the whole country) reads: BETTER or WORSE by the
    polarity, UP or DOWN for a neutral indicator, SAME when it rounds to nothing as shown; None without a figure."""
    if delta is None:
        return None
    if _shown(delta) == 0:
        return SAME
    if polarity == Indicator.Polarity.NEUTRAL:
        return UP if delta > 0 else DOWN
    better = 1 if polarity == Indicator.Polarity.HIGHER_BETTER else -1
    return BETTER if delta * better > 0 else WORSE


@dataclass
class Mark:
    """One status mark on a card: a word, a tone (its colour) and an icon, never the colour alone."""

    key: str
    word: str
    tone: str
    icon: str


def _arrow(delta: Decimal, reading: str) -> str:
    return "minus" if reading == SAME else ("arrow-upward" if delta > 0 else "arrow-downward")


def marks(card: Card) -> list[Mark]:
    """The card's status at a glance: with a target, on track / at risk / behind; without one, the direction
    against a year before and against the whole country (a share's level; a count's change, as counts of areas of
    different size cannot be compared)."""
    if card.status:
        return [Mark(card.status, STATUS_LABELS[card.status], TONES[card.status], STATUS_ICONS[card.status])]
    polarity, out = card.indicator.polarity, []
    if card.change is not None:
        reading = direction(card.change, polarity)
        out.append(Mark(f"year-{reading}", YEAR_WORDS[reading], TONES[reading], _arrow(card.change, reading)))
    if card.is_share and card.value is not None and card.country is not None:
        delta, words = _shown(card.value) - _shown(card.country), COUNTRY_LEVEL_WORDS
    elif not card.is_share and card.change is not None and card.country_change is not None:
        delta, words = _shown(card.change) - _shown(card.country_change), COUNTRY_CHANGE_WORDS
    else:
        return out
    reading = direction(delta, polarity)
    out.append(Mark(f"country-{reading}", words[reading], TONES[reading], _arrow(delta, reading)))
    return out


def change(now: Decimal | None, before: Decimal | None, unit: str) -> Decimal | None:
    """Year-on-year change: percentage points for shares, per cent for counts."""
    if now is None or before is None:
        return None
    if unit == Indicator.Unit.PERCENT:
        return now - before
    return (now - before) / before * 100 if before else None
