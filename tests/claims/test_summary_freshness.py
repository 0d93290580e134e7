"""A question's summary is never staler than the last committed write, and operators can check it.

Two curators saving claims of one question at the same instant used to leave its summary without
one of the two changes: each transaction recomputed it without seeing the other's uncommitted
claim. The refresh now locks the question's row first (claims.summaries._locked_questions).
"""

import io
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from claims.models import Claim, QuestionSummary
from claims.summaries import question_summaries_refresh, stale_summaries
from tests.conftest import make_claim, make_question, make_source

ROUNDS = 12


def _set_status(pk, status, barrier, errors):
    try:
        barrier.wait(timeout=10)
        with transaction.atomic():
            claim = Claim.objects.get(pk=pk)
            claim.status = status
            claim.save()  # the post_save signal recomputes the question's summary
            # Keep the transaction open a moment, as a busy request would: without the lock the
            # other thread's refresh runs now and misses this claim.
            time.sleep(0.05)
    except Exception as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()


def _at_once(status, pks):
    barrier = threading.Barrier(len(pks))
    errors = []
    threads = [
        threading.Thread(target=_set_status, args=(pk, status, barrier, errors)) for pk in pks
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time: saves cannot interleave there",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_question_leave_its_summary_equal_to_a_fresh_recompute():
    question = make_question(unit="%", tolerance=1)
    make_claim(question=question, value=50, unit="%", source=make_source())
    drafts = [
        make_claim(question=question, value=value, unit="%", status=Claim.Status.DRAFT).pk
        for value in (51, 90)
    ]
    for round_ in range(ROUNDS):
        _at_once(Claim.Status.CHECKED, drafts)
        summary = QuestionSummary.objects.get(question=question)
        assert (round_, summary.claim_count, summary.spread_high) == (round_, 3, 90)
        assert stale_summaries() == []

        _at_once(Claim.Status.DRAFT, drafts)
        summary = QuestionSummary.objects.get(question=question)
        # A draft's figure must not linger: one public claim of 50 % is left.
        assert (round_, summary.claim_count, summary.spread_high) == (round_, 1, 50)
        assert [record[0] for record in summary.placements] == [
            Claim.objects.get(status=Claim.Status.CHECKED).ref
        ]
        assert stale_summaries() == []


@pytest.mark.django_db
def test_refresh_summaries_check_reports_a_stale_summary_and_the_command_repairs_it():
    fresh = make_question(slug="fresh-question")
    make_claim(question=fresh, value=10, unit="%")
    stale = make_question(slug="stale-question")
    claim = make_claim(question=stale, value=20, unit="%")
    out = io.StringIO()
    call_command("refresh_summaries", "--check", stdout=out)
    assert "Every question summary matches its claims." in out.getvalue()

    # Written around the signals, as SQL or loaddata would: the summary still counts the claim.
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 question summaries differ"):
        call_command("refresh_summaries", "--check", stdout=out)
    assert out.getvalue().splitlines() == ["stale: stale-question"]
    assert QuestionSummary.objects.get(question=stale).claim_count == 1  # --check wrote nothing

    out = io.StringIO()
    call_command("refresh_summaries", stdout=out)
    assert "1 of them were stale" in out.getvalue()
    assert QuestionSummary.objects.get(question=stale).claim_count == 0
    assert stale_summaries() == []


@pytest.mark.django_db
def test_a_missing_summary_counts_as_stale():
    question = make_question()
    make_claim(question=question, value=10, unit="%")
    QuestionSummary.objects.filter(question=question).delete()
    assert stale_summaries() == [question.pk]
    question_summaries_refresh(question_ids=[question.pk])
    assert stale_summaries() == []
