"""Charts stored before target lines were named: name them, so that public pages can leave them out
(goals.charts.without_target). A target line is the only dashed horizontal line across a trend chart in the target
colour, and its label the only annotation in that colour anchored to the y axis."""

from django.db import migrations

TARGET_COLOUR = "#b51d09"  # goals.charts.TARGET_COLOUR when this was written


def name_targets(apps, schema_editor):
    ChartSnapshot = apps.get_model("goals", "ChartSnapshot")
    for chart in ChartSnapshot.objects.only("figure").iterator():
        layout = chart.figure.get("layout", {})
        changed = False
        for shape in layout.get("shapes", []):
            if shape.get("xref") == "paper" and shape.get("line", {}).get("color") == TARGET_COLOUR:
                shape["name"], changed = "target", True
        for label in layout.get("annotations", []):
            if label.get("yref") == "y" and label.get("font", {}).get("color") == TARGET_COLOUR:
                label["name"], changed = "target", True
        if changed:
            chart.save(update_fields=["figure"])


class Migration(migrations.Migration):
    dependencies = [("goals", "0006_alter_change_goal_alter_change_indicator_and_more")]

    operations = [migrations.RunPython(name_targets, migrations.RunPython.noop)]
