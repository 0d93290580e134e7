"""Who created and who checked a claim, and the confirmation asked before a claim whose quote is
not in its source's text is marked checked (the admin's claim form, and imports)."""

import csv
import html

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.services import QUOTE_MISSING_REASON
from interchange.services import data_import
from tests.claims.test_door_checks import as_posted
from tests.conftest import make_claim, make_source, make_user

pytestmark = pytest.mark.django_db

TEXT = "China mines about 70 percent of the world's rare earths."


@pytest.fixture
def alice(client):
    # A curator: adds, changes and checks claims.
    return make_user("curator", "alice")


@pytest.fixture
def bob():
    # Another curator, the second checker of alice's claims.
    return make_user("curator", "bob")


def change(client, user, claim, **fields):
    """Save the claim's admin page as `user`, with `fields` changed."""
    client.force_login(user)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    return client.post(url, {**as_posted(client.get(url)), **fields})


def test_the_admin_records_who_created_a_claim(client, alice):
    client.force_login(alice)
    source = make_source(text=TEXT)
    data = {
        "ref": "new-claim",
        "source": source.pk,
        "quote": "about 70 percent",
        "status": "draft",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:claims_claim_add"), data)

    assert response.status_code == 302
    claim = Claim.objects.get(ref="new-claim")
    assert claim.created_by == alice
    assert (claim.checked_by, claim.checked_at) == (None, None)
    assert claim.history.latest().history_user == alice


def test_checking_a_claim_records_who_checked_it_and_when(client, alice, bob):
    claim = make_claim(source=make_source(text=TEXT), quote="70 percent", status="draft")

    response = change(client, bob, claim, status="checked")

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.checked_by == bob
    assert claim.checked_at is not None
    latest = claim.history.latest()
    assert (latest.history_user, latest.checked_by_id) == (bob, bob.pk)

    # Another edit of a checked claim is no new check: who checked it stays.
    checked_at = claim.checked_at
    assert change(client, alice, claim, note="Rounded.").status_code == 302
    claim.refresh_from_db()
    assert (claim.checked_by, claim.checked_at) == (bob, checked_at)


def test_checking_a_claim_whose_quote_is_not_found_asks_for_confirmation(client, alice):
    claim = make_claim(source=make_source(text=TEXT), quote="60 percent", status="draft")

    response = change(client, alice, claim, status="checked")

    assert response.status_code == 200
    assert "The quote is not in the source's stored text" in html.unescape(
        response.content.decode()
    )
    assert b'type="checkbox" name="confirm_quote_missing"' in response.content
    claim.refresh_from_db()
    assert claim.status == "draft"

    response = change(client, alice, claim, status="checked", confirm_quote_missing="on")

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.checked_by) == ("checked", alice)
    assert claim.history.latest().history_change_reason == QUOTE_MISSING_REASON


def test_the_confirmation_is_hidden_until_it_is_needed(client, alice):
    claim = make_claim(source=make_source(text=TEXT), quote="60 percent", status="draft")
    client.force_login(alice)

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert b'type="hidden" name="confirm_quote_missing"' in page.content
    assert b'type="checkbox" name="confirm_quote_missing"' not in page.content


def test_a_source_without_a_stored_text_needs_no_confirmation(client, alice):
    # Nothing to look the quote up in: the curator checked it against the document itself.
    claim = make_claim(source=make_source(), quote="60 percent", status="draft")

    assert change(client, alice, claim, status="checked").status_code == 302
    claim.refresh_from_db()
    assert claim.status == "checked"


def test_a_reader_sees_a_claim_without_the_confirmation(client):
    claim = make_claim(source=make_source(text=TEXT), quote="60 percent")
    client.force_login(make_user("reader"))

    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    assert page.status_code == 200
    assert b"confirm_quote_missing" not in page.content


def test_with_a_second_checker_required_the_creator_cannot_check(client, alice, bob, settings):
    settings.CLAIMS_REQUIRE_SECOND_CHECKER = True
    claim = make_claim(
        source=make_source(text=TEXT), quote="70 percent", status="draft", created_by=alice
    )

    response = change(client, alice, claim, status="checked")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == [
        "Another curator must check this claim: you recorded it, and the team requires a "
        "second checker."
    ]
    claim.refresh_from_db()
    assert claim.status == "draft"

    assert change(client, bob, claim, status="checked").status_code == 302
    claim.refresh_from_db()
    assert claim.checked_by == bob


def test_by_default_the_creator_may_check_their_own_claim(client, alice):
    claim = make_claim(
        source=make_source(text=TEXT), quote="70 percent", status="draft", created_by=alice
    )

    assert change(client, alice, claim, status="checked").status_code == 302
    claim.refresh_from_db()
    assert claim.checked_by == alice


# --- imports ------------------------------------------------------------------------------------

CLAIMS = ["ref", "source", "quote", "status"]


def claims_file(folder, rows):
    path = folder / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLAIMS)
        writer.writerows(rows)
    return path


