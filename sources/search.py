"""Text search for the public pages, chosen by database vendor.

PostgreSQL gets full-text search (stemmed words, `websearch` syntax: quoted phrases, `or`, `-word`),
ranked by relevance. SQLite, the no-server default, gets a plain fallback: every word of the query
must occur, case-insensitively, in one of the fields. Both pass the text as a query parameter, and
Django escapes `%` and `_` in `icontains`, so SQL and LIKE characters are searched for as text.
"""

from django.db import connections
from django.db.models import F, Q


def text_search(queryset, text, fields, *, config="english"):
    """The rows of `queryset` whose `fields` match `text`; none for a blank text.

    On PostgreSQL the rows are annotated with `search_rank` and ordered by it, best first.
    """
    words = text.split()
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        # Imported here so SQLite-only installs never touch the PostgreSQL modules.
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        query = SearchQuery(" ".join(words), search_type="websearch", config=config)
        return (
            queryset.annotate(search_document=SearchVector(*fields, config=config))
            .filter(search_document=query)
            .annotate(search_rank=SearchRank(F("search_document"), query))
            .order_by("-search_rank", "pk")
        )
    condition = Q()
    for word in words:
        condition &= _any_field_contains(fields, word)
    return queryset.filter(condition)


def _any_field_contains(fields, word):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
    return condition
