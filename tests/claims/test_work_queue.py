"""The "to check" queue and the bulk actions on claims: mark checked, file under a question, set a
status; each recorded in the history with the acting curator, refused whole when a claim cannot
take it."""

import html
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from claims.models import Claim, ClaimToCheck
from claims.services import QUOTE_MISSING_REASON, claims_status_set
from tests.conftest import make_claim, make_question, make_source, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:claims_claimtocheck_changelist")
CLAIMS = reverse("admin:claims_claim_changelist")
TEXT = "China mines about 70 percent and refines 90 percent."


@pytest.fixture
def curator(client):
    # A curator: works the queue (every action).
    user = make_user("curator", "carol")
    client.force_login(user)
    return user


def drafts(count, **fields):
    source = fields.pop("source", None) or make_source(text=TEXT)
    return [
        make_claim(source=source, quote="70 percent", status="draft", **fields)
        for _ in range(count)
    ]


def act(client, url, action, claims, **data):
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in claims], "index": "0", **data},
    )


def apply(client, url, action, claims, **data):
    """Submit an action's own page (what it asks for, or a confirmation)."""
    return client.post(
        url,
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in claims], "apply": "1", **data},
    )


def text(response):
    """The page's HTML with its entities read (source&#x27;s: source's)."""
    return html.unescape(response.content.decode())


# --- the queue ----------------------------------------------------------------------------------


def test_the_queue_lists_the_drafts_oldest_first_linked_to_their_pages(client, curator):
    first, second = drafts(2)
    make_claim(status="checked")
    Claim.objects.filter(pk=first.pk).update(created=second.created.replace(year=2020))

    response = client.get(QUEUE)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert rows == [ClaimToCheck.objects.get(pk=first.pk), ClaimToCheck.objects.get(pk=second.pk)]
    page = response.content.decode()
    assert reverse("admin:claims_claim_change", args=[first.pk]) in page
    assert page.index(first.ref) < page.index(second.ref)


def test_the_queue_runs_a_fixed_number_of_queries(client, curator, django_assert_num_queries):
    question = make_question(unit="%")
    for _ in range(3):
        drafts(1, question=question, value=Decimal(70), unit="%", created_by=curator)
    # 1. session, 2. user, 3. the user's own permissions, 4. those of the curators' group, 5. the
    # page's count (capped), 6. the page of drafts joined with their source, question and creator
    with django_assert_num_queries(6):
        response = client.get(QUEUE)
    assert response.content.count(b'class="action-select"') == 3
    assert "70%" in response.content.decode()


def test_a_reader_sees_the_queue_but_no_action(client):
    claim = drafts(1)[0]
    client.force_login(make_user("reader"))

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert response.context["action_form"] is None
    act(client, QUEUE, "mark_checked", [claim])
    claim.refresh_from_db()
    assert claim.status == "draft"


def test_the_queue_has_no_add_or_delete(client, curator):
    claim = drafts(1)[0]
    assert client.get(reverse("admin:claims_claimtocheck_add")).status_code == 403
    page = client.get(reverse("admin:claims_claimtocheck_change", args=[claim.pk]))
    assert page.url == reverse("admin:claims_claim_change", args=[claim.pk])


# --- mark checked -------------------------------------------------------------------------------


def test_marking_checked_records_the_curator_in_each_claims_history(client, curator):
    question = make_question(unit="%")
    claims = drafts(3, question=question, value=Decimal(70), unit="%")

    response = act(client, QUEUE, "mark_checked", claims)

    assert response.status_code == 302
    for claim in claims:
        claim.refresh_from_db()
        latest = claim.history.latest()
        assert (claim.status, claim.checked_by, claim.version) == ("checked", curator, 2)
        assert latest.history_user == curator
        assert latest.history_change_reason == "status set to checked (bulk action in the admin)"
    # The question's summary is recomputed: the claims are public now.
    question.summary.refresh_from_db()
    assert question.summary.claim_count == 3


def test_marking_checked_claims_whose_quote_is_missing_asks_first(client, curator):
    found = drafts(1)[0]
    missing = make_claim(source=found.source, quote="60 percent", status="draft")

    page = act(client, CLAIMS, "mark_checked", [found, missing])

    assert page.status_code == 200
    assert f"The quote of {missing.ref} is not in its source's stored text" in text(page)
    assert b'type="checkbox" name="confirm_quote_missing"' in page.content
    assert set(Claim.objects.values_list("status", flat=True)) == {"draft"}

    # Not ticked: asked again, nothing changed.
    assert apply(client, CLAIMS, "mark_checked", [found, missing]).status_code == 200
    assert set(Claim.objects.values_list("status", flat=True)) == {"draft"}

    response = apply(client, CLAIMS, "mark_checked", [found, missing], confirm_quote_missing="on")

    assert response.status_code == 302
    assert set(Claim.objects.values_list("status", flat=True)) == {"checked"}
    missing.refresh_from_db()
    assert missing.history.latest().history_change_reason.endswith(QUOTE_MISSING_REASON)


