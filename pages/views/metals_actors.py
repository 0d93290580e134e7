"""The metals and the actors: their lists, and each one's page with the claims by or about it.

A metal's page gathers the claims about it and about the groups it belongs to (or, for a group,
its members); an actor's page those made by, published by or about it, its parent or its children.
"""

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

    def context():
        listed = list(metals)
        return {
            "groups": [metal for metal in listed if metal.is_group],
            "elements": [metal for metal in listed if not metal.is_group],
        }

    return respond.respond(
        request,
        template="claims/metal_list.html",
        context=context,
        name="metals",
        columns=serialisers.METAL_COLUMNS,
        records=lambda: [serialisers.metal_record(request, metal) for metal in metals],
        key="metals",
    )


def metal_detail(request, symbol):
    """Claims about a metal, the groups it belongs to and, for a group, its members.

    Queries: 1. the metal, 2. related metals, 3. the questions about them with their summaries,
    4. the ids of the page of claims, 5. those claims with question, source, publisher and
    speaker, 6-9. their links each way, with the claims at the other ends.
    """
    metal = get_object_or_404(Metal, symbol=symbol)
    filters = ClaimFilters(request.GET)
    values = {**filters.values(), "metal": None}
    claims = Claim.objects.public().about_metal(metal).filter_public(**values)

    def context():
        related = [m for m in Metal.objects.related_to(metal).distinct() if m.pk != metal.pk]
        page = pagination.page(
            request, claims, related=_listed, per_page=pagination.CLAIMS_PER_PAGE
        )
        return {
            "metal": metal,
            "groups": [m for m in related if m.is_group and not metal.is_group],
            "members": [m for m in related if not m.is_group] if metal.is_group else [],
            "rows": question_rows(summaries.summarised(Question.objects.about_metal(metal))),
            "page": page,
            "claim_rows": [(claim, []) for claim in page],
            "filters": filters,
        }

    return respond.respond(
        request,
        template="claims/metal_detail.html",
        context=context,
        name=f"metal-{metal.symbol}",
        columns=serialisers.CLAIM_COLUMNS,
        records=lambda: [serialisers.claim_record(request, c) for c in claims.with_related()],
        key="claims",
    )


def actor_list(request):
    """Queries: 1. count, 2. the page of actors with parents."""
    filters = ActorFilters(request.GET)
    values = filters.values()
    actors = Actor.objects.with_related().order_by("name")
    if values["kind"]:
        actors = actors.filter(kind=values["kind"])
    return respond.respond(
        request,
        template="claims/actor_list.html",
        context=lambda: {"page": pagination.page(request, actors), "filters": filters},
        name="actors",
        columns=serialisers.ACTOR_COLUMNS,
        records=lambda: [serialisers.actor_record(request, actor) for actor in actors],
        key="actors",
    )


def actor_detail(request, slug):
    """Claims made by and about an actor, its parent and its children.

    Queries: 1. the actor and parent, 2. its children, 3. the questions about them with their
    summaries, 4. the ids of the page of claims, 5. those claims with question, source,
    publisher and speaker, 6-9. their links (see metal_detail), 10. the actors they are about.
    """
    actor = get_object_or_404(Actor.objects.with_related(), slug=slug)
    filters = ClaimFilters(request.GET)
    values = {**filters.values(), "actor": None}
    claims = Claim.objects.public().by_or_about_actor(actor).filter_public(**values)

    def context():
        children = list(actor.children.order_by("name"))
        family = {actor.pk, actor.parent_id, *(child.pk for child in children)} - {None}
        page = pagination.page(
            request, claims, related=_listed_with_subjects, per_page=pagination.CLAIMS_PER_PAGE
        )
        return {
            "actor": actor,
            "children": children,
            "rows": question_rows(summaries.summarised(Question.objects.about_actor(actor))),
            "page": page,
            "claims_with_roles": [(claim, _roles(claim, family)) for claim in page],
            "filters": filters,
        }

    return respond.respond(
        request,
        template="claims/actor_detail.html",
        context=context,
        name=f"actor-{actor.slug}",
        columns=serialisers.CLAIM_COLUMNS,
        records=lambda: [serialisers.claim_record(request, c) for c in claims.with_related()],
        key="claims",
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


def _listed(claims):
    # Each claim's links are shown beside it.
    return claims.for_list().with_links()


def _listed_with_subjects(claims):
    # The actor page says how each claim touches the actor: said, published or about it.
    return _listed(claims).prefetch_related("about")
