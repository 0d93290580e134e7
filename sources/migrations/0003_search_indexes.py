"""GIN indexes for the public search on PostgreSQL (core.search); nothing on SQLite."""

from django.db import migrations

from core.search import add_search_indexes

forward, backward = add_search_indexes(
    [
        ("sources", "Source", ("title",), "source_search_idx", "english"),
        ("sources", "Actor", ("name", "aliases"), "actor_search_idx", "simple"),
    ]
)


class Migration(migrations.Migration):
    dependencies = [("sources", "0002_history")]

    operations = [migrations.RunPython(forward, backward)]
