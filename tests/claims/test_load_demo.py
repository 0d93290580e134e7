"""The demo data loads through the import path and reproduces DESIGN.md's worked examples."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.comparison import UNATTRIBUTED_LABEL, Relation, Verdict
from claims.models import Claim, ClaimLink, Question
from sources.models import Actor, Source
from tests.import_helpers import run

SEEDS = ["eurasian-times-2025-09-palve", "edm-2026-02-russia-struggling-prc-rare-earth"]
DEMO_CLAIMS = Path(__file__).resolve().parents[2] / "demo" / "claims.csv"


def table_counts():
    return {model.__name__: model.objects.count() for model in (Actor, Source, Question, Claim)}


def outcome(slug):
    question = Question.objects.get(slug=slug)
    return question.compare(list(Claim.objects.public().for_question(question).with_related()))


def test_it_loads_both_seed_documents_with_their_claims(demo):
    counts = table_counts()
    assert counts["Claim"] > 50
    for slug in SEEDS:
        assert Claim.objects.filter(source__slug=slug).count() > 20
    assert not Claim.objects.exclude(source__slug__in=SEEDS).exists()


def test_loading_it_twice_changes_nothing(demo, capsys):
    before = table_counts()
    stamps = dict(Claim.objects.values_list("ref", "updated"))
    call_command("load_demo")
    assert table_counts() == before
    assert dict(Claim.objects.values_list("ref", "updated")) == stamps
    out = capsys.readouterr().out
    assert "claims.csv: 0 created, 0 updated" in out


def test_every_quote_is_found_in_its_source_text(demo):
    claims = Claim.objects.select_related("source")
    assert [claim.ref for claim in claims if not claim.quote_found] == []
    # Readers see the public ones: they must be most of the demo, each checked against its text.
    public = claims.filter(status__in=settings.PUBLIC_CLAIM_STATUSES)
    assert public.count() > 50
    assert all(claim.quote_found is True for claim in public)


def test_the_links_of_the_file_are_loaded(demo):
    with DEMO_CLAIMS.open(encoding="utf-8", newline="") as fh:
        in_file = {
            (row["ref"], *cell.split(":", 1))
            for row in csv.DictReader(fh)
            for cell in row["links"].split("|")
            if cell
        }
    loaded = set(ClaimLink.objects.values_list("claim__ref", "kind", "target__ref"))
    assert loaded == in_file
    # No revision among the seeds: caveats, the author's arithmetic and Brazil's dispute.
    assert {kind for _, kind, _ in loaded} == {"qualifies", "derived_from", "disputes"}


def test_the_reserves_caveat_qualifies_the_government_figure(demo):
    caveat = Claim.objects.get(ref="edm-russia-reserves-hard-to-verify")
    assert "difficult to verify" in caveat.quote
    assert [(link.kind, link.target.ref) for link in caveat.links.all()] == [
        ("qualifies", "edm-russia-ree-reserves")
    ]


def test_the_reserves_question_is_one_origin_repeated(demo):
    # The ministry's figure and the government's, via The Moscow Times: one origin, no agreement.
    result = outcome("russia-ree-reserves")
    assert result.verdict == Verdict.SINGLE
    assert result.independent_origins == 1
    assert list(result.origins) == ["actor:government-of-russia"]


def test_the_rank_question_conflicts(demo):
    # The EurAsian Times' own "fifth-largest" against Russia's claim to be second.
    result = outcome("russia-ree-reserves-world-rank")
    assert result.verdict == Verdict.CONFLICT
    assert {ref: s.origin for ref, s in result.standings.items()} == {
        "eat-russia-ree-reserves-rank": "actor:eurasian-times",
        "edm-russia-ree-reserves-rank": "actor:government-of-russia",
    }
    # Brazil's "second" (unnamed reports) disputes Russia's claim from its own question.
    brazil = Claim.objects.get(ref="edm-brazil-ree-reserves-rank")
    assert brazil.question.slug == "brazil-ree-reserves-world-rank"
    assert [(link.kind, link.target.ref) for link in brazil.links.all()] == [
        ("disputes", "edm-russia-ree-reserves-rank")
    ]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("russia-ree-import-share", Verdict.CONFLICT),
        ("china-share-ree-mining", Verdict.CONFLICT),
        ("china-share-ree-processing", Verdict.CLOSE),
        ("china-share-ree-magnets", Verdict.CLOSE),
        # Manturov's remarks twice (one origin, 2025); the EDM author's own "no" is of 2026, and
        # yes/no answers are compared within a year only.
        ("china-shares-extraction-technology-with-russia", Verdict.SINGLE),
    ],
)
def test_the_other_worked_examples(demo, slug, expected):
    result = outcome(slug)
    assert result.verdict == expected
    # Every worked example is a comparison between the two seed documents.
    sources = set(
        Claim.objects.public().filter(question__slug=slug).values_list("source__slug", flat=True)
    )
    assert sources == set(SEEDS)


def test_the_import_shares_of_different_years_are_compared(demo):
    # Nezavisimaia Gazeta's 90 % (July 2024) against the EurAsian Times' "more than 98 percent"
    # (September 2025): a year apart, no drift allowed, so a conflict rather than a series.
    result = outcome("russia-ree-import-share")
    years = {ref: (s.year, s.year_from) for ref, s in result.standings.items()}
    assert years == {
        "eat-russia-ree-import-share": (2025, "source"),
        "edm-russia-ree-import-share": (2024, "cited_source"),
    }
    assert result.relation("eat-russia-ree-import-share", "edm-russia-ree-import-share") == (
        Relation.CONFLICT
    )
    # "More than 98 %" of a share ends at 100 %.
    assert result.intervals["eat-russia-ree-import-share"].high == 100


def test_the_extraction_technology_answers_by_origin_and_year(demo):
    result = outcome("china-shares-extraction-technology-with-russia")
    standings = result.standings
    manturov = ("eat-manturov-china-not-agreed", "edm-manturov-no-final-decisions")
    assert {standings[ref].origin for ref in manturov} == {"actor:government-of-russia"}
    assert {standings[ref].year for ref in manturov} == {2025}
    assert standings[manturov[0]].echoes == (manturov[1],)
    author = standings["edm-china-avoided-supporting-russia-ree"]
    assert (author.origin, author.year) == ("actor:jamestown-foundation", 2026)
    assert all(s.relation == Verdict.SINGLE for s in standings.values())


def test_brazils_figures_read_as_unnamed_reports(demo):
    brazil = Claim.objects.filter(question__slug__startswith="brazil-")
    assert brazil.count() == 2
    for claim in brazil.select_related("source", "speaker", "cited_source"):
        assert claim.unattributed
        assert claim.origin_label == UNATTRIBUTED_LABEL
    reportedly = Claim.objects.get(ref="edm-china-not-sharing-technology-reportedly")
    assert reportedly.unattributed
    assert reportedly.status in settings.PUBLIC_CLAIM_STATUSES


def test_every_share_is_bounded_0_to_100(demo):
    shares = Question.objects.filter(unit="%")
    assert shares.count() > 10
    assert set(shares.values_list("lower_bound", "upper_bound")) == {(0, 100)}
    assert not Question.objects.exclude(unit="%").exclude(lower_bound=None, upper_bound=None)
    # "About 98 %" is clipped at 100 %, not 102.9 %.
    eu = outcome("eu-ree-supply-share-from-china")
    assert (eu.intervals["eat-eu-ree-supply-share-from-china"].low, eu.bounds) == (
        pytest.approx(93.1),
        (0.0, 100.0),
    )
    assert eu.intervals["eat-eu-ree-supply-share-from-china"].high == 100


def test_drift_is_loaded(demo):
    assert Question.objects.get(slug="china-share-ree-mining").drift == Decimal(2)
    assert Question.objects.get(slug="russia-ree-import-share").drift == 0


def test_dates_are_kept_as_each_article_gives_them(demo):
    # "Last week" in a September 2025 article, against EDM's "November 2025 order".
    as_of = dict(
        Claim.objects.filter(
            ref__in=["eat-putin-orders-national-strategy", "edm-putin-order-national-ree-roadmap"]
        ).values_list("ref", "as_of")
    )
    assert as_of == {
        "eat-putin-orders-national-strategy": "2025-09",
        "edm-putin-order-national-ree-roadmap": "2025-11",
    }


def test_the_3000_tonnes_trap_is_two_questions(demo):
    consumption = Claim.objects.get(
        question__slug="russia-ree-consumption", source__slug=SEEDS[0], value=3000
    )
    target = Claim.objects.get(question__slug="russia-ree-production-target-2030", value=3000)
    assert consumption.question != target.question
    assert target.as_of == "2030"


@pytest.mark.django_db
def test_load_demo_goes_through_the_import_path():
    out, err, error = run("load_demo")

    assert error is None, err
    assert "claims.csv:" in out and "unchanged" in out and "errors" in out
    assert Claim.objects.count() > 50
