"""An import sets each claim's quote-found flag (is its quote in its source's text?) and who checked
it, as a form's save does, with the source texts a batch needs read in one query: a claims file
spread over many sources costs no query per source.

Users: `alice`, a curator, runs the imports; `bob`, a curator, recorded the claims she checks.
"""

import pytest

from claims.models import Claim
from claims.resources import ClaimResource
from core.history import change_reason
from tests.conftest import make_claim, make_source, make_user

pytestmark = pytest.mark.django_db

HEADER = ["ref", "source", "quote", "status"]


@pytest.fixture
def alice():
    return make_user("curator", "alice")


def import_rows(rows, user):
    resource = ClaimResource()
    with change_reason("import of claims.csv", user=user):
        result = resource.import_rows(HEADER, rows)
    assert not result.problems, result.problems
    return result


def claims_over_sources(n, first_line=2):
    """Rows of `n` new claims, each citing a source of its own: the quote of every third is in its
    source's text, of the next not, and the source of the last of three keeps no text."""
    rows, found = [], {}
    for i in range(n):
        kind = i % 3
        text = {0: "It said: ore is 50 % rare earths.", 1: "Nothing of the sort.", 2: ""}[kind]
        source = make_source(slug=f"src-{n}-{i}", text=text)
        ref = f"claim-{n}-{i}"
        rows.append((first_line + i, [ref, source.slug, "ore is 50 %  rare earths", "draft"]))
        found[ref] = {0: True, 1: False, 2: None}[kind]
    return rows, found


def quote_found(refs):
    return dict(Claim.objects.filter(ref__in=refs).values_list("ref", "quote_found"))


def test_a_batch_reads_the_texts_of_its_sources_in_one_query_however_many_sources(
    alice, django_assert_num_queries
):
    few, few_found = claims_over_sources(3)
    many, many_found = claims_over_sources(30)

    for rows in (few, many):
        # 1. the claims stored under the batch's refs (none), 2. the sources' key map, 3. the
        # texts of the batch's sources, 4. the new claims (on PostgreSQL their ids, then a COPY
        # this count does not see), 5.-6. the actors' and metals' key maps, 7.-8. the new claims'
        # links to actors and metals (for their history), 9. their history rows (the same).
        with django_assert_num_queries(9):
            import_rows(rows, alice)

    assert quote_found(few_found) == few_found
    assert quote_found(many_found) == many_found


def test_a_changed_row_gets_its_flag_again_only_when_its_quote_or_source_changes(alice):
    with_text = make_source(slug="with-text", text="The deposit holds 2 Mt of ore.")
    other = make_source(slug="other", text="Nothing here.")
    kept = make_claim(ref="kept", source=with_text, quote="holds 2 Mt", status="draft")
    moved = make_claim(ref="moved", source=with_text, quote="holds 2 Mt", status="draft")
    requoted = make_claim(ref="requoted", source=other, quote="Nothing here.", status="draft")
    # A flag the import must leave alone: the row's quote and source are as stored.
    Claim.objects.filter(pk=kept.pk).update(quote_found=None)
    assert (moved.quote_found, requoted.quote_found) == (True, True)

    import_rows(
        [
            (2, ["kept", "with-text", "holds 2 Mt", "checked"]),  # its status alone changes
            (3, ["moved", "other", "holds 2 Mt", "draft"]),
            (4, ["requoted", "other", "Something else.", "draft"]),
            (5, ["new", "with-text", "2 Mt of ore", "draft"]),
        ],
        alice,
    )

    assert quote_found(["kept", "moved", "requoted", "new"]) == {
        "kept": None,
        "moved": False,
        "requoted": False,
        "new": True,
    }


def test_a_claim_the_import_checks_records_its_checker_and_one_checked_before_keeps_its(alice):
    bob = make_user("curator", "bob")
    source = make_source(slug="s", text="")
    checked = make_claim(ref="checked", source=source, status="checked", created_by=bob)
    checked_before = Claim.objects.filter(pk=checked.pk).values_list("checked_at", flat=True)[0]
    make_claim(ref="draft", source=source, status="draft", created_by=bob)

    import_rows(
        [
            (2, ["checked", "s", "Its quote changed.", "checked"]),
            (3, ["draft", "s", "Changed quote.", "checked"]),
        ],
        alice,
    )

    rows = {
        ref: (by, at)
        for ref, by, at in Claim.objects.values_list("ref", "checked_by__username", "checked_at")
    }
    assert rows["checked"] == (None, checked_before)
    assert rows["draft"][0] == "alice" and rows["draft"][1] is not None