def test_an_import_records_who_created_and_who_checked(tmp_path, alice, bob):
    make_source(slug="s", text=TEXT)
    rows = [["new-checked", "s", "70 percent", "checked"], ["new-draft", "s", "70 percent", ""]]

    report = data_import(paths=[claims_file(tmp_path, rows)], user=alice)

    assert report.ok, report.errors
    claims = {claim.ref: claim for claim in Claim.objects.all()}
    assert {ref: claim.created_by for ref, claim in claims.items()} == {
        "new-checked": alice,
        "new-draft": alice,
    }
    assert claims["new-checked"].checked_by == alice
    assert claims["new-checked"].checked_at is not None
    assert claims["new-draft"].checked_by is None

    # bob's file checks the draft: he checked it; the claim checked already keeps its checker.
    rows = [
        ["new-checked", "s", "70 percent", "checked"],
        ["new-draft", "s", "70 percent", "checked"],
    ]
    report = data_import(paths=[claims_file(tmp_path, rows)], user=bob)

    assert report.ok, report.errors
    checkers = dict(Claim.objects.values_list("ref", "checked_by__username"))
    assert checkers == {"new-checked": "alice", "new-draft": "bob"}
    creators = dict(Claim.objects.values_list("ref", "created_by__username"))
    assert creators == {"new-checked": "alice", "new-draft": "alice"}


def test_with_a_second_checker_required_an_import_cannot_check_its_users_claims(
    tmp_path, alice, bob, settings
):
    settings.CLAIMS_REQUIRE_SECOND_CHECKER = True
    source = make_source(slug="s", text=TEXT)
    make_claim(ref="alices", source=source, quote="70 percent", status="draft", created_by=alice)
    make_claim(ref="done", source=source, quote="70 percent", status="checked", created_by=alice)
    rows = [
        ["alices", "s", "70 percent", "checked"],
        ["done", "s", "70 percent", "checked"],  # checked already: nothing new to refuse
        ["new", "s", "70 percent", "checked"],  # a new row is the importing user's own
    ]

    report = data_import(paths=[claims_file(tmp_path, rows)], user=alice)

    message = (
        "column status: another curator must check this claim: you recorded it, and the team "
        "requires a second checker"
    )
    assert report.errors == [f"claims.csv line 2, {message}", f"claims.csv line 4, {message}"]

    report = data_import(paths=[claims_file(tmp_path, rows[:1])], user=bob)
    assert report.ok, report.errors
    assert Claim.objects.get(ref="alices").checked_by == bob


# --- claims edited on their source's page -------------------------------------------------------


def source_page(client, user, source, data=None):
    """The source's admin page (its claims inline), GET or, with `data`, POST, as `user`."""
    client.force_login(user)
    url = reverse("admin:sources_source_change", args=[source.pk])
    return client.get(url) if data is None else client.post(url, data)


def posted_with_rows(page, **changes):
    """What saving the page posts with its inline rows as they are, and `changes` (by name)."""
    data = {}
    forms = [page.context["adminform"].form]
    for formset in page.context["inline_admin_formsets"]:
        formset = formset.formset
        forms.extend(formset.forms)
        forms.append(formset.management_form)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                value = [str(v) for v in value] if isinstance(value, list | tuple) else value
                data[form.add_prefix(name)] = value
    return {**data, **changes}


def test_checking_a_claim_on_its_sources_page_records_who_checked_it(client, alice):
    source = make_source(text=TEXT)
    claim = make_claim(source=source, quote="70 percent", status="draft")
    page = source_page(client, alice, source)

    data = posted_with_rows(page, **{"claims-0-status": "checked"})
    response = source_page(client, alice, source, data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.checked_by) == ("checked", alice)


def test_a_missing_quote_on_the_sources_page_asks_for_confirmation(client, alice):
    source = make_source(text=TEXT)
    claim = make_claim(source=source, quote="60 percent", status="draft")
    page = source_page(client, alice, source)
    data = posted_with_rows(page, **{"claims-0-status": "checked"})

    refused = source_page(client, alice, source, data)

    assert refused.status_code == 200
    assert b'type="checkbox" name="claims-0-confirm_quote_missing"' in refused.content
    claim.refresh_from_db()
    assert claim.status == "draft"

    confirmed = source_page(client, alice, source, {**data, "claims-0-confirm_quote_missing": "on"})

    assert confirmed.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.checked_by) == ("checked", alice)
    assert claim.history.latest().history_change_reason == QUOTE_MISSING_REASON


def test_a_claim_read_without_its_sources_text_still_gets_its_flag_when_its_quote_changes():
    # The bulk actions read claims with their sources' texts deferred (claims.services._locked).
    claim = make_claim(source=make_source(text=TEXT), quote="70 percent", status="draft")
    elsewhere = make_source(text="Nothing about mining.")

    def read():
        return Claim.objects.select_related("source").defer("source__text").get(pk=claim.pk)

    requoted = read()
    requoted.quote = "80 percent"
    requoted.save()
    assert Claim.objects.get(pk=claim.pk).quote_found is False

    moved = read()
    moved.quote = "70 percent"
    moved.save()
    assert Claim.objects.get(pk=claim.pk).quote_found is True
    moved = read()
    moved.source = elsewhere
    moved.save()
    assert Claim.objects.get(pk=claim.pk).quote_found is False

    # Neither changes: the flag as stored (and no text read).
    Claim.objects.filter(pk=claim.pk).update(quote_found=None)
    kept = read()
    kept.note = "Seen."
    kept.save()
    assert Claim.objects.get(pk=claim.pk).quote_found is None
