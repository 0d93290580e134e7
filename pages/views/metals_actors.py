"""The metals and the actors: their lists, and each one's page with the claims by or about it."""

from django.shortcuts import get_object_or_404

from claims import summaries
from claims.models import Claim, Metal, Question
from sources.models import Actor

from .. import pagination, respond, serialisers
from ..forms import ActorFilters, ClaimFilters
from .questions import question_rows


def metal_list(request):
    """Queries: 1. metals with public claim counts, 2. the members of groups."""
    metals = Metal.objects.with_claim_counts().prefetch_related("members")
    fmt = respond.requested_format(request)
    if fmt != "html":
        records = [
            {
                "symbol": metal.symbol,
                "name": metal.name,
                "atomic_number": metal.atomic_number,
                "category": metal.category,
                "members": [member.symbol for member in metal.members.all()],
                "claims": metal.claim_count,
                "page": serialisers.absolute_url(request, metal),
            }
            for metal in metals
        ]
        return respond.export(fmt, "metals", serialisers.METAL_COLUMNS, records, key="metals")
    metals = list(metals)
    return respond.render_page(
        request,
        "claims/metal_list.html",
        {
            "groups": [metal for metal in metals if metal.is_group],
            "elements": [metal for metal in metals if not metal.is_group],
        },
    )


def metal_detail(request, symbol):
    """Claims about a metal, the groups it belongs to and, for a group, its members.

    Queries: 1. the metal, 2. related metals, 3. questions about them without a summary yet,
    4. those questions with their summaries, 5. the ids of the page of claims, 6. those claims
    with question, source, publisher and speaker.
    """
    metal = get_object_or_404(Metal, symbol=symbol)
    filters = ClaimFilters(request.GET)
    values = {**filters.values(), "metal": None}
    claims = Claim.objects.public().about_metal(metal).filter_public(**values)
    fmt = respond.requested_format(request)
    if fmt != "html":
        records = [serialisers.claim_record(request, claim) for claim in claims.with_related()]
        return respond.export(
            fmt, f"metal-{metal.symbol}", serialisers.CLAIM_COLUMNS, records, key="claims"
        )
    related = [m for m in Metal.objects.related_to(metal).distinct() if m.pk != metal.pk]
    page = pagination.page(request, claims, related=_listed, per_page=pagination.CLAIMS_PER_PAGE)
    return respond.render_page(
        request,
        "claims/metal_detail.html",
        {
            "metal": metal,
            "groups": [m for m in related if m.is_group and not metal.is_group],
            "members": [m for m in related if not m.is_group] if metal.is_group else [],
            "rows": question_rows(
                request, summaries.summarised(Question.objects.about_metal(metal))
            ),
            "page": page,
            "claim_rows": [(claim, []) for claim in page],
            "filters": filters,
        },
    )


def actor_list(request):
    """Queries: 1. count, 2. the page of actors with parents."""
    filters = ActorFilters(request.GET)
    values = filters.values()
    actors = Actor.objects.with_related().order_by("name")
    if values["kind"]:
        actors = actors.filter(kind=values["kind"])
    fmt = respond.requested_format(request)
    if fmt != "html":
        records = [serialisers.actor_record(request, a) for a in actors]
        return respond.export(fmt, "actors", serialisers.ACTOR_COLUMNS, records, key="actors")
    return respond.render_page(
        request,
        "claims/actor_list.html",
        {"page": pagination.page(request, actors), "filters": filters},
    )


def actor_detail(request, slug):
    """Claims made by and about an actor, its parent and its children.

    Queries: 1. the actor and parent, 2. its children, 3-4. questions about them (see
    metal_detail), 5. the ids of the page of claims, 6. those claims with question, source,
    publisher and speaker, 7. the actors they are about.
    """
    actor = get_object_or_404(Actor.objects.with_related(), slug=slug)
    filters = ClaimFilters(request.GET)
    values = {**filters.values(), "actor": None}
    claims = Claim.objects.public().by_or_about_actor(actor).filter_public(**values)
    fmt = respond.requested_format(request)
    if fmt != "html":
        records = [serialisers.claim_record(request, claim) for claim in claims.with_related()]
        return respond.export(
            fmt, f"actor-{actor.slug}", serialisers.CLAIM_COLUMNS, records, key="claims"
        )
    children = list(actor.children.order_by("name"))
    family = {actor.pk, actor.parent_id, *(child.pk for child in children)} - {None}
    page = pagination.page(
        request, claims, related=_listed_with_subjects, per_page=pagination.CLAIMS_PER_PAGE
    )
    roles = [(claim, _roles(claim, family)) for claim in page]
    return respond.render_page(
        request,
        "claims/actor_detail.html",
        {
            "actor": actor,
            "children": children,
            "rows": question_rows(
                request, summaries.summarised(Question.objects.about_actor(actor))
            ),
            "page": page,
            "claims_with_roles": roles,
            "filters": filters,
        },
    )


def _roles(claim, family):
    roles = []
    if claim.speaker_id in family:
        roles.append(f"said by {claim.speaker.name}")
    if claim.source.publisher_id in family:
        roles.append(f"published by {claim.source.publisher.name}")
    about = [actor.name for actor in claim.about.all() if actor.pk in family]
    if about:
        roles.append("about " + ", ".join(about))
    return roles


def _with_related(claims):
    return claims.with_related()


def _listed(claims):
    return claims.for_list()


def _listed_with_subjects(claims):
    # The actor page says how each claim touches the actor: said, published or about it.
    return claims.for_list().prefetch_related("about")
