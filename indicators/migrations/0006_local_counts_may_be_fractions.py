from django.db import migrations


def fractional_local_counts(apps, schema_editor):
    """Counts must now be whole unless marked fractional: a municipality's own count (an average, say) need not
    be, as it was allowed before; persons stay whole."""
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.filter(scope="local").exclude(unit__in=["persons", "percent"]):
        spec = indicator.source_spec or {}
        if "value" in spec.get("counts", []) and "fractional" not in spec:
            indicator.source_spec = {**spec, "fractional": ["value"]}
            indicator.save(update_fields=["source_spec"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_observation_keys_checked_by_the_pipeline")]
    operations = [migrations.RunPython(fractional_local_counts, migrations.RunPython.noop)]
