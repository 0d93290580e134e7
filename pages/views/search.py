"""Search: claims (quote, paraphrase), sources (title) and actors (name, aliases).

One text box over the three kinds of record, each searched by core.search.text_search (full text,
best first, on PostgreSQL) and cut at SEARCH_LIMIT without pages: the page says when there are
more.
"""

from claims.models import Claim
from sources.models import Actor, Source

from .. import respond, serialisers
from ..forms import SearchForm

SEARCH_LIMIT = 50


def search(request):
    """Claims (quote, paraphrase), sources (title) and actors (name, aliases) matching `q`.

    Queries when `q` is given: 1. the best matching claims' ids, 2. those claims with question,
    source, publisher and speaker, 3-6. their links each way, with the claims at the other ends,
    7. sources with publishers, 8. actors with parents.
    """
    form = SearchForm(request.GET)
    text = form.values()["q"].strip()
    claims = []
    if text:
        # Ids first, best first; then their rows (see pagination.page for why in two steps).
        ids = list(Claim.objects.public().search(text).values_list("pk", flat=True)[:SEARCH_LIMIT])
        loaded = Claim.objects.filter(pk__in=ids).for_list().with_links().in_bulk()
        claims = [loaded[pk] for pk in ids]
    sources = list(Source.objects.with_related().full_text(text)[:SEARCH_LIMIT]) if text else []
    actors = list(Actor.objects.with_related().full_text(text)[:SEARCH_LIMIT]) if text else []
    return respond.respond(
        request,
        template="claims/search.html",
        context={
            "form": form,
            "q": text,
            "claims": claims,
            "sources": sources,
            "actors": actors,
            "limit": SEARCH_LIMIT,
        },
        name="search",
        columns=serialisers.SEARCH_COLUMNS,
        records=lambda: serialisers.search_records(request, claims, sources, actors),
        key="results",
    )
