"""A chart's data table as a file: what the goal page shows under each chart, for a spreadsheet."""

from django.utils.translation import gettext as _

from municipalities import tabular


def chart_csv(chart) -> tuple[str, str, bytes]:
    """The chart's table as the page shows it (its cells written as shown, Danish numbers), the demo note first
    when demo, the source last: (filename, content type, bytes)."""
    columns = [tabular.Column(label) for label in chart.table["columns"]]
    table = tabular.Table(
        f"{chart.title} – {chart.area.name}",
        columns,
        chart.table["rows"],
        is_demo=chart.is_demo,
        filename=f"jobmaal-{chart.area.code}-{chart.key}",
        notes=[_("Source: Jobindsats.dk (STAR); processed by Jobmål")],
    )
    return tabular.export(table, tabular.CSV)
