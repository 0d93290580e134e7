"""Links between claims for the page tests: each page reads a claim's links both ways, and a
query-count test needs some of each so that every one of those queries runs."""

from itertools import pairwise

from claims.models import ClaimLink


def link_in_a_chain(claims, kind=ClaimLink.Kind.QUALIFIES):
    """Each claim links to the next: every one but the ends has a link each way."""
    for claim, target in pairwise(claims):
        ClaimLink.objects.create(claim=claim, kind=kind, target=target)
