"""Figures out of Jobmål: CSV for spreadsheets (Danish: semicolon, decimal comma), always saying when they are
demo data."""

import io

from django.utils.translation import gettext as _

from municipalities import spreadsheets


def demo_note() -> str:
    """The first line of every export of demo figures, in the reader's language (Danish: "DEMODATA: …")."""
    return _("DEMO DATA: generated figures, not real figures from Jobindsats")


def chart_csv(chart) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark correctly
    writer = spreadsheets.csv_writer(buffer)
    if chart.is_demo:
        writer.writerow([demo_note()])
    writer.writerow([f"{chart.title} – {chart.area.name}"])
    writer.writerow(chart.table["columns"])
    writer.writerows(chart.table["rows"])
    writer.writerow([])
    writer.writerow([_("Source: Jobindsats.dk (STAR); processed by Jobmål")])
    return buffer.getvalue()
