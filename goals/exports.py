"""Figures out of Jobmål: CSV for spreadsheets (Danish: semicolon, decimal comma), always saying when they are
demo data."""

import io

from django.utils.translation import gettext as _

from municipalities import spreadsheets

DEMO_NOTE = "DEMODATA: genererede tal, ikke rigtige tal fra Jobindsats / DEMO DATA: generated, not real figures"


def chart_csv(chart) -> str:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with a byte-order mark correctly
    writer = spreadsheets.csv_writer(buffer)
    if chart.is_demo:
        writer.writerow([DEMO_NOTE])
    writer.writerow([f"{chart.title} – {chart.area.name}"])
    writer.writerow(chart.table["columns"])
    writer.writerows(chart.table["rows"])
    writer.writerow([])
    writer.writerow([_("Source: Jobindsats.dk (STAR); processed by Jobmål")])
    return buffer.getvalue()
