"""A page view only reads: no public GET sends an INSERT, UPDATE or DELETE, on a database whose
summaries are fresh, or one whose summaries were deleted or left behind around the app (SQL,
loaddata), which the pages then show as such until `refresh_summaries` repairs them."""

import io
from contextlib import ExitStack

import pytest
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from claims.models import Claim, QuestionSummary
from claims.summaries import stale_summaries
from core import dataversion
from core.dataversion import WRITES
from interchange.models import ImportBatch
from interchange.services import batch_undo, data_import
from sources.services import records_merge
from tests.conftest import (
    make_actor,
    make_claim,
    make_contested_question,
    make_question,
    make_source,
)

pytestmark = pytest.mark.django_db

TEXT = "The ministry said: Russia holds 28.5 Mt of rare earths. Others doubt it."
QUOTE = "Russia holds 28.5 Mt of rare earths."


@pytest.fixture
def world():
    """A contested question, a source with a text and a quote in it, and a second source on the
    same question, for the compare page."""
    question = make_contested_question(3)
    speaker = make_actor()
    source = make_source(text=TEXT)
    claim = make_claim(
        source=source, question=question, speaker=speaker, quote=QUOTE, value=90, unit="%"
    )
    other = question.claims.exclude(pk=claim.pk).first()
    return {"question": question, "source": source, "claim": claim, "other": other}


def _urls(world):
    """(url, params) of every kind of public page, and of its CSV and JSON where it has them."""
    question, source, claim = world["question"], world["source"], world["claim"]
    exports = ({}, {"format": "csv"}, {"format": "json"})
    pages = [
        *((reverse("home"), params) for params in exports),
        *((reverse("question_list"), params) for params in exports),
        *((question.get_absolute_url(), params) for params in exports),
        *((reverse("source_list"), params) for params in exports),
        *((source.get_absolute_url(), params) for params in exports),
        (reverse("source_text", args=[source.slug]), {}),
        (reverse("source_text", args=[source.slug]), {"format": "json"}),
        *((claim.get_absolute_url(), params) for params in exports),
        (reverse("compare"), {"a": source.slug, "b": world["other"].source.slug}),
        (reverse("compare"), {"a": source.slug, "b": world["other"].source.slug, "format": "csv"}),
        (reverse("search"), {"q": "Russia"}),
        (reverse("search"), {"q": "Russia", "format": "json"}),
        (reverse("metal_list"), {}),
        *((reverse("metal_detail", args=["Nd"]), params) for params in exports),
        (reverse("actor_list"), {}),
        *((claim.speaker.get_absolute_url(), params) for params in exports),
    ]
    return pages


def _writes_of(client, url, params):
    """(status code, [each INSERT, UPDATE or DELETE statement]) of a GET, on every database."""
    sent = []

    def watch(execute, sql, params_, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            sent.append(sql)
        return execute(sql, params_, many, context)

    # The test's own writes are published first, as they would be committed before a request.
    dataversion.current()
    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(watch))
        status = client.get(url, params).status_code
    return status, sent


def _behind_the_apps_back(world, state):
    if state == "summary deleted":
        QuestionSummary.objects.filter(question=world["question"]).delete()
    elif state == "summary stale":
        # Drafted and published with SQL: no signal recomputes the summary, which lacks it.
        draft = make_claim(question=world["question"], status=Claim.Status.DRAFT, value=50)
        Claim.objects.filter(pk=draft.pk).update(status=Claim.Status.CHECKED)


@pytest.mark.parametrize("state", ["summaries fresh", "summary deleted", "summary stale"])
def test_no_public_get_writes(client, world, state):
    _behind_the_apps_back(world, state)
    written = {}
    for url, params in _urls(world):
        status, sent = _writes_of(client, url, params)
        assert status == 200, (url, params)
        if sent:
            written[url, tuple(params.items())] = sent
    assert written == {}
    summaries = QuestionSummary.objects.filter(question=world["question"])
    assert summaries.exists() is (state != "summary deleted")  # nothing repaired it on a view


