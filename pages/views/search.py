"""Search: claims (quote, paraphrase), sources (title) and actors (name, aliases)."""

from claims.models import Claim
from sources.models import Actor, Source

from .. import respond, serialisers
from ..forms import SearchForm

SEARCH_LIMIT = 50


def search(request):
    """Claims (quote, paraphrase), sources (title) and actors (name, aliases) matching `q`.

    Queries when `q` is given: 1. the best matching claims' ids, 2. those claims with question,
    source, publisher and speaker, 3. sources with publishers, 4. actors with parents.
    """
    form = SearchForm(request.GET)
    text = form.values()["q"].strip()
    claims = []
    if text:
        # Ids first, best first; then their rows (see pagination.page for why in two steps).
        ids = list(Claim.objects.public().search(text).values_list("pk", flat=True)[:SEARCH_LIMIT])
        loaded = Claim.objects.filter(pk__in=ids).for_list().in_bulk()
        claims = [loaded[pk] for pk in ids]
    sources = list(Source.objects.with_related().full_text(text)[:SEARCH_LIMIT]) if text else []
    actors = list(Actor.objects.with_related().full_text(text)[:SEARCH_LIMIT]) if text else []
    fmt = respond.requested_format(request)
    if fmt != "html":
        rows = (
            [
                {
                    "type": "claim",
                    "key": c.ref,
                    "label": c.source.title,
                    "text": c.quote,
                    "url": serialisers.absolute_url(request, c),
                }
                for c in claims
            ]
            + [
                {
                    "type": "source",
                    "key": s.slug,
                    "label": s.title,
                    "text": s.publisher.name if s.publisher else "",
                    "url": serialisers.absolute_url(request, s),
                }
                for s in sources
            ]
            + [
                {
                    "type": "actor",
                    "key": a.slug,
                    "label": a.name,
                    "text": " | ".join(a.alias_list),
                    "url": serialisers.absolute_url(request, a),
                }
                for a in actors
            ]
        )
        return respond.export(
            fmt, "search", ["type", "key", "label", "text", "url"], rows, key="results"
        )
    return respond.render_page(
        request,
        "claims/search.html",
        {
            "form": form,
            "q": text,
            "claims": claims,
            "sources": sources,
            "actors": actors,
            "limit": SEARCH_LIMIT,
        },
    )