def test_with_a_second_checker_required_ones_own_claims_are_refused(client, curator, settings):
    settings.CLAIMS_REQUIRE_SECOND_CHECKER = True
    own = drafts(1, created_by=curator)[0]
    other = drafts(1)[0]

    act(client, QUEUE, "mark_checked", [own, other])

    assert "the team requires a second checker" in text(client.get(QUEUE))
    assert set(Claim.objects.values_list("status", flat=True)) == {"draft"}


# --- file under question ------------------------------------------------------------------------


def test_filing_asks_for_the_question_from_a_searchable_list(client, curator):
    claims = drafts(2)

    page = act(client, QUEUE, "file_under_question", claims)

    assert page.status_code == 200
    assert b"admin-autocomplete" in page.content
    assert reverse("admin:autocomplete") in page.content.decode()


def test_filing_files_the_claims_with_the_questions_unit(client, curator):
    question = make_question(unit="%")
    claims = drafts(2, value=Decimal(70))

    response = apply(client, QUEUE, "file_under_question", claims, question=question.pk)

    assert response.status_code == 302
    for claim in claims:
        claim.refresh_from_db()
        assert (claim.question, claim.unit) == (question, "%")
        latest = claim.history.latest()
        assert latest.history_user == curator
        assert (
            latest.history_change_reason
            == f"filed under {question.slug} (bulk action in the admin)"
        )


def test_filing_a_claim_that_cannot_stand_on_the_question_files_none(client, curator):
    question = make_question(unit="%")
    fits = drafts(1, value=Decimal(70), unit="%")[0]
    tonnes = drafts(1, value=Decimal(120), unit="t")[0]

    page = apply(client, QUEUE, "file_under_question", [fits, tonnes], question=question.pk)

    assert page.status_code == 200
    assert (
        f"Nothing was filed under “{question}”: {tonnes.ref}: a figure in tonnes (t) cannot "
        "stand on this question"
    ) in text(page)
    assert not Claim.objects.filter(question=question).exists()


# --- set status ---------------------------------------------------------------------------------


def test_setting_a_status_records_the_curator(client, curator):
    claims = [make_claim(status="checked"), make_claim(status="checked")]

    assert act(client, CLAIMS, "set_status", claims).status_code == 200
    response = apply(client, CLAIMS, "set_status", claims, status="disputed")

    assert response.status_code == 302
    for claim in claims:
        claim.refresh_from_db()
        assert claim.status == "disputed"
        assert claim.history.latest().history_user == curator


def test_setting_checked_asks_for_the_same_confirmation(client, curator):
    missing = make_claim(source=make_source(text=TEXT), quote="60 percent", status="draft")

    page = apply(client, QUEUE, "set_status", [missing], status="checked")

    assert page.status_code == 200
    assert b'type="checkbox" name="confirm_quote_missing"' in page.content
    missing.refresh_from_db()
    assert missing.status == "draft"
    response = apply(
        client, QUEUE, "set_status", [missing], status="checked", confirm_quote_missing="on"
    )
    assert response.status_code == 302
    missing.refresh_from_db()
    assert (missing.status, missing.checked_by) == ("checked", curator)


def test_filing_every_draft_the_list_matches_goes_through_its_page(client, curator):
    # "Select all N": the page carries select_across back, and the action takes every match.
    question = make_question(unit="%")
    claims = drafts(3, value=Decimal(70))
    make_claim(status="checked", value=Decimal(70))  # not in the queue: untouched

    page = act(client, QUEUE, "file_under_question", claims[:1], select_across="1")
    assert b'name="select_across" value="1"' in page.content
    response = apply(
        client, QUEUE, "file_under_question", claims[:1], select_across="1", question=question.pk
    )

    assert response.status_code == 302
    assert set(Claim.objects.filter(question=question)) == set(claims)


def test_a_status_set_in_bulk_reads_no_source_text(curator, django_assert_num_queries):
    # A source's text can be a million characters: the flag it gives stays as stored when neither
    # the quote nor the source changes, so the bulk actions never read one.
    claims = drafts(3, source=make_source(text=TEXT * 1000))
    selected = Claim.objects.filter(pk__in=[c.pk for c in claims])

    # 1. a savepoint, 2. the claims with their sources (texts deferred), locked; then per claim:
    # 3. its stored version, locked (core.models.Versioned), 4. its question before
    # (claims.signals), 5. the update, 6. its history row, 7.-8. its links to actors and metals,
    # for the history; 21. the savepoint released. (No summary: the claims are under no question.)
    with django_assert_num_queries(2 + 6 * 3 + 1) as queries:
        claims_status_set(claims=selected, status="disputed", user=curator)

    assert not [q for q in queries.captured_queries if '"sources_source"."text"' in q["sql"]]
    assert set(selected.values_list("status", "quote_found")) == {("disputed", True)}
