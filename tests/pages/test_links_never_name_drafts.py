"""A claim's links are shown wherever it is listed, and never name a claim readers may not see:
a draft (or retracted) claim linked to or from a public one stays out of every page and export."""

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimLink
from tests.conftest import make_actor, make_claim, make_question, make_source

pytestmark = pytest.mark.django_db

SECRET = "Unchecked figure not for readers"


@pytest.fixture
def linked():
    """A public claim on a question, qualified by a public caveat, and linked both ways with a
    draft and a retracted claim."""
    actor = make_actor(slug="usgs", name="USGS")
    source = make_source(slug="report", title="A report", publisher=actor)
    question = make_question(slug="share")
    claim = make_claim(
        ref="public-claim",
        source=source,
        question=question,
        speaker=actor,
        value=70,
        unit="%",
        quote="About seventy percent of it, tungsten included.",
    )
    caveat = make_claim(ref="public-caveat", source=source, quote="Hard to verify, tungsten.")
    ClaimLink.objects.create(claim=caveat, kind="qualifies", target=claim)
    for ref, status in (
        ("draft-claim", Claim.Status.DRAFT),
        ("retracted-claim", Claim.Status.RETRACTED),
    ):
        hidden = make_claim(ref=ref, source=source, status=status, quote=f"{SECRET} {ref}.")
        ClaimLink.objects.create(claim=hidden, kind="disputes", target=claim)
        ClaimLink.objects.create(claim=claim, kind="derived_from", target=hidden)
    return claim


PAGES = [
    lambda claim: claim.question.get_absolute_url(),
    lambda claim: claim.source.get_absolute_url(),
    lambda claim: claim.get_absolute_url(),
    lambda claim: reverse("actor_detail", args=["usgs"]),
    lambda claim: reverse("search") + "?q=tungsten",
    lambda claim: reverse("compare") + f"?a={claim.source.slug}&b={make_source().slug}",
]


@pytest.mark.parametrize(
    "page", PAGES, ids=["question", "source", "claim", "actor", "search", "compare"]
)
@pytest.mark.parametrize("output", ["", "csv", "json"])
def test_no_page_or_export_names_a_linked_draft(client, linked, page, output):
    url = page(linked)
    if output:
        url += ("&" if "?" in url else "?") + f"format={output}"
    response = client.get(url)
    body = response.content.decode()

    assert response.status_code == 200
    assert linked.ref in body  # the claim is listed here
    assert "draft-claim" not in body and "retracted-claim" not in body
    assert SECRET not in body
    if output in ("", "json"):
        # The public link is shown (in the JSON as {"kind", "ref"}).
        assert "public-caveat" in body
