"""The question's and the source's CSV and JSON read their claims as plain values
(ClaimValues.of_figure), for speed; the same claims loaded as model instances (ClaimValues.of_claim,
as the claim, metal and actor pages' exports read them) must give the same bytes, every column of
every claim."""

from decimal import Decimal

import pytest
from django.test import RequestFactory

from claims import summaries
from claims.models import Claim, ClaimLink, Question
from pages import respond, serialisers
from pages.views.sources import _source_groups
from sources.models import Source
from tests.conftest import make_actor, make_claim, make_question, make_source


def _from_instances(question):
    """The question's CSV and JSON bytes, built from its claims as model instances."""
    request = RequestFactory().get(question.get_absolute_url())
    claims = Claim.objects.public().for_question(question).order_by("source__published", "ref")
    every = list(claims.with_related())
    outcome = question.compare(every)
    records = [serialisers.compared_record(request, claim, outcome) for claim in every]
    name = f"question-{question.slug}"
    return (
        respond.csv_response(name, serialisers.COMPARED_CLAIM_COLUMNS, records).content,
        respond.json_response(
            name, serialisers.question_document(request, question, outcome, records)
        ).content,
    )


def _source_from_instances(source):
    """The source's CSV and JSON bytes, built from its claims as model instances."""
    request = RequestFactory().get(source.get_absolute_url())
    own = Claim.objects.public().filter(source=source).order_by("question__title", "ref")
    claims = list(own.with_related())
    records = [
        serialisers.compared_record(request, row["claim"], group["outcome"])
        if row["standing"]
        else serialisers.claim_record(request, row["claim"])
        for group in _source_groups(source, claims, summaries.placements(claims))
        for row in group["rows"]
    ]
    name = f"source-{source.slug}"
    return (
        respond.csv_response(name, serialisers.COMPARED_CLAIM_COLUMNS, records).content,
        respond.json_response(name, {"claims": records}).content,
    )


def _exports(client, record):
    url = record.get_absolute_url()
    return (
        client.get(url, {"format": "csv"}).content,
        client.get(url, {"format": "json"}).content,
    )


@pytest.mark.django_db
def test_every_demo_question_exports_what_its_claims_instances_give(client, demo):
    questions = list(Question.objects.all())
    assert len(questions) > 20
    for question in questions:
        assert _exports(client, question) == _from_instances(question), question.slug


@pytest.mark.django_db
def test_every_demo_source_exports_what_its_claims_instances_give(client, demo):
    sources = list(Source.objects.all())
    assert len(sources) > 20
    for source in sources:
        assert _exports(client, source) == _source_from_instances(source), source.slug


@pytest.mark.django_db
def test_values_and_instances_agree_on_blanks_ranges_bounds_links_and_drafts(client):
    question = make_question(tolerance=Decimal("2"), lower_bound=0, upper_bound=100)
    # A speaker three parents deep (past the joined levels), a publisher, a cited source.
    top = make_actor(name="Government")
    chain = make_actor(parent=make_actor(parent=make_actor(parent=top)))
    publisher = make_actor(name="Daily")
    cited = make_source(publisher=make_actor(), published="2019-05")
    ranged = make_claim(
        question=question,
        source=make_source(publisher=publisher, published="2021-03-04"),
        speaker=chain,
        qualifier="between",
        value=Decimal("80.5"),
        value_high=Decimal("90"),
        unit="%",
        note='=1+1, a note with "quotes"',
        paraphrase="Some paraphrase",
    )
    bare = make_claim(question=question, value=Decimal("100"), unit="%", cited_source=cited)
    unattributed = make_claim(
        question=question, qualifier="more_than", value=Decimal("95"), unit="%", unattributed=True
    )
    draft = make_claim(question=question, value=Decimal("5"), unit="%", status=Claim.Status.DRAFT)
    disputed = make_claim(
        question=question, value=Decimal("10"), unit="%", status=Claim.Status.DISPUTED
    )
    # Links each way, among public claims and to and from a draft (left out of both).
    ClaimLink.objects.create(claim=bare, kind=ClaimLink.Kind.CORRECTS, target=ranged)
    ClaimLink.objects.create(claim=unattributed, kind=ClaimLink.Kind.QUALIFIES, target=ranged)
    ClaimLink.objects.create(claim=ranged, kind=ClaimLink.Kind.DISPUTES, target=disputed)
    ClaimLink.objects.create(claim=ranged, kind=ClaimLink.Kind.QUALIFIES, target=draft)
    ClaimLink.objects.create(claim=draft, kind=ClaimLink.Kind.QUALIFIES, target=bare)
    # A claim on another question links here: its ref is named, its question is not compared.
    ClaimLink.objects.create(
        claim=make_claim(question=make_question(), value=1, unit="%"),
        kind=ClaimLink.Kind.DERIVED_FROM,
        target=bare,
    )

    csv_bytes, json_bytes = _exports(client, question)
    assert (csv_bytes, json_bytes) == _from_instances(question)
    # The sources' too: claims judged on their question, and one filed under none.
    unfiled = make_claim(source=ranged.source, value=Decimal("7"), unit="%")
    ClaimLink.objects.create(claim=unfiled, kind=ClaimLink.Kind.QUALIFIES, target=bare)
    for source in (ranged.source, bare.source, unattributed.source, draft.source):
        assert _exports(client, source) == _source_from_instances(source), source.slug
    text = csv_bytes.decode("utf-8-sig")
    assert draft.ref not in text
    assert f"disputes:{disputed.ref}|qualifies" not in text  # the draft target is left out
    assert f"corrects:{ranged.ref}" in text
    assert "Government" in text  # the deep chain's top actor is the origin
    assert "'=1+1" in text and '""quotes""' in text  # a formula guarded, quotes doubled