def test_a_question_without_a_summary_is_listed_as_not_summarised_yet(client, world):
    QuestionSummary.objects.filter(question=world["question"]).delete()

    html = client.get(reverse("question_list")).content.decode()
    row = html[html.index(world["question"].title) :].split("</tr>")[0]
    assert "not summarised yet" in row
    listed = client.get(reverse("home"), {"format": "json"}).json()["questions"]
    (record,) = [q for q in listed if q["slug"] == world["question"].slug]
    assert (record["verdict"], record["verdict_label"], record["claims"]) == (
        None,
        "not summarised yet",
        None,
    )
    # The source page shows its claim without a standing or a verdict it would have to compute.
    data = client.get(world["source"].get_absolute_url(), {"format": "json"}).json()
    assert "conflicts_with" not in data["claims"][0]

    call_command("refresh_summaries", stdout=io.StringIO())

    html = client.get(reverse("question_list")).content.decode()
    row = html[html.index(world["question"].title) :].split("</tr>")[0]
    assert "not summarised yet" not in row and "conflict" in row


def test_a_claim_its_summary_lacks_has_no_standing_until_refresh_summaries(client, world):
    source = make_source()
    late = make_claim(source=source, question=world["question"], value=50, unit="%")
    late_draft = Claim.objects.filter(pk=late.pk)
    late_draft.update(status=Claim.Status.DRAFT)
    call_command("refresh_summaries", stdout=io.StringIO())
    # Published with SQL, as a data migration or loaddata would: no signal recomputes it.
    late_draft.update(status=Claim.Status.CHECKED)

    data = client.get(source.get_absolute_url(), {"format": "json"}).json()
    assert data["claims"][0]["ref"] == late.ref and "conflicts_with" not in data["claims"][0]

    call_command("refresh_summaries", stdout=io.StringIO())

    data = client.get(source.get_absolute_url(), {"format": "json"}).json()
    assert world["claim"].ref in data["claims"][0]["conflicts_with"]


def test_every_write_through_the_app_leaves_every_question_summarised(tmp_path):
    question = make_question()
    assert QuestionSummary.objects.get(question=question).claim_count == 0  # as it is saved
    (tmp_path / "questions.csv").write_text(
        "slug,title,kind,unit\nimported-question,An imported question,quantity,%\n",
        encoding="utf-8",
    )
    source = make_source()
    (tmp_path / "claims.csv").write_text(
        "ref,source,quote,question,value,unit\n"
        f"imported-claim,{source.slug},A quote.,imported-question,40,%\n",
        encoding="utf-8",
    )
    steps = [
        ("an import", lambda: data_import(paths=sorted(tmp_path.glob("*.csv")))),
        ("its undo", lambda: batch_undo(batch=ImportBatch.objects.get(), user=None)),
        ("a claim", lambda: make_claim(question=question, source=source, value=5, unit="%")),
        ("a merge", lambda: records_merge(keep=make_source(), remove=source)),
    ]
    for name, write in steps:
        write()
        assert (name, stale_summaries()) == (name, [])  # a missing one counts as stale
        questions = 2 if name == "an import" else 1
        assert (name, QuestionSummary.objects.count()) == (name, questions)


def test_a_question_not_summarised_yet_comes_last_on_the_most_contested_list(client):
    lonely = make_question(title="Lonely question")
    make_claim(question=lonely, value=5, unit="%")
    make_contested_question(3)
    QuestionSummary.objects.filter(question=lonely).delete()

    listed = client.get(reverse("home"), {"format": "json"}).json()["questions"]
    assert [q["verdict_label"] for q in listed][-1] == "not summarised yet"
    assert listed[0]["verdict"] == "conflict"


def test_a_claim_page_says_its_question_is_not_summarised_yet_rather_than_an_empty_badge(client):
    question = make_question(title="Lonely question")
    claim = make_claim(question=question, value=5, unit="%")
    QuestionSummary.objects.filter(question=question).delete()

    html = client.get(claim.get_absolute_url()).content.decode()
    standing = html[html.index("How it stands on its question") :].split("</section>")[0]
    assert '<span class="badge none">not summarised yet</span>' in standing
    assert '<span class="badge "></span>' not in html
