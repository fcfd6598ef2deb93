"""Charts are stored per goal set. The charts stored before were drawn for the goal set the pages showed by default
(DEFAULT_GOAL_YEAR, else the newest): they are kept, unchanged, as that goal set's."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import deletion


def assign(apps, schema_editor):
    GoalSet = apps.get_model("goals", "GoalSet")
    ChartSnapshot = apps.get_model("goals", "ChartSnapshot")
    shown = GoalSet.objects.filter(year=settings.DEFAULT_GOAL_YEAR).first() or GoalSet.objects.order_by("-year").first()
    if shown is None:
        ChartSnapshot.objects.all().delete()  # charts without goals: the next rebuild draws none either
    else:
        ChartSnapshot.objects.update(goal_set=shown)


class Migration(migrations.Migration):
    dependencies = [("goals", "0009_seed_2020_specification")]

    operations = [
        migrations.RemoveConstraint(model_name="chartsnapshot", name="chart_unique_per_area_language"),
        migrations.AddField(
            model_name="chartsnapshot",
            name="goal_set",
            field=models.ForeignKey(
                null=True,
                on_delete=deletion.CASCADE,
                related_name="charts",
                to="goals.goalset",
                verbose_name="goal set",
            ),
        ),
        migrations.RunPython(assign, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="chartsnapshot",
            name="goal_set",
            field=models.ForeignKey(
                on_delete=deletion.CASCADE, related_name="charts", to="goals.goalset", verbose_name="goal set"
            ),
        ),
        migrations.AlterModelOptions(
            name="chartsnapshot",
            options={
                "ordering": ["area", "goal_set", "goal_number", "order"],
                "verbose_name": "chart",
                "verbose_name_plural": "charts",
            },
        ),
        migrations.AddConstraint(
            model_name="chartsnapshot",
            constraint=models.UniqueConstraint(
                fields=("area", "goal_set", "key", "language"), name="chart_unique_per_area_goal_set_language"
            ),
        ),
    ]
