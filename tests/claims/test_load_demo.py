"""The demo data loads through the import path and reproduces DESIGN.md's worked examples."""

import pytest
from django.core.management import call_command

from claims.comparison import Verdict
from claims.models import Claim, Question
from sources.models import Actor, Source
from tests.import_helpers import run

SEEDS = ["eurasian-times-2025-09-palve", "edm-2026-02-russia-struggling-prc-rare-earth"]


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


def test_the_reserves_question_is_one_origin_repeated(demo):
    # The ministry's figure and the government's, via The Moscow Times: one origin, no agreement.
    result = outcome("russia-ree-reserves")
    assert result.verdict == Verdict.SINGLE
    assert result.independent_origins == 1
    assert list(result.origins) == ["actor:government-of-russia"]


def test_the_rank_question_conflicts(demo):
    assert outcome("russia-ree-reserves-world-rank").verdict == Verdict.CONFLICT


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("russia-ree-import-share", {Verdict.CONFLICT}),
        ("china-share-ree-mining", {Verdict.CONFLICT}),
        ("china-share-ree-processing", {Verdict.AGREE, Verdict.CLOSE}),
        ("china-share-ree-magnets", {Verdict.CLOSE}),
        ("china-shares-extraction-technology-with-russia", {Verdict.AGREE}),
    ],
)
def test_the_other_worked_examples(demo, slug, expected):
    result = outcome(slug)
    assert result.verdict in expected
    # Every worked example is a comparison between the two seed documents.
    sources = set(
        Claim.objects.public().filter(question__slug=slug).values_list("source__slug", flat=True)
    )
    assert sources == set(SEEDS)


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
