"""ClaimQuerySet.listed_on: a question's or a source's public claims, read by prepared queries
(core.prepared) exactly as the ORM reads them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim, ClaimLink, Question
from sources.models import Source

ORDERS = {"question": ("source__published", "ref"), "source": ("question__title", "ref")}


def _owners():
    return [("question", q) for q in Question.objects.all()] + [
        ("source", s) for s in Source.objects.all()
    ]


def _through_the_orm(name, record):
    return Claim.objects.public().filter(**{name: record}).order_by(*ORDERS[name])


@pytest.mark.django_db
def test_every_demo_question_and_source_reads_as_through_the_orm(demo):
    # The demo has no correction: one, to a draft, which corrections() reads and links do not.
    newer = Claim.objects.public().filter(question__isnull=False).last()
    draft = Claim.objects.create(
        ref="a-draft", question=newer.question, source=newer.source, quote="Draft."
    )
    ClaimLink.objects.create(claim=newer, kind=ClaimLink.Kind.CORRECTS, target=draft)
    linked = corrected = 0
    for name, record in _owners():
        listed = Claim.objects.listed_on(**{name: record})
        orm = _through_the_orm(name, record)
        assert list(listed.values_list("ref", flat=True)) == list(orm.values_list("ref", flat=True))
        links = listed.public_link_refs()
        assert links == orm.public_link_refs()
        assert listed.corrections() == orm.corrections() == links.corrections
        assert list(listed.figures()) == list(orm.figures())
        assert list(listed.figures(corrections={}, status="status", title="source__title")) == (
            list(orm.figures(corrections={}, status="status", title="source__title"))
        )
        linked += bool(links.outgoing or links.incoming)
        corrected += bool(links.corrections)
    # The demo has links and corrections to compare, or this would compare empty dicts.
    assert linked and corrected


@pytest.mark.django_db
def test_a_filter_after_it_reads_what_the_filter_says(demo):
    question = max(Question.objects.all(), key=lambda q: q.claims.public().count())
    listed = Claim.objects.listed_on(question=question)
    disputed = listed.filter(status=Claim.Status.DISPUTED)
    refs = {claim.figure.ref for claim in disputed.figures()}
    assert refs == set(
        Claim.objects.filter(question=question, status=Claim.Status.DISPUTED).values_list(
            "ref", flat=True
        )
    )
    assert refs != {claim.figure.ref for claim in listed.figures()}


@pytest.mark.django_db
def test_on_a_related_manager_it_reads_through_the_orm(demo):
    question = Question.objects.filter(claims__status=Claim.Status.CHECKED).first()
    source = question.claims.public().first().source
    # Claims of the question that are on this source: both filters hold.
    both = question.claims.listed_on(source=source)
    expected = _through_the_orm("source", source).filter(question=question)
    assert [c.figure.ref for c in both.figures()] == [c.figure.ref for c in expected.figures()]


@pytest.mark.django_db
def test_the_same_queries_as_the_orm(demo):
    question = max(Question.objects.all(), key=lambda q: q.claims.public().count())

    def queries(claims):
        with CaptureQueriesContext(connection) as figures:
            assert list(claims.figures())
        with CaptureQueriesContext(connection) as links:
            claims.public_link_refs()
        return len(figures), len(links)

    listed = queries(Claim.objects.listed_on(question=question))
    assert listed == queries(_through_the_orm("question", question))
    assert listed == (3, 2)  # corrections, claims, actors; links out with corrections, links in


def test_only_a_manager_lists_on_an_owner():
    # A queryset's own filters, order or annotations would be lost on the prepared path, which
    # starts from the whole table: only the manager, whose queryset is that table, offers it.
    assert not hasattr(Claim.objects.all(), "listed_on")
    assert not hasattr(Claim.objects.reverse(), "listed_on")
