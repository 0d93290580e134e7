"""A claim's own page: what it states and who said it, its links to other claims both ways, and
how it stands against every other public claim on its question."""

from django.shortcuts import get_object_or_404

from claims import summaries
from claims.comparison import Verdict
from claims.models import Claim

from .. import display, respond, serialisers
from .questions import origin_record
from .sources import compared_with_all

SHOWN_PER_RELATION = 10  # claims named under each of agrees with, close to, conflicts with …


def claim_detail(request, ref):
    """One public claim (a draft or retracted one is not found, as on every public page).

    Queries: 1. the claim with its source, question, speaker and cited source and the chains of
    their publishers, 2-3. the actors and metals it is about, 4-7. its links each way with the
    claims at their other ends, 8. the placed claims of its question, 9. the claims its standing
    names. The CSV and JSON need 1-8.
    """
    claim = get_object_or_404(Claim.objects.public().with_related(), ref=ref)
    question = claim.question
    outcome = None
    if question is not None:
        outcome = compared_with_all(
            question, summaries.placements([claim]).get(question.pk), [claim.ref]
        )
    # None on no question, and for a claim withdrawn while the page was being read.
    standing = outcome.standings.get(claim.ref) if outcome else None

    def context():
        label, record = origin_record(claim)
        return {
            "claim": claim,
            # A caveat states no figure: its heading says who said it and what.
            "label": display.link_label(claim),
            "origin": {"label": label, "record": record},
            "year": _year(claim, standing),
            "standing": _standing(standing, outcome) if standing else None,
            # With no stored summary (display.badge(None)): "not summarised yet", never empty.
            "question_badge": display.badge(
                outcome.verdict, series=display.answer_series(outcome.kind, outcome.series)
            )
            if outcome
            else display.badge(None),
            "time": display.time_text(outcome) if outcome else "",
        }

    # The page's heading and who the figure comes from, in the data too: a compared record has
    # the origin's label already; a claim on no question has no standing, and no columns for one.
    if standing:
        columns = [*serialisers.COMPARED_CLAIM_COLUMNS, "label"]
    else:
        columns = [*serialisers.CLAIM_COLUMNS, "label", "origin_label"]

    def records():
        if standing:
            row = serialisers.compared_record(request, claim, outcome)
        else:
            row = {**serialisers.claim_record(request, claim), "origin_label": claim.origin_label}
        return [{**row, "label": display.claim_label(claim)}]

    return respond.respond(
        request,
        template="claims/claim_detail.html",
        context=context,
        name=f"claim-{claim.ref}",
        columns=columns,
        records=records,
        document=lambda rows: {"claim": rows[0]},
    )


def _year(claim, standing):
    """The claim's year as the comparison takes it, and where it comes from, in words."""
    if standing:
        return display.year_text(standing.year, standing.year_from)
    return display.year_text(*serialisers.claim_year(claim))


def _standing(standing, outcome):
    """What the page says of the claim's standing: its badge, its interval on the question's
    scale, and the claims it stands with or against, named (one query for all of them)."""
    groups = [
        (display.RELATION_WORDS["superseded"], standing.superseded_by),
        (display.RELATION_WORDS["conflict"], standing.conflicts_with),
        (display.RELATION_WORDS["close"], standing.close_to),
        (display.RELATION_WORDS["agree"], standing.agrees_with),
        # The claims of its own origin: they repeat it, and confirm nothing.
        ("echoes (same origin)", standing.echoes),
    ]
    refs = {ref for _, refs in groups for ref in refs[:SHOWN_PER_RELATION]}
    # public(): a summary written around the signals may still hold a withdrawn claim.
    named = {c.ref: c for c in Claim.objects.public().filter(ref__in=refs).for_labels()}
    return {
        "badge": display.badge(
            standing.relation, series=display.answer_series(outcome.kind, outcome.series)
        ),
        "superseded": standing.relation == Verdict.SUPERSEDED,
        "normalised": display.interval_text(standing.interval, outcome.unit),
        "not_comparable": standing.relation == Verdict.NOT_COMPARABLE,
        "relations": [
            {
                "words": words,
                "claims": [
                    (display.claim_label(named[ref]), named[ref])
                    for ref in refs[:SHOWN_PER_RELATION]
                    if ref in named
                ],
                "more": max(0, len(refs) - SHOWN_PER_RELATION),
            }
            for words, refs in groups
            if refs
        ],
    }
