"""Bounds, years and links as curators record them: the admin refuses what cannot stand, and the
stored summaries follow every change of an input of a verdict (a link, a source's date)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimLink
from claims.summaries import stale_summaries
from tests.conftest import make_actor, make_claim, make_question, make_source

pytestmark = pytest.mark.django_db


def share_question(**fields):
    return make_question(lower_bound=Decimal(0), upper_bound=Decimal(100), **fields)


def claim_form(source, question, **fields):
    """The admin's add-claim form as a curator fills it in, with an empty links inline."""
    data = {
        "ref": "new-claim",
        "source": source.pk,
        "quote": "It is 120 percent.",
        "question": question.pk,
        "qualifier": "exact",
        "value": "120",
        "unit": "%",
        "status": "draft",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("qualifier", "value", "value_high", "words"),
    [
        ("exact", "120", "", "outside"),
        ("more_than", "100", "", "leaves nothing"),
        ("less_than", "0", "", "leaves nothing"),
        ("between", "95", "105", "outside"),
    ],
)
def test_the_admin_refuses_a_figure_outside_the_questions_bounds(
    admin_client, qualifier, value, value_high, words
):
    question = share_question()
    source = make_source()
    response = admin_client.post(
        reverse("admin:claims_claim_add"),
        claim_form(source, question, qualifier=qualifier, value=value, value_high=value_high),
    )

    assert response.status_code == 200  # the form again, not a redirect
    errors = str(response.context["adminform"].form.errors)
    assert words in errors
    assert "0% to 100%" in errors  # the bounds are named
    assert not Claim.objects.filter(ref="new-claim").exists()


def test_the_admin_accepts_a_figure_at_the_bound(admin_client):
    question = share_question()
    response = admin_client.post(
        reverse("admin:claims_claim_add"),
        claim_form(make_source(), question, value="100", quote="All of it."),
    )

    assert response.status_code == 302
    assert Claim.objects.get(ref="new-claim").value == 100


def test_the_admin_refuses_a_link_that_closes_a_cycle(admin_client):
    a, b = make_claim(), make_claim()
    ClaimLink.objects.create(claim=a, kind="derived_from", target=b)
    data = claim_form(
        b.source,
        make_question(),
        ref=b.ref,
        quote=b.quote,
        value="5",
        **{
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "derived_from",
            "links-0-target": a.pk,
        },
    )
    response = admin_client.post(reverse("admin:claims_claim_change", args=[b.pk]), data)

    assert response.status_code == 200
    assert "cycle" in str(response.context["inline_admin_formsets"][0].formset.errors)
    assert not ClaimLink.objects.filter(claim=b).exists()


def test_disputes_may_be_mutual():
    a, b = make_claim(), make_claim()
    ClaimLink.objects.create(claim=a, kind="disputes", target=b)
    link = ClaimLink(claim=b, kind="disputes", target=a)

    link.full_clean()  # no cycle error
    assert not ClaimLink.objects.cycle_through("corrects", b.pk, a.pk)


def test_a_correction_of_the_same_origin_supersedes_and_its_removal_restores():
    agency = make_actor()
    question = make_question()
    old = make_claim(question=question, speaker=agency, value=Decimal(60), unit="%")
    new = make_claim(question=question, speaker=agency, value=Decimal(70), unit="%")
    make_claim(question=question, value=Decimal(70), unit="%")  # an independent origin
    question.summary.refresh_from_db()
    assert question.summary.verdict == "conflict"  # 60 against 70, before the link

    link = ClaimLink.objects.create(claim=new, kind="corrects", target=old)
    question.summary.refresh_from_db()
    assert question.summary.verdict == "agree"
    assert (question.summary.spread_low, question.summary.spread_high) == (70, 70)
    assert question.summary.claim_count == 3  # still listed and counted

    link.delete()
    question.summary.refresh_from_db()
    assert question.summary.verdict == "conflict"
    assert not list(stale_summaries())


def test_a_correction_from_another_origin_is_only_a_link():
    question = make_question()
    old = make_claim(question=question, speaker=make_actor(), value=Decimal(60), unit="%")
    other = make_claim(question=question, speaker=make_actor(), value=Decimal(70), unit="%")
    ClaimLink.objects.create(claim=other, kind="corrects", target=old)

    question.summary.refresh_from_db()
    assert question.summary.verdict == "conflict"


def test_a_draft_correction_supersedes_nothing():
    agency = make_actor()
    question = make_question()
    make_claim(question=question, value=Decimal(70), unit="%")
    old = make_claim(question=question, speaker=agency, value=Decimal(60), unit="%")
    draft = make_claim(
        question=question, speaker=agency, value=Decimal(70), unit="%", status="draft"
    )
    ClaimLink.objects.create(claim=draft, kind="corrects", target=old)

    question.summary.refresh_from_db()
    assert question.summary.verdict == "conflict"


def test_a_sources_date_is_the_year_of_its_claims_and_a_change_recomputes_the_verdict():
    # 60 % in 2020 and 90 % in 2026 agree when the share may move 5 points a year (30 in six
    # years), and conflict when the later figure turns out to be of 2025 (25 in five).
    question = make_question(drift=Decimal(5))
    early = make_source(published="2020")
    late = make_source(published="2026-03")
    make_claim(question=question, source=early, value=Decimal(60), unit="%")
    make_claim(question=question, source=late, value=Decimal(90), unit="%")
    question.summary.refresh_from_db()
    assert question.summary.verdict == "agree"

    late.published = "2025-11"
    late.save()
    question.summary.refresh_from_db()
    assert question.summary.verdict == "conflict"


def test_a_claims_year_comes_from_the_document_it_cites_before_the_one_reporting_it():
    question = make_question()
    cited = make_source(published="2023-10")
    claim = make_claim(
        question=question,
        source=make_source(published="2025"),
        cited_source=cited,
        value=Decimal(59),
        unit="%",
    )
    dated = make_claim(question=question, value=Decimal(59), unit="%", as_of="2021")
    figures = {f.figure.ref: f.figure for f in Claim.objects.filter(question=question).figures()}
    outcome = question.compare_figures(list(figures.values()))

    assert (outcome.standings[claim.ref].year, outcome.standings[claim.ref].year_from) == (
        2023,
        "cited_source",
    )
    assert (outcome.standings[dated.ref].year, outcome.standings[dated.ref].year_from) == (
        2021,
        "as_of",
    )


def test_changing_a_questions_bounds_recomputes_its_summary():
    question = make_question()
    make_claim(question=question, qualifier="more_than", value=Decimal(98), unit="%")
    question.summary.refresh_from_db()
    assert question.summary.spread_open_high is True

    question.lower_bound, question.upper_bound = Decimal(0), Decimal(100)
    question.save()
    question.summary.refresh_from_db()
    # (98, 100]: a finite interval now, drawn to the bound.
    assert question.summary.spread_open_high is False
    assert question.summary.spread_high == 100


def test_the_admin_refuses_bounds_that_would_leave_a_recorded_claim_outside(admin_client):
    question = make_question(unit="%")
    make_claim(ref="over", question=question, value=Decimal(120), unit="%")
    data = {
        "title": question.title,
        "slug": question.slug,
        "kind": "quantity",
        "unit": "%",
        "tolerance": "0",
        "lower_bound": "0",
        "upper_bound": "100",
        "drift": "0",
    }
    response = admin_client.post(reverse("admin:claims_question_change", args=[question.pk]), data)

    assert response.status_code == 200
    assert "leave recorded figures outside them (over)" in str(
        response.context["adminform"].form.errors
    )
    question.refresh_from_db()
    assert question.upper_bound is None
