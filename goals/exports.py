"""Figures out of Jobmål: CSV for spreadsheets (Danish: semicolon, decimal comma), always saying when they are
demo data."""

import csv
import io

from django.utils.translation import gettext as _

DEMO_NOTE = "DEMODATA: genererede tal, ikke rigtige tal fra Jobindsats / DEMO DATA: generated, not real figures"


def chart_csv(chart) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark correctly
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if chart.is_demo:
        writer.writerow([DEMO_NOTE])
    writer.writerow([f"{chart.title} – {chart.area.name}"])
    writer.writerow(chart.table["columns"])
    writer.writerows(chart.table["rows"])
    writer.writerow([])
    writer.writerow([_("Source: Jobindsats.dk (STAR); processed by Jobmål")])
    return buffer.getvalue()


def comparison_csv(result) -> str:
    """The comparison table exactly as shown (its filter and sort), with the country as the reference row; numbers
    with a decimal comma and no thousands separator, so a spreadsheet reads them as numbers."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if result.is_demo:
        writer.writerow([DEMO_NOTE])
    indicator = result.indicator
    writer.writerow([f"{indicator.code} {indicator.name}", result.period or "", result.breakdown or _("(total)")])
    change = _("Change (pct. points)") if indicator.unit == "percent" else _("Change")
    writer.writerow([_("Rank"), _("Area"), _("Code"), _("Value"), change, _("Quartile"), _("Status")])

    def number(value) -> str:
        return "" if value is None else f"{value.normalize():f}".replace(".", ",")

    for row in result.rows:
        writer.writerow([row.rank or "", row.area.name, row.area.municipality_id or row.area.code, number(row.value),
                         number(row.change), row.quartile or "", row.status])  # fmt: skip
    if result.country:
        c = result.country
        writer.writerow(["", c.area.name, "", number(c.value), number(c.change), "", c.status])
    writer.writerow([])
    writer.writerow([_("Source: Jobindsats.dk (STAR); processed by Jobmål")])
    return buffer.getvalue()
