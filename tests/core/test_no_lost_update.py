"""No edit silently lost: a save from a form opened before someone else's change is refused.

Two curators, alice and bob, are logged in at once, each with a client of their own (separate
sessions). Each opens a page, as a browser would, and posts it back with their edits; the
second save is refused with who changed the record and when, a link to its history, and the form
again with the record as it is now and bob's edits put back in, so that saving it keeps both.
"""

import threading
import time
from decimal import Decimal

import pytest
from django import forms
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ClaimLink, Metal, Question
from core.admin import OPENED_VERSION
from interchange.services import data_import
from sources.models import Actor, Source
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user

pytestmark = pytest.mark.django_db


def logged_in(name, role="curator"):
    # A curator (or a superuser) of their own, logged in with a session of their own.
    client = Client()
    client.force_login(make_user(role, username=name))
    return client


@pytest.fixture
def alice():
    return logged_in("alice")


@pytest.fixture
def bob():
    return logged_in("bob")


@pytest.fixture
def root_alice():
    # Links between claims: the Curators group has no permissions on them (yet), superusers do.
    return logged_in("alice", "superuser")


@pytest.fixture
def root_bob():
    return logged_in("bob", "superuser")


def page(obj, view="change", *extra):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *extra])


def as_posted(response):
    """What a browser posts back from an admin page as rendered: the form, and each inline's
    management form and rows."""
    forms_shown = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms_shown += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms_shown:
        for name, field in form.fields.items():
            value, key = form[name].value(), form.add_prefix(name)
            if isinstance(field.widget, forms.CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)
    return data


def opened(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return as_posted(response)


def refusal(response):
    """The refusal shown on the page's form (the form again, not a redirect)."""
    assert response.status_code == 200
    return " ".join(response.context["adminform"].form.non_field_errors())


def shown(response, name):
    return response.context["adminform"].form[name].value()


def test_of_two_curators_saving_one_claim_the_second_is_refused_and_nothing_is_lost(alice, bob):
    claim = make_claim(quote="China handles nearly 90 percent.", status=Claim.Status.DRAFT)
    url = page(claim)
    alices, bobs = opened(alice, url), opened(bob, url)

    alices["quote"] = "China handles nearly 90 percent of processing."
    assert alice.post(url, alices).status_code == 302
    bobs["paraphrase"] = "China's share of processing: about 90 %."
    response = bob.post(url, bobs)

    message = refusal(response)
    assert "was changed by alice on " in message
    assert "nothing was saved" in message
    assert f'href="{page(claim, "history")}"' in message  # the difference, in its history
    claim.refresh_from_db()
    assert claim.quote == "China handles nearly 90 percent of processing."
    assert claim.paraphrase == ""
    # The form again: alice's quote as it is now, bob's paraphrase put back in.
    assert shown(response, "quote") == "China handles nearly 90 percent of processing."
    assert shown(response, "paraphrase") == "China's share of processing: about 90 %."

    assert bob.post(url, as_posted(response)).status_code == 302
    claim.refresh_from_db()
    assert claim.quote == "China handles nearly 90 percent of processing."
    assert claim.paraphrase == "China's share of processing: about 90 %."
    assert claim.version == 3
    assert claim.history.latest().history_user.username == "bob"


def neodymium():
    return Metal.objects.get(symbol="Nd")


def praseodymium_id():
    return str(Metal.objects.get(symbol="Pr").pk)


# For each kind of record: how to make one, alice's edit and bob's (a field each, or a list).
RECORDS = {
    "actor": (make_actor, ("name", "Ministry of Natural Resources"), ("description", "Russia's")),
    "source": (make_source, ("title", "Rare earths in Russia"), ("notes", "Read in full.")),
    "metal": (neodymium, ("name", "Neodymium (Nd)"), ("members", None)),
    "question": (make_question, ("title", "China's REE share"), ("description", "Of mining.")),
    "claim": (make_claim, ("quote", "Russia ranks fifth."), ("note", "Check the rank.")),
}


@pytest.mark.parametrize("kind", RECORDS)
def test_every_kind_of_record_refuses_a_save_from_before_anothers(alice, bob, kind):
    make, (field_a, value_a), (field_b, value_b) = RECORDS[kind]
    record = make()
    value_b = value_b if value_b is not None else [praseodymium_id()]
    url = page(record)
    alices, bobs = opened(alice, url), opened(bob, url)

    alices[field_a] = value_a
    assert alice.post(url, alices).status_code == 302
    bobs[field_b] = value_b
    response = bob.post(url, bobs)

    assert "was changed by alice" in refusal(response)
    record.refresh_from_db()
    assert getattr(record, field_a) == value_a
    assert shown(response, field_a) == value_a
    assert bob.post(url, as_posted(response)).status_code == 302
    record = type(record).objects.get(pk=record.pk)
    assert getattr(record, field_a) == value_a
    if field_b == "members":
        assert [str(m.pk) for m in record.members.all()] == value_b
    else:
        assert getattr(record, field_b) == value_b


def test_an_edit_of_the_same_field_is_named_and_the_form_keeps_the_second_curators(alice, bob):
    question = make_question(title="China's share of REE mining")
    url = page(question)
    alices, bobs = opened(alice, url), opened(bob, url)

    alices["title"] = "China's share of world REE mining"
    assert alice.post(url, alices).status_code == 302
    bobs["title"] = "China's share of REE mining, by tonnage"
    response = bob.post(url, bobs)

    assert "You both changed Title: the form has your value." in refusal(response)
    assert shown(response, "title") == "China's share of REE mining, by tonnage"
    question.refresh_from_db()
    assert question.title == "China's share of world REE mining"


def test_a_save_with_nothing_changed_in_between_is_accepted(alice):
    actor = make_actor(name="IEA")
    url = page(actor)
    data = opened(alice, url)
    data["name"] = "International Energy Agency"
    assert alice.post(url, data).status_code == 302
    # Saved from the page as it is after the save: version 2 now.
    data = opened(alice, url)
    assert data[OPENED_VERSION] == "2"
    data["description"] = "The OECD's energy agency."
    assert alice.post(url, data).status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.description, actor.version) == (
        "International Energy Agency",
        "The OECD's energy agency.",
        3,
    )


