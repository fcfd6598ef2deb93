"""The sentence each goal's section opens with, written from the figures (Danish: the report is for a Danish
committee). The chief may edit it before the report goes out (reports.building.save_text); the edit is logged."""

from __future__ import annotations

from decimal import Decimal

from goals import progress
from goals import status as status_rules
from goals.templatetags.jobmaal import figure as shown_figure
from goals.templatetags.jobmaal import number_text
from indicators.models import Indicator
from indicators.numbers import rounded
from indicators.periods import in_words


def _n(value: Decimal) -> str:
    return number_text(abs(value), 1)


def subject(indicator: Indicator) -> str:
    """The indicator as the subject of a sentence: "Andel flygtninge …" reads "Andelen af flygtninge …"."""
    name = indicator.name_da
    if name.startswith("Andel "):
        return "Andelen af " + name.removeprefix("Andel ")
    if indicator.unit != Indicator.Unit.PERCENT:
        return "Antallet af " + name[:1].lower() + name[1:]
    return name


def _rounded(value: Decimal) -> Decimal:
    return rounded(value, 1)


def _share_change(delta: Decimal, more: str, less: str) -> str:
    if _rounded(delta) == 0:
        return ""
    return f"{_n(delta)} procentpoint {more if delta > 0 else less}"


def sentence(card: progress.Card, area_name: str) -> str:
    """E.g. "Andelen af flygtninge og familiesammenførte i beskæftigelse i Tårnby var 49,8 pct. i december 2021,
    4,8 procentpoint mere end et år før og 3,8 procentpoint over hele landet." Empty when there is no figure."""
    if card.value is None or not card.period:
        return ""
    when = in_words(card.period)
    if card.is_share:
        compared = []
        if card.change is not None:
            moved = _share_change(card.change, "mere", "mindre")
            compared.append(f"{moved} end et år før" if moved else "det samme som et år før")
        if card.country is not None:
            gap = _rounded(card.value) - _rounded(card.country)
            above = "over" if gap > 0 else "under"
            compared.append(f"{_n(gap)} procentpoint {above} hele landet" if gap else "det samme som hele landet")
        total = shown_figure(card.value, "percent") + (", " + " og ".join(compared) if compared else "")
        if card.lead_label and card.lead_value is not None:
            # The goal's focus first (goal 2: the women), then the whole group.
            lead = shown_figure(card.lead_value, "percent")
            text = f"{subject(card.indicator)} i {area_name} var {lead} for {str(card.lead_label).lower()} i {when}"
            if card.lead_change is not None:
                moved = _share_change(card.lead_change, "mere", "mindre")
                text += f", {moved} end et år før" if moved else ", det samme som et år før"
            text += f". I alt var andelen {total}."
        else:
            text = f"{subject(card.indicator)} i {area_name} var {shown_figure(card.value, 'percent')} i {when}"
            text += (", " + " og ".join(compared) if compared else "") + "."
    else:
        text = f"{subject(card.indicator)} i {area_name} var {shown_figure(card.value, '')} i {when}"
        if card.change is not None:
            if _rounded(card.change) == 0:
                text += ", det samme som et år før"
            else:
                text += f", {_n(card.change)} % {'flere' if card.change > 0 else 'færre'} end et år før"
        if card.country_change is not None:
            sign = "+" if card.country_change > 0 else ("−" if card.country_change < 0 else "±")
            text += f" (hele landet: {sign}{_n(card.country_change)} %)"
        text += "."
    if card.target is not None:
        verdict = {
            status_rules.ON_TRACK: "på rette spor",
            status_rules.AT_RISK: "i risiko",
            status_rules.BEHIND: "bagud",
        }
        unit = "percent" if card.is_share else ""
        text += f" Det lokale mål for {card.target.year} er {shown_figure(card.target.value, unit)}"
        text += f", og status er: {verdict[card.status]}." if card.status in verdict else "."
    return text
