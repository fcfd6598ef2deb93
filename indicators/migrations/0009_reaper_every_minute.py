"""The reaper of lost import runs runs every minute under a new name (indicators/schedule.py, ensure() creates it);
the schedule under the old name, every five minutes, goes."""

from django.db import migrations

OLD_NAME = "Import runs: mark those whose worker is gone as failed"


def forwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=OLD_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0008_import_run_task"),
        ("django_celery_beat", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
