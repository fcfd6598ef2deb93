"""A report's three formats, each from the same gathered Content (reports.content) and each returning
(filename, content type, bytes): PDF for the committee's agenda, XLSX and CSV for its secretary's spreadsheets.

The figures are the dashboard's own: the cards' values (goals.progress) and the stored charts; the data sheet and
the CSV hold the database's values unrounded, shown with the cards' decimals by their number format."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.contrib.staticfiles import finders
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from indicators import breakdowns
from indicators.models import Indicator, Observation, headline_q
from indicators.numbers import NumberError, parse_number
from indicators.periods import in_words
from municipalities import tabular
from municipalities.models import Area
from reports import chromium
from reports.content import LANGUAGE, Content

PDF, XLSX, CSV = tabular.PDF, tabular.XLSX, tabular.CSV
CONTENT_TYPES = tabular.CONTENT_TYPES
UNITS = {
    "percent": "pct.",
    "persons": "personer",
    "fulltime": "fuldtidspersoner",
    "count": "antal",
    "rank": "placering",
}
FONT_FILES = [
    ("normal", 400, "IBMPlexSans-Regular"),
    ("italic", 400, "IBMPlexSans-Italic"),
    ("normal", 600, "IBMPlexSans-SemiBold"),
    ("normal", 700, "IBMPlexSans-Bold"),
]


def filename(content: Content, fmt: str) -> str:
    area = content.area
    who = f"kommune-{area.municipality_id}" if area.kind == Area.Kind.MUNICIPALITY else area.code
    demo = "-DEMO" if content.is_demo else ""
    return f"jobmaal-rapport-{who}-maal-{content.year}-udgivelse-{content.release.pk}{demo}.{fmt}"


def build(content: Content, fmt: str) -> tuple[str, str, bytes]:
    body = {PDF: pdf, XLSX: xlsx, CSV: csv_bytes}[fmt](content)
    return filename(content, fmt), CONTENT_TYPES[fmt], body


# PDF ---------------------------------------------------------------------------------------------------------------


def _fonts_css() -> str:
    rules = []
    for style, weight, name in FONT_FILES:
        path = finders.find(f"dkfds/fonts/IBMPlexSans/complete/ttf/{name}.ttf")
        if path:
            # The family name plotly writes into the charts' SVG, so their text is set in the same embedded font.
            rules.append(
                f'@font-face {{ font-family: "IBMPlexSans"; font-weight: {weight}; font-style: {style}; '
                f'src: url("{Path(path).as_uri()}") format("truetype"); }}'
            )
    return "\n".join(rules)


def css_string(text: str) -> str:
    """Text as a quoted CSS string, safe inside a <style> element (no quote, backslash or "</style" gets out)."""
    escaped = "".join(c if c.isalnum() or c in " .,:;·–-()" else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def _chart_images(content: Content) -> None:
    """Each chart as SVG in the document itself, so that its text is set in the report's embedded font and read as
    the figure's text alternative (role img, the chart's summary)."""
    for section in content.sections:
        for chart in section.charts:
            drawn = chromium.svg(chart.figure).decode("utf-8")
            label = f'<svg role="img" aria-label="{escape(chart.summary)}" '
            # plotly's own markup, which escapes the texts it draws; the print page runs no script in any case
            chart.svg = mark_safe(drawn.replace("<svg ", label, 1))  # noqa: S308


def pdf(content: Content) -> bytes:
    _chart_images(content)
    running = f"{content.area.name} · mål {content.year}" + (" · DEMODATA, ikke rigtige tal" if content.is_demo else "")
    with translation.override(LANGUAGE):
        # CSS in a <style>, where HTML escaping would break it: the font rules name our own files, and the running
        # head is a CSS string escaped by css_string.
        styles = {"fonts_css": mark_safe(_fonts_css()), "running": mark_safe(css_string(running))}  # noqa: S308
        stylesheet = Path(finders.find("css/report.css")).as_uri()
        html = render_to_string(
            "reports/document.html", {"c": content, "year": str(content.year), "stylesheet": stylesheet, **styles}
        )
    return chromium.pdf(html)


# The figures as rows: shared by the XLSX sheets and the CSV ---------------------------------------------------------


def _unit(indicator: Indicator) -> str:
    return UNITS.get(indicator.unit, indicator.unit)


def _number_format(indicator: Indicator) -> str:
    return "#,##0.0" if indicator.unit == Indicator.Unit.PERCENT else "#,##0"


CHANGE_FORMAT = "+#,##0.0;-#,##0.0;0.0"  # a year's change, signed: percentage points or per cent


def _status(card) -> str:
    if card.status:
        return str(card.status_label)
    return "Intet lokalt mål sat" + "".join(f"; {mark.word}" for mark in card.marks)


def series_rows(content: Content) -> list[dict]:
    """Every figure behind the report's charts and cards, in one query: the area, its municipalities and the whole
    country (forgæves rekrutteringer: the area's RAR area, the only level it is published at), each indicator's
    headline measure in every breakdown and period; then the own indicators' figures."""
    goals = {c.indicator.code: c.goal.number for c in content.cards}
    for section in content.sections:
        for chart in section.charts:
            goals.setdefault(chart.key.split("-")[0], section.goal.number)
    indicators = {i.pk: i for i in Indicator.objects.filter(code__in=goals)}
    own = {i.pk: (section.goal.number, i) for section in content.sections for i, _latest in section.own}
    country = Area.objects.get(kind=Area.Kind.COUNTRY)
    areas = {a.pk: a for a in [content.area, *content.members, country]}
    regional = {content.rar.pk: content.rar} if content.rar else {}
    keys = Q(pk__in=[])
    for indicator in indicators.values():
        where = regional if indicator.area_level == Area.Kind.RAR else areas
        keys |= headline_q(indicator, every_breakdown=True) & Q(area_id__in=list(where))
    if own:
        keys |= Q(indicator_id__in=list(own), area_id__in=list(areas))
    named = {**areas, **regional}
    roles = {c.indicator.pk: c.role for c in content.cards}
    found = Observation.objects.filter(keys).values_list(
        "indicator_id", "area_id", "breakdown", "period", "period_start", "value", "status", "is_demo"
    )
    rows, demo = [], _demo()
    for indicator_id, area_id, breakdown, period, start, value, status, is_demo in found:
        if indicator_id in own:
            goal, indicator = own[indicator_id]
            role = "egen indikator"
        else:
            indicator = indicators[indicator_id]
            goal, role = goals[indicator.code], ROLES.get(roles.get(indicator_id, ""), "")
        rows.append(
            {
                "Mål": goal,
                "Indikator": indicator.name_da,
                "Rolle": role,
                "Opdeling": breakdowns.in_words(breakdown, "I alt"),
                "Område": named[area_id].name,
                "Periode": in_words(period),
                "Periodens start": start,
                "Værdi": value,
                "Enhed": _unit(indicator),
                "Status": STATUSES.get(status, status),
                "Datakilde": demo
                if is_demo
                else ("Kommunen" if indicator.scope == "local" else "Jobindsats.dk (STAR)"),
                "_indicator": indicator,
                "_order": (goal, indicator.code, area_id != content.area.pk, named[area_id].name, breakdown, start),
            }
        )
    rows.sort(key=lambda r: r["_order"])
    return rows


ROLES = {"proxy": "indirekte mål", "headline": "hovedindikator"}
STATUSES = {"final": "endeligt", "provisional": "foreløbigt", "suppressed": "diskretioneret", "revised": "revideret"}


# CSV ----------------------------------------------------------------------------------------------------------------


def csv_bytes(content: Content) -> bytes:
    """One table, a row per figure, for pandas or a Danish spreadsheet (municipalities.tabular): the header first,
    values unrounded. Every row says where it comes from (the demo label when demo), so a copied row stays labelled."""
    rows = series_rows(content)
    kinds = {"Mål": tabular.INTEGER, "Periodens start": tabular.DATE, "Værdi": tabular.DECIMAL}
    columns = [tabular.Column(c, kinds.get(c, tabular.TEXT), places=None) for c in _row_columns()]
    table = tabular.Table(None, columns, [[row[c.label] for c in columns] for row in rows])
    return tabular.to_csv(table).encode("utf-8")


def _row_columns() -> list[str]:
    return [
        "Mål",
        "Indikator",
        "Rolle",
        "Opdeling",
        "Område",
        "Periode",
        "Periodens start",
        "Værdi",
        "Enhed",
        "Status",
        "Datakilde",
    ]


# XLSX ---------------------------------------------------------------------------------------------------------------


_cell, _append = tabular.cell, tabular.append


def _start(book, name: str, title: str, is_demo: bool, widths: list[int], freeze: str | None = None):
    """A sheet with its column widths and title row, the demo note first when demo."""
    return tabular.start_sheet(book, name, f"{_demo()} – {title}" if is_demo else title, widths, freeze)


def _demo() -> str:
    with translation.override(LANGUAGE):
        return tabular.demo_note()


def xlsx(content: Content) -> bytes:
    book = Workbook(write_only=True)
    overview = _start(
        book,
        "Overblik",
        f"Rapport til beskæftigelsesudvalget: {content.area.name}, mål "
        f"{content.year}, data til og med {content.data_as_of}",
        content.is_demo,
        [6, 42, 16, 12, 10, 14, 14, 12, 16, 12, 34, 90],
        freeze="A3",
    )
    labels = [
        "Mål",
        "Indikator",
        "Periode",
        "Seneste tal",
        "Enhed",
        "Ændring på et år",
        "Ændringens enhed",
        "Hele landet",
        "Sammenlignelige kommuner",
        "Lokalt mål",
        "Status",
        "Tekst",
    ]
    _append(overview, [_cell(overview, label, bold=True, wrap=True) for label in labels])
    for section in content.sections:
        for card in section.cards:
            indicator, fmt = card.indicator, _number_format(card.indicator)
            _append(
                overview,
                [
                    section.goal.number,
                    indicator.name_da,
                    in_words(card.period) if card.period else "–",
                    _cell(overview, card.value, fmt),
                    _unit(indicator),
                    _cell(overview, card.change, CHANGE_FORMAT),
                    "procentpoint" if card.is_share else "pct.",
                    _cell(overview, card.country, fmt),
                    _cell(overview, card.peers, fmt),
                    _cell(overview, card.target.value if card.target else None, fmt),
                    _status(card),
                    _cell(overview, section.text, wrap=True),
                ],
            )
    _append(overview, [])
    _append(overview, ["", "Sammenlignelige kommuner", ", ".join(content.peers.names) or "–"])

    rows = series_rows(content)
    for section in content.sections:
        _goal_sheet(book, content, section)

    data = _start(
        book, "Data", "Alle tal i rapporten", content.is_demo, [6, 42, 16, 28, 28, 22, 14, 12, 14, 14, 34], freeze="A3"
    )
    _series_table(data, rows, first_row=2, with_goal=True)

    title = f"{_demo()} – Om tallene" if content.is_demo else "Om tallene"
    tabular.metadata_sheet(book, _metadata(content), title=title, widths=[30, 100])
    return tabular.save(book)


def _goal_sheet(book, content: Content, section) -> None:
    """A goal on one sheet: its sentence, the card's figures, the tables behind its charts (as on the goal page,
    the numbers stored as numbers) and the own indicators. Every figure of every period is on the Data sheet."""
    number = section.goal.number
    sheet = _start(
        book,
        f"Mål {number}",
        f"Mål {number}: {section.goal.text_da}",
        content.is_demo,
        [34, 22, 22, 22, 22, 22, 22, 22],
    )
    _append(sheet, [_cell(sheet, section.text, wrap=True)])
    for card in section.cards:
        indicator, fmt, change_fmt = card.indicator, _number_format(card.indicator), CHANGE_FORMAT
        _append(sheet, [])
        _append(
            sheet, [_cell(sheet, f"{indicator.name_da}, {in_words(card.period) if card.period else '–'}", bold=True)]
        )
        _append(sheet, [_cell(sheet, label, bold=True) for label in ("Område", "Værdi", "Ændring på et år")])
        lines = [(content.area.name, card.value, card.change)]
        if len(content.members) > 1:
            lines += [(name, value, delta) for name, value, delta in card.members]
        if card.lead_label:
            lines.append((f"{content.area.name}, {card.lead_label}", card.lead_value, card.lead_change))
        lines += [
            ("Hele landet", card.country, card.country_change),
            ("Sammenlignelige kommuner", card.peers, card.peers_change),
            (f"Lokalt mål {content.year}", card.target.value if card.target else None, None),
        ]
        for name, value, delta in lines:
            _append(sheet, [name, _cell(sheet, value, fmt), _cell(sheet, delta, change_fmt)])
    for chart in section.charts:
        _append(sheet, [])
        _append(sheet, [_cell(sheet, chart.title, bold=True)])
        _append(sheet, [_cell(sheet, column, bold=True, wrap=True) for column in chart.table["columns"]])
        fmt = "#,##0.0" if "(pct.)" in " ".join(chart.table["columns"][1:]) else "#,##0"
        for period, *cells in chart.table["rows"]:
            _append(sheet, [period, *(_cell(sheet, _table_number(cell), fmt) for cell in cells)])
    if section.own:
        _append(sheet, [])
        _append(sheet, [_cell(sheet, "Egne indikatorer", bold=True)])
        _append(sheet, [_cell(sheet, label, bold=True) for label in ("Indikator", "Kommune", "Periode", "Seneste tal")])
        for indicator, obs in section.own:
            _append(
                sheet,
                [
                    indicator.name_da,
                    indicator.municipality.name,
                    in_words(obs.period) if obs else "–",
                    _cell(sheet, obs.value if obs else None, _number_format(indicator)),
                ],
            )


def _table_number(cell: str) -> Decimal | None:
    """A chart table's cell ("1.234", "27,9", "–") as the number it shows."""
    try:
        return parse_number(cell, ",")
    except NumberError:
        return None


def _series_table(sheet, rows: list[dict], first_row: int, with_goal: bool = False) -> None:
    columns = [c for c in _row_columns() if with_goal or c != "Mål"]
    if rows:
        sheet.auto_filter.ref = f"A{first_row}:{get_column_letter(len(columns))}{first_row + len(rows)}"
    _append(sheet, [_cell(sheet, c, bold=True, wrap=True) for c in columns])
    for row in rows:
        values = []
        for column in columns:
            value = row[column]
            if column == "Værdi":
                value = _cell(sheet, value, _number_format(row["_indicator"]))
            elif column == "Periodens start":
                value = _cell(sheet, value, "dd-mm-yyyy")
            values.append(value)
        _append(sheet, values)


def _metadata(content: Content) -> list[tuple[str, str]]:
    with translation.override(LANGUAGE):
        rows = [
            ("Data", _demo() if content.is_demo else "Rigtige tal fra Jobindsats.dk (STAR)"),
            ("Område", content.area.name),
            ("Mål", f"Beskæftigelsespolitiske mål {content.year}"),
            ("Data til og med", content.data_as_of),
            ("Dataudgivelse", f"nr. {content.release.pk}"),
            ("Dannet", formats.date_format(timezone.localtime(content.built_at), "DATETIME_FORMAT")),
            ("Sammenlignelige kommuner", ", ".join(content.peers.names) or "–"),
            ("Ændring på et år", "for andele i procentpoint, for antal i procent, mod samme periode året før"),
        ]
        for source in content.sources:
            when = (
                formats.date_format(timezone.localtime(source.retrieved_at), "DATETIME_FORMAT")
                if source.retrieved_at
                else "–"
            )
            rows.append(
                (
                    f"Kilde: {source.indicator.name_da}",
                    f"tabel {source.table or '–'}, hentet {when}" + (" (demodata)" if source.is_demo else ""),
                )
            )
        rows.extend((f"Bemærkning {i}", note) for i, note in enumerate(content.notes, start=1))
        rows.extend((f"Definition: {i.name_da}", d or "–") for i, d in content.definitions)
    return rows
