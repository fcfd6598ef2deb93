"""The 2020 goal set's links get the specification the screens had in code until now (goals/catalogue.py): the
figures shown are unchanged, now read from the goal set."""

from django.db import migrations

# A copy of goals.catalogue's 2020 specification as it was when this migration was written: a migration must not
# change when the catalogue does.
WOMEN_FIRST = {
    "lead_breakdown": "kon=Kvinder",
    "lead_label_da": "Kvinder",
    "lead_label_en": "Women",
    "breakdown_charts": [
        {
            "dimension": "kon",
            "key": "gender",
            "label_da": "Køn (kvinder først)",
            "label_en": "Gender (women first)",
            "by_da": "efter køn",
            "by_en": "by gender",
            "series": [["kon=Kvinder", "Kvinder", "Women"], ["kon=Mænd", "Mænd", "Men"]],
        },
        {
            "dimension": "opholdstid",
            "key": "residence",
            "label_da": "Opholdstid",
            "label_en": "Years of residence",
            "by_da": "efter opholdstid",
            "by_en": "by years of residence",
            "sort": "years",
        },
    ],
}
SPECIFICATION_2020 = {
    "MM13": WOMEN_FIRST,
    "FORGREKR": {"chart": "bars", "with_country": False, "with_peers": False},
    "Y08A02": {"chart": "index"},
    "Y09A02": {"chart": "index"},
    "Y11A02": {"chart": "index"},
    "Y12A02": {"chart": "index"},
}


def seed(apps, schema_editor):
    GoalIndicator = apps.get_model("goals", "GoalIndicator")
    for code, spec in SPECIFICATION_2020.items():
        GoalIndicator.objects.filter(goal__goal_set__year=2020, indicator__code=code).update(**spec)


class Migration(migrations.Migration):
    dependencies = [("goals", "0008_goal_indicator_specification")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
