"""Indexes for the admin's claim search on PostgreSQL; nothing on SQLite.

The admin searches quotes and paraphrases with `icontains`, which PostgreSQL runs as
UPPER(column) LIKE UPPER('%word%'): only a trigram index on UPPER(column) serves that. Refs are
searched by their beginning (`istartswith`, UPPER(ref) LIKE 'WORD%'), which a B-tree index with
text_pattern_ops serves: refs share long prefixes ("claim-…"), which trigrams match everywhere.
pg_trgm ships with PostgreSQL; creating the extension needs a role allowed to (the database's
owner on PostgreSQL 13 and later, where it is a trusted extension, or a superuser).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TRIGRAM_COLUMNS = [("claim_quote_trgm_idx", "quote"), ("claim_paraphrase_trgm_idx", "paraphrase")]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in TRIGRAM_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "claims_claim" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "claim_ref_prefix_idx" ON "claims_claim" '
        '((UPPER("ref"::text)) text_pattern_ops)'
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in [name for name, _ in TRIGRAM_COLUMNS] + ["claim_ref_prefix_idx"]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_search_indexes")]

    operations = [TrigramExtension(), migrations.RunPython(forward, backward)]