def test_a_form_that_does_not_say_its_version_is_refused(alice):
    actor = make_actor(name="IEA")
    url = page(actor)
    data = opened(alice, url)
    del data[OPENED_VERSION]
    data["name"] = "International Energy Agency"

    response = alice.post(url, data)

    assert "nothing was saved" in refusal(response)
    actor.refresh_from_db()
    assert actor.name == "IEA"


def test_an_import_in_between_counts_as_a_change(bob, tmp_path):
    actor = make_actor(slug="iea", name="IEA")
    url = page(actor)
    bobs = opened(bob, url)
    (tmp_path / "actors.csv").write_text(
        "slug,name,kind,country,parent,aliases,wikidata_id,description\n"
        "iea,International Energy Agency,organisation,,,,,\n",
        encoding="utf-8",
    )
    assert data_import(paths=[tmp_path / "actors.csv"], user=make_user("curator", "carol")).ok

    bobs["description"] = "The OECD's energy agency."
    response = bob.post(url, bobs)

    assert "was changed by carol (import of actors.csv) on " in refusal(response)
    actor.refresh_from_db()
    assert (actor.name, actor.description) == ("International Energy Agency", "")
    assert shown(response, "name") == "International Energy Agency"
    assert bob.post(url, as_posted(response)).status_code == 302
    actor.refresh_from_db()
    assert (actor.name, actor.description) == (
        "International Energy Agency",
        "The OECD's energy agency.",
    )


# Inline rows: the links of a claim, and the claims on a source's page.


def linked_claim():
    claim, target = make_claim(), make_claim()
    link = ClaimLink.objects.create(claim=claim, kind="qualifies", target=target)
    return claim, link


def test_a_link_changed_since_the_page_was_opened_is_refused_on_its_row(root_alice, root_bob):
    alice, bob = root_alice, root_bob
    claim, link = linked_claim()
    url = page(claim)
    alices, bobs = opened(alice, url), opened(bob, url)

    alices["links-0-kind"] = "disputes"
    assert alice.post(url, alices).status_code == 302
    bobs["links-0-kind"] = "derived_from"
    response = bob.post(url, bobs)

    assert response.status_code == 200
    row = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert "was changed by alice" in " ".join(row.non_field_errors())
    link.refresh_from_db()
    assert link.kind == "disputes"


