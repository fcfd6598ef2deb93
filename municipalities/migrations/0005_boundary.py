import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0004_area_owner"),
    ]

    operations = [
        migrations.CreateModel(
            name="Boundary",
            fields=[
                (
                    "municipality",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="boundary",
                        serialize=False,
                        to="municipalities.municipality",
                    ),
                ),
                ("geometry", models.JSONField(verbose_name="geometry")),
                ("source", models.TextField(verbose_name="source and attribution")),
                ("loaded_at", models.DateTimeField(verbose_name="loaded at")),
            ],
            options={
                "verbose_name": "municipality boundary",
                "verbose_name_plural": "municipality boundaries",
                "ordering": ["municipality"],
            },
        ),
    ]
