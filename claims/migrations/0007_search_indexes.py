"""GIN indexes for the public search on PostgreSQL (core.search); nothing on SQLite."""

from django.db import migrations

from core.search import add_search_indexes

forward, backward = add_search_indexes(
    [("claims", "Claim", ("quote", "paraphrase"), "claim_search_idx", "english")]
)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_question_summary")]

    operations = [migrations.RunPython(forward, backward)]