def test_a_link_changed_since_the_page_was_opened_is_not_deleted(root_alice, root_bob):
    alice, bob = root_alice, root_bob
    claim, link = linked_claim()
    url = page(claim)
    alices, bobs = opened(alice, url), opened(bob, url)

    alices["links-0-kind"] = "disputes"
    assert alice.post(url, alices).status_code == 302
    bobs["links-0-DELETE"] = "on"
    response = bob.post(url, bobs)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "was changed by alice" in " ".join(formset.non_form_errors())
    link.refresh_from_db()
    assert link.kind == "disputes"


def claim_row(data, claim):
    """The prefix of `claim`'s row among the source page's claims."""
    rows = int(data["claims-TOTAL_FORMS"])
    return next(f"claims-{i}" for i in range(rows) if data[f"claims-{i}-id"] == str(claim.pk))


def test_a_claim_changed_on_its_own_page_is_refused_on_the_source_page(alice, bob):
    source = make_source(title="Rare earths in Russia")
    claim = make_claim(source=source, quote="Russia ranks fifth.", status=Claim.Status.DRAFT)
    bobs = opened(bob, page(source))
    alices = opened(alice, page(claim))

    alices["quote"] = "Russia ranks fifth in reserves."
    assert alice.post(page(claim), alices).status_code == 302
    bobs[f"{claim_row(bobs, claim)}-quote"] = "Russia has the fifth-largest reserves."
    response = bob.post(page(source), bobs)

    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.quote == "Russia ranks fifth in reserves."


def test_a_claim_left_as_it_was_on_the_source_page_keeps_its_change_from_its_own_page(alice, bob):
    source = make_source(title="Rare earths in Russia")
    claim = make_claim(source=source, quote="Russia ranks fifth.", status=Claim.Status.DRAFT)
    bobs = opened(bob, page(source))
    alices = opened(alice, page(claim))

    alices["quote"] = "Russia ranks fifth in reserves."
    assert alice.post(page(claim), alices).status_code == 302
    bobs["title"] = "Rare earths in Russia, 2025"
    assert bob.post(page(source), bobs).status_code == 302

    claim.refresh_from_db()
    source.refresh_from_db()
    assert claim.quote == "Russia ranks fifth in reserves."
    assert source.title == "Rare earths in Russia, 2025"


def test_a_row_left_alone_is_not_checked_against_a_change_made_since(alice, bob):
    # The claim was checked although its quote is not in the text (confirmed then); alice sets it
    # back to draft. Bob's page still shows it checked: posted as it was, it would be a check
    # asking for that confirmation again, of a row bob never touched.
    source = make_source(title="Rare earths in Russia", text="Russia has large reserves.")
    claim = make_claim(source=source, quote="Russia ranks fifth.", status=Claim.Status.CHECKED)
    assert claim.quote_found is False
    bobs = opened(bob, page(source))
    alices = opened(alice, page(claim))

    alices["status"] = Claim.Status.DRAFT
    assert alice.post(page(claim), alices).status_code == 302
    bobs["title"] = "Rare earths in Russia, 2025"
    response = bob.post(page(source), bobs)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    claim.refresh_from_db()
    source.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT
    assert source.title == "Rare earths in Russia, 2025"


# Reverting from the history is a save like any other.


def test_a_revert_from_before_anothers_save_is_refused(alice, bob):
    claim = make_claim(quote="China handles nearly 90 percent.", status=Claim.Status.DRAFT)
    first = claim.history.latest()
    claim.quote = "China handles 91 percent."
    claim.save()
    revert = page(claim, "simple_history", first.pk)
    bobs = opened(bob, revert)
    alices = opened(alice, page(claim))

    alices["paraphrase"] = "About 90 %."
    assert alice.post(page(claim), alices).status_code == 302
    response = bob.post(revert, bobs)

    assert "was changed by alice" in refusal(response)
    claim.refresh_from_db()
    assert (claim.quote, claim.paraphrase) == ("China handles 91 percent.", "About 90 %.")
    # Sent again, the revert brings back the old quote and keeps alice's paraphrase.
    assert bob.post(revert, as_posted(response)).status_code == 302
    claim.refresh_from_db()
    assert (claim.quote, claim.paraphrase) == ("China handles nearly 90 percent.", "About 90 %.")


