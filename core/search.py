"""Text search for the public pages, chosen by database vendor.

PostgreSQL gets full-text search (stemmed words, `websearch` syntax: quoted phrases, `or`, `-word`),
ranked by relevance. SQLite, the no-server default, gets a plain fallback: every word of the query
must occur, case-insensitively, in one of the fields. Both pass the text as a query parameter, and
Django escapes `%` and `_` in `icontains`, so SQL and LIKE characters are searched for as text.
"""

from django.db import connections
from django.db.models import Q

# Matches ranked per search; more matches than this are ranked among the first found.
RANK_LIMIT = 300


def text_search(queryset, text, fields, *, config="english"):
    """The rows of `queryset` whose `fields` match `text`; none for a blank text.

    On PostgreSQL the rows are annotated with `search_rank` and ordered by it, best first.
    """
    words = text.split()
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        # Imported here so SQLite-only installs never touch the PostgreSQL modules.
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(" ".join(words), search_type="websearch", config=config)
        document = search_document(fields, config)
        # The expression the GIN index holds (search_indexes), so matching reads the index.
        # Ranking reads each match's text again: only the first RANK_LIMIT matches are ranked,
        # so a word that is in half of a million quotes costs what a rare one does.
        matches = (
            queryset.model._default_manager.annotate(search_document=document)
            .filter(search_document=query)
            .order_by()
            .values("pk")[:RANK_LIMIT]
        )
        return (
            queryset.filter(pk__in=matches)
            .annotate(search_rank=SearchRank(document, query))
            .order_by("-search_rank", "pk")
        )
    condition = Q()
    for word in words:
        condition &= _any_field_contains(fields, word)
    return queryset.filter(condition)


def search_document(fields, config="english"):
    """The text search vector of `fields`: the same expression in queries and in the indexes."""
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*fields, config=config)


def search_index(fields, name, config="english"):
    """A GIN index on the search vector of `fields` (PostgreSQL only: see search_indexes)."""
    from django.contrib.postgres.indexes import GinIndex

    return GinIndex(search_document(fields, config), name=name)


def add_search_indexes(indexes):
    """A migration's (forward, backward) functions: add, and remove, the indexes
    [(app label, model, fields, name, config)] on PostgreSQL.

    Not in the models' Meta.indexes, because SQLite has no GIN index; the SQLite fallback needs
    none (it reads every row, which is fine at the sizes SQLite serves).
    """

    def each_index(method):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            for app_label, model_name, fields, name, config in indexes:
                model = apps.get_model(app_label, model_name)
                getattr(schema_editor, method)(model, search_index(fields, name, config))

        return run

    return each_index("add_index"), each_index("remove_index")


def _any_field_contains(fields, word):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
    return condition
