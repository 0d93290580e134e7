from django.db import migrations, models

import core.text
from core.text import SpacedText

# Claims anchored per bulk update.
CHUNK = 1000


def anchor_quotes(apps, schema_editor):
    """The anchor context of every claim whose quote is in its source's text (as
    claims.models.quote_fields computes it; the claims of a source one chunk at a time)."""
    Claim = apps.get_model("claims", "Claim")
    Source = apps.get_model("sources", "Source")
    found = Claim.objects.filter(quote_found=True)
    sources = found.order_by().values_list("source_id", flat=True).distinct()
    for source_id in sources:
        text = Source.objects.filter(pk=source_id).values_list("text", flat=True).first()
        spaced = SpacedText(text or "")
        ids = list(found.filter(source_id=source_id).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            claims = list(Claim.objects.filter(pk__in=ids[start : start + CHUNK]).only("quote"))
            for claim in claims:
                anchor = spaced.anchor(claim.quote)
                if anchor is not None:
                    claim.quote_prefix, claim.quote_suffix = anchor.prefix, anchor.suffix
            Claim.objects.bulk_update(claims, ["quote_prefix", "quote_suffix"])


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_currency_units")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="quote_prefix",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                help_text="The source's text just before the quote, whitespace collapsed.",
                max_length=32,
                validators=[core.text.validate_one_line],
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="quote_suffix",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                help_text="The source's text just after the quote, whitespace collapsed.",
                max_length=32,
                validators=[core.text.validate_one_line],
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="quote_prefix",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                help_text="The source's text just before the quote, whitespace collapsed.",
                max_length=32,
                validators=[core.text.validate_one_line],
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="quote_suffix",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                help_text="The source's text just after the quote, whitespace collapsed.",
                max_length=32,
                validators=[core.text.validate_one_line],
            ),
        ),
        migrations.RunPython(anchor_quotes, migrations.RunPython.noop),
    ]