def test_a_revert_moves_the_version_forward_not_back(alice, bob):
    claim = make_claim(value=Decimal(90), unit="%")
    first = claim.history.latest()
    claim.value = Decimal(91)
    claim.save()
    bobs = opened(bob, page(claim))  # version 2
    claim.value = Decimal(92)
    claim.save()
    revert = page(claim, "simple_history", first.pk)

    assert alice.post(revert, opened(alice, revert)).status_code == 302
    claim.refresh_from_db()
    assert (claim.value, claim.version) == (Decimal(90), 4)

    # Had the revert written version 2 again (the old version's number, plus one), bob's page,
    # opened at version 2, would now save over both changes.
    bobs["note"] = "Check the share."
    assert "was changed by alice" in refusal(bob.post(page(claim), bobs))
    claim.refresh_from_db()
    assert (claim.value, claim.note) == (Decimal(90), "")


def test_a_reader_sees_no_version_field(client):
    client.force_login(make_user("reader"))
    response = client.get(page(make_claim()))
    assert response.status_code == 200
    assert OPENED_VERSION not in response.content.decode()


# Versioned.save outside the admin.


def test_two_saves_of_the_same_record_read_before_either_each_raise_the_version():
    actor = make_actor(name="IEA")
    first, second = Actor.objects.get(pk=actor.pk), Actor.objects.get(pk=actor.pk)
    first.name = "International Energy Agency"
    first.save()
    second.description = "The OECD's energy agency."
    second.save()
    assert second.version == 3
    assert Actor.objects.get(pk=actor.pk).version == 3
    assert list(actor.history.values_list("version", flat=True)) == [3, 2, 1]


def test_a_save_of_some_fields_raises_the_version_too():
    source = make_source(title="Rare earths")
    source.title = "Rare earths in Russia"
    source.save(update_fields=["title"])
    assert Source.objects.get(pk=source.pk).version == 2


def test_a_new_record_starts_at_version_one():
    assert make_question().version == 1
    assert Question.objects.get().version == 1


# How long a test waits for a save to wait on another's row lock before it fails.
LOCK_WAIT_TIMEOUT = 30


def backend_waits_on_a_lock(timeout):
    """Whether, within `timeout` seconds, another connection to the test database waits on a lock
    (PostgreSQL's pg_stat_activity, polled)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone():
                return True
            time.sleep(0.02)
    return False


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time: saves cannot interleave there",
)
@pytest.mark.django_db(transaction=True)
def test_a_save_waits_for_one_in_progress_and_is_then_refused():
    """Two saves at the same moment: the version is read with the row locked, so the second
    waits for the first to commit, then sees its version and is refused. (Unlocked, it would read
    the old version, be accepted and overwrite the first.)"""
    # The superuser: the roles' groups are not there in a test that empties the database after.
    bob = Client()
    bob.force_login(make_user("superuser", username="bob"))
    actor = make_actor(name="IEA")
    url = page(actor)
    bobs = opened(bob, url)
    locked, go_on = threading.Event(), threading.Event()
    bob_waited = []

    def alice_saving():
        try:
            with transaction.atomic():
                saving = Actor.objects.select_for_update().get(pk=actor.pk)
                saving.name = "International Energy Agency"
                saving.save()
                locked.set()
                # Bob's save starts meanwhile: alice commits only once it waits for her lock.
                go_on.wait(timeout=LOCK_WAIT_TIMEOUT + 5)
        finally:
            connection.close()

    def release_once_bob_waits():
        # Polled from a connection of its own: Bob's request is in the main thread.
        try:
            bob_waited.append(backend_waits_on_a_lock(LOCK_WAIT_TIMEOUT))
        finally:
            go_on.set()
            connection.close()

    alices = threading.Thread(target=alice_saving)
    alices.start()
    assert locked.wait(timeout=10)
    bobs["description"] = "The OECD's energy agency."
    releaser = threading.Thread(target=release_once_bob_waits)
    releaser.start()
    response = bob.post(url, bobs)
    releaser.join()
    alices.join()

    assert bob_waited == [True], f"bob's save never waited for alice's lock ({LOCK_WAIT_TIMEOUT} s)"
    assert "nothing was saved" in refusal(response)
    actor.refresh_from_db()
    assert (actor.name, actor.description, actor.version) == ("International Energy Agency", "", 2)
