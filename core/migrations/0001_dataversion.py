from django.db import migrations, models
from django.utils import timezone


def first_version(apps, schema_editor):
    apps.get_model("core", "DataVersion").objects.using(schema_editor.connection.alias).create(
        at=timezone.now()
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("number", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "at",
                    models.DateTimeField(
                        help_text="When the change was published (after its commit)."
                    ),
                ),
            ],
            options={"ordering": ["-number"]},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
