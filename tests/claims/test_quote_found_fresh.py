"""The stored quote-found flag (is a claim's quote in its source's text?) stays exact after bulk
writes: an import's undo puts old quotes back with the flags they had then, and restores texts,
so the claims it restored and the claims of the sources it restored are recomputed, whatever was
saved in between (claims.signals, on interchange.signals.records_imported).

Users: `alice`, a curator, imports and undoes; `bob`, a curator, edits sources in between.
"""

import pytest
from django.db import transaction

from claims.models import Claim
from core.history import change_reason
from interchange.batches import recording
from interchange.models import ImportBatch
from interchange.services import batch_undo, data_import
from interchange.signals import records_imported
from sources.models import Source
from sources.resources import SourceResource
from tests.conftest import make_claim, make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return make_user("curator", "alice")


@pytest.fixture
def bob():
    return make_user("curator", "bob")


def import_file(tmp_path, name, text, user):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = data_import(paths=[path], user=user)
    assert report.ok, report.errors
    return ImportBatch.objects.order_by("-pk").first()


def edit(source, user, **fields):
    """A curator's save of a source (as the admin's form saves it)."""
    source = Source.objects.get(pk=source.pk)
    for name, value in fields.items():
        setattr(source, name, value)
    source._history_user = user
    source.save()


def flag(claim):
    return Claim.objects.values_list("quote_found", flat=True).get(pk=claim.pk)


def test_undo_recomputes_the_flag_of_a_claim_whose_old_quote_it_puts_back(tmp_path, alice, bob):
    deposit = make_source(slug="deposit", text="The deposit holds 2 Mt of ore.")
    other = make_source(slug="other", text="Nothing here.")
    claim = make_claim(ref="ore", source=deposit, quote="holds 2 Mt", status="draft")
    assert flag(claim) is True

    # 1. An import changes the claim's quote: not in the text.
    batch = import_file(tmp_path, "claims.csv", "ref,source,quote\nore,deposit,holds 3 Mt\n", alice)
    assert flag(claim) is False
    # 2. Bob edits that source's text: the new quote is in it, the old one no longer.
    edit(deposit, bob, text="The deposit holds 3 Mt of ore.")
    assert flag(claim) is True
    # 3. Bob edits another source, later.
    edit(other, bob, text="Still nothing here.")

    # 4. The undo puts the old quote back, with the flag it had before the import (True).
    batch_undo(batch=batch, user=alice)

    claim.refresh_from_db()
    assert claim.quote == "holds 2 Mt"
    assert flag(claim) is False  # "holds 2 Mt" is not in "The deposit holds 3 Mt of ore."


def test_undo_recomputes_the_claims_of_a_source_whose_text_it_puts_back(tmp_path, alice, bob):
    deposit = make_source(slug="deposit", text="The deposit holds 2 Mt of ore.")
    other = make_source(slug="other", text="Nothing here.")
    claim = make_claim(ref="ore", source=deposit, quote="holds 2 Mt", status="draft")
    batch = import_file(
        tmp_path,
        "sources.csv",
        "slug,title,kind,text\ndeposit,The deposit,article,The deposit holds 3 Mt of ore.\n",
        alice,
    )
    assert flag(claim) is False

    # The flag is derived: changing it changes no version, so nothing refuses the undo.
    Claim.objects.filter(pk=claim.pk).update(quote_found=None)
    edit(other, bob, text="Still nothing here.")
    batch_undo(batch=batch, user=alice)

    assert Source.objects.get(pk=deposit.pk).text == "The deposit holds 2 Mt of ore."
    assert flag(claim) is True


def test_an_import_refreshes_the_claims_of_the_sources_whose_text_it_changed(tmp_path, alice):
    deposit = make_source(slug="deposit", text="The deposit holds 2 Mt of ore.", title="D")
    titled = make_source(slug="titled", text="Nothing here.", title="T")
    claim = make_claim(ref="ore", source=deposit, quote="holds 3 Mt", status="draft")
    untouched = make_claim(ref="untouched", source=titled, quote="Nothing here.", status="draft")
    # A flag wrong on purpose: a source whose text the import leaves alone is not recomputed.
    Claim.objects.filter(pk=untouched.pk).update(quote_found=None)

    import_file(
        tmp_path,
        "sources.csv",
        "slug,title,kind,text\n"
        "deposit,D,article,The deposit holds 3 Mt of ore.\n"
        "titled,A new title,article,Nothing here.\n",
        alice,
    )

    assert flag(claim) is True
    assert flag(untouched) is None


def sources_rows(changed, new):
    """Rows of sources.csv changing the text of `changed` sources (made here, with a claim each
    whose quote only the new text holds) and adding `new` ones; returns them and the claims."""
    claims, rows = [], []
    for i in range(changed):
        source = make_source(slug=f"changed-{changed}-{i}", title="C", text="Holds 2 Mt.")
        claims.append(make_claim(source=source, quote="Holds 3 Mt.", status="draft"))
        rows.append([source.slug, "C", "article", "Holds 3 Mt."])
    rows += [[f"new-{new}-{i}", "N", "article", "Holds 3 Mt."] for i in range(new)]
    return list(enumerate(rows, start=2)), claims


def test_the_claims_of_changed_texts_are_refreshed_in_queries_per_chunk_not_per_source(
    alice, django_assert_num_queries
):
    for changed, new in ((3, 3), (30, 30)):
        rows, claims = sources_rows(changed, new)
        with transaction.atomic(), recording(files=["sources.csv"], user=alice) as recorder:
            with change_reason("import of sources.csv", user=alice):
                result = SourceResource().import_rows(["slug", "title", "kind", "text"], rows)
            assert (result.created, result.updated, result.problems) == (new, changed, [])
            # The summaries (no questions here): 1. a savepoint, 2. the questions, 3. the links,
            # 4. the claims' figures, 5. its release. The quote-found flags: 6. the sources of the
            # import's history rows whose text differs from the row before (the new sources
            # have no claims, and are not among them), 7. their claims, 8. their texts, 9. the
            # flags that changed, all to True.
            with django_assert_num_queries(9):
                records_imported.send(sender=None, batch=recorder.batch)
        assert all(flag(claim) is True for claim in claims)


def test_an_import_of_sources_that_changes_a_text_recomputes_its_claims_flags(tmp_path, alice):
    deposit = make_source(slug="deposit", title="Deposit", text="The deposit holds 2 Mt of ore.")
    claim = make_claim(ref="ore", source=deposit, quote="holds 2 Mt", status="draft")
    assert flag(claim) is True
    import_file(
        tmp_path,
        "sources.csv",
        "slug,title,kind,text\ndeposit,Deposit,article,The deposit holds 3 Mt of ore.\n",
        alice,
    )
    assert flag(claim) is False
