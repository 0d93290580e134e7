# The verdict log (VerdictChange). It starts empty: the verdicts before it were never recorded,
# so the log begins with the first change after this migration.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_price_units"),
    ]

    operations = [
        migrations.AlterField(
            model_name="questionsummary",
            name="verdict",
            field=models.CharField(
                choices=[
                    ("conflict", "conflict"),
                    ("close", "close"),
                    ("agree", "agree"),
                    ("single", "one origin"),
                    ("not comparable", "not comparable"),
                ],
                help_text="Worst relation among its public claims: agree, close, conflict, single or not comparable.",
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="VerdictChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "old_verdict",
                    models.CharField(
                        choices=[
                            ("conflict", "conflict"),
                            ("close", "close"),
                            ("agree", "agree"),
                            ("single", "one origin"),
                            ("not comparable", "not comparable"),
                        ],
                        help_text="The verdict before.",
                        max_length=20,
                    ),
                ),
                (
                    "new_verdict",
                    models.CharField(
                        choices=[
                            ("conflict", "conflict"),
                            ("close", "close"),
                            ("agree", "agree"),
                            ("single", "one origin"),
                            ("not comparable", "not comparable"),
                        ],
                        help_text="The verdict after.",
                        max_length=20,
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        help_text="When the change was published: its data version's time (until then, when it was written)."
                    ),
                ),
                (
                    "version",
                    models.PositiveBigIntegerField(
                        help_text="The data version that published the change (core.dataversion); empty only between its commit and the moment it is filled in, just after.",
                        null=True,
                    ),
                ),
                (
                    "question",
                    models.ForeignKey(
                        help_text="The question whose verdict changed.",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="verdict_changes",
                        to="claims.question",
                    ),
                ),
            ],
            options={
                "ordering": ["-pk"],
                "indexes": [
                    models.Index(fields=["question", "-id"], name="verdict_change_question_idx")
                ],
            },
        ),
    ]
