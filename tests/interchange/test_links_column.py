"""The `links` column of claims.csv: `kind:ref` items, resolved once the whole file is written.

Links may name claims further down the file or in the database; a row's cell replaces the claim's
outgoing links, with a history row per link deleted or added; a bad link or a cycle refuses the
whole import, named by line and column; an export re-imports unchanged.
"""

import csv

import pytest
import tablib

from claims.models import Claim, ClaimLink
from claims.resources import ClaimResource
from core.history import change_reason
from interchange.engine import run as engine_run
from interchange.services import data_export, data_import
from interchange.signals import records_imported
from tests.conftest import make_claim, make_source
from tests.import_helpers import row_counts

pytestmark = pytest.mark.django_db

HEADER = ["ref", "source", "quote", "links"]


@pytest.fixture
def source():
    return make_source(slug="s")


def write_claims(folder, rows, header=HEADER):
    path = folder / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rows_of(links):
    """Rows of claims a, b, c … with the given links cells, in that order."""
    return [[ref, "s", f"Quote {ref}.", cell] for ref, cell in links.items()]


def import_claims(tmp_path, links, **options):
    return data_import(paths=[write_claims(tmp_path, rows_of(links))], **options)


def links():
    """Every link as (claim ref, kind, target ref)."""
    return set(ClaimLink.objects.values_list("claim__ref", "kind", "target__ref"))


def link(claim, kind, target):
    return ClaimLink.objects.create(claim=claim, kind=kind, target=target)


@pytest.mark.parametrize("batch_size", [1, 2000])
def test_links_may_name_claims_further_down_the_file(source, tmp_path, monkeypatch, batch_size):
    # With one row per batch the claims named are not even written when their row is read.
    monkeypatch.setattr(engine_run, "BATCH_SIZE", batch_size)

    report = import_claims(
        tmp_path,
        {
            "a": "qualifies:c",
            "b": " derived_from:a | disputes:c |derived_from:a",
            "c": "",
        },
    )

    assert report.ok, report.errors
    assert report.files[0].created == 3
    assert links() == {("a", "qualifies", "c"), ("b", "derived_from", "a"), ("b", "disputes", "c")}


def test_links_may_name_claims_already_in_the_database(source, tmp_path):
    make_claim(ref="old", source=source)

    report = import_claims(tmp_path, {"new": "corrects:old"})

    assert report.ok, report.errors
    assert links() == {("new", "corrects", "old")}


def test_a_cell_replaces_the_claims_outgoing_links_with_history(
    source, tmp_path, django_user_model
):
    a, x, y, z = (make_claim(ref=ref, source=source, quote=f"Quote {ref}.") for ref in "axyz")
    removed = link(a, "qualifies", x)
    kept = link(a, "disputes", y)
    incoming = link(x, "qualifies", a)  # a's links from others are not a's cell's to replace
    last_before = ClaimLink.history.latest("history_id").history_id
    curator = django_user_model.objects.create_user("curator")

    report = data_import(
        paths=[write_claims(tmp_path, rows_of({"a": "disputes:y|corrects:z"}))], user=curator
    )

    assert report.ok, report.errors
    assert (report.files[0].created, report.files[0].updated) == (0, 1)
    assert links() == {("a", "disputes", "y"), ("a", "corrects", "z"), ("x", "qualifies", "a")}
    assert ClaimLink.objects.get(claim=a, kind="disputes").pk == kept.pk
    assert ClaimLink.objects.filter(pk=incoming.pk).exists()
    # One history row for the link removed and one for the link added; none for the one kept.
    records = ClaimLink.history.filter(history_id__gt=last_before).order_by("history_id")
    assert [(r.history_type, r.id, r.kind, r.target_id) for r in records] == [
        ("-", removed.pk, "qualifies", x.pk),
        ("+", ClaimLink.objects.get(claim=a, kind="corrects").pk, "corrects", z.pk),
    ]
    for record in records:
        assert record.history_change_reason == "import of claims.csv"
        assert record.history_user == curator
        assert record.claim_id == a.pk
    # The claim itself changed (its links): a history row of its own, as a change of `about` has.
    assert a.history.latest().history_type == "~"


def test_an_empty_cell_removes_the_claims_links(source, tmp_path):
    a, b = make_claim(ref="a", source=source, quote="Quote a."), make_claim(ref="b", source=source)
    link(a, "qualifies", b)

    report = import_claims(tmp_path, {"a": ""})

    assert report.ok, report.errors
    assert report.files[0].updated == 1
    assert links() == set()
    assert ClaimLink.history.filter(claim_id=a.pk, history_type="-").count() == 1


def test_a_file_without_the_column_leaves_links_alone(source, tmp_path):
    a, b = make_claim(ref="a", source=source), make_claim(ref="b", source=source)
    link(a, "qualifies", b)
    path = write_claims(tmp_path, [["a", "s", "A new quote."]], header=["ref", "source", "quote"])

    report = data_import(paths=[path])

    assert report.ok, report.errors
    assert Claim.objects.get(ref="a").quote == "A new quote."
    assert links() == {("a", "qualifies", "b")}


def test_the_same_links_again_change_nothing(source, tmp_path):
    cells = {"a": "qualifies:b|disputes:b", "b": ""}
    assert import_claims(tmp_path, cells).ok
    before = row_counts()  # history tables included

    # The same links in another order and spacing are the same links.
    report = import_claims(tmp_path, {"a": "disputes:b | qualifies:b", "b": ""})

    assert report.ok, report.errors
    assert (report.files[0].updated, report.files[0].unchanged) == (0, 2)
    assert row_counts() == before


def test_new_links_get_a_creation_history_row(source, tmp_path):
    with change_reason("ignored: the import names its own reason"):
        assert import_claims(tmp_path, {"a": "qualifies:b", "b": ""}).ok

    new = ClaimLink.objects.get()
    (record,) = ClaimLink.history.filter(claim_id=new.claim_id)
    assert (record.history_type, record.id, record.kind) == ("+", new.pk, "qualifies")
    assert (record.claim_id, record.target_id) == (new.claim_id, new.target_id)
    assert record.history_change_reason == "import of claims.csv"


def test_the_links_are_written_before_the_summaries_are_refreshed(source, tmp_path):
    # records_imported is what refreshes the summaries (claims.signals): it must see the links.
    seen = []

    def look(sender, **kwargs):
        seen.append(links())

    records_imported.connect(look)
    try:
        assert import_claims(tmp_path, {"a": "corrects:b", "b": ""}).ok
    finally:
        records_imported.disconnect(look)

    assert seen == [{("a", "corrects", "b")}]


def test_the_admins_import_applies_links_and_a_link_alone_is_an_update(source):
    make_claim(ref="a", source=source, quote="A.")
    make_claim(ref="b", source=source)
    dataset = tablib.Dataset(["a", "s", "A.", "qualifies:b"], headers=HEADER)
    seen = []

    def look(sender, **kwargs):
        seen.append((sender, links()))

    records_imported.connect(look)
    try:
        result = ClaimResource().import_data(dataset)
    finally:
        records_imported.disconnect(look)

    assert result.problems == []
    assert [row.import_type for row in result.rows] == ["update"]
    assert seen == [(Claim, {("a", "qualifies", "b")})]


def test_a_dry_run_reports_and_keeps_nothing(source, tmp_path):
    before = row_counts()

    report = import_claims(tmp_path, {"a": "qualifies:b", "b": ""}, dry_run=True)

    assert report.ok, report.errors
    assert report.files[0].created == 2
    assert row_counts() == before


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("qualify:b", "link kind 'qualify' is unknown — did you mean 'qualifies'?"),
        ("Corrects:b", "link kind 'Corrects' is unknown — did you mean 'corrects'?"),
        (
            "qualifies",
            "link 'qualifies' is not kind:ref (e.g. qualifies:another-claim), with kind one of "
            "corrects, qualifies, derived_from, disputes",
        ),
        ("qualifies:", "link 'qualifies:' is not kind:ref"),
        (":b", "link ':b' is not kind:ref"),
        ("disputes:a", "link 'disputes:a' points at the claim itself: a claim links to others"),
        (
            "qualifies:b|derived_from:nowhere",
            "link 'derived_from:nowhere': claim 'nowhere' does not exist, neither in this file "
            "nor in the database",
        ),
    ],
)
def test_a_bad_link_is_named_by_line_and_column_and_nothing_is_imported(
    source, tmp_path, cell, message
):
    before = row_counts()

    report = import_claims(tmp_path, {"b": "", "a": cell})

    assert len(report.errors) == 1, report.errors
    assert report.errors[0].startswith(f"claims.csv line 3, column links: {message}")
    assert row_counts() == before


def test_a_link_to_a_row_with_problems_says_which_line_that_is(source, tmp_path):
    path = write_claims(
        tmp_path,
        [["a", "s", "A.", "qualifies:b"], ["b", "no-such-source", "B.", ""]],
    )

    report = data_import(paths=[path])

    assert report.errors == [
        "claims.csv line 2, column links: link 'qualifies:b' names the claim on line 3, which is "
        "not imported: see its problems",
        "claims.csv line 3, column source: source 'no-such-source' does not exist",
    ]
    assert not Claim.objects.exists()


def test_a_cycle_within_the_file_is_refused_on_the_line_that_closes_it(source, tmp_path):
    before = row_counts()

    report = import_claims(tmp_path, {"a": "qualifies:b", "b": "qualifies:c", "c": "qualifies:a"})

    assert report.errors == [
        "claims.csv line 4, column links: link 'qualifies:a' closes a cycle of qualifies links "
        "(c → a → b → c): only disputes may come back to where they started"
    ]
    assert row_counts() == before


def test_a_long_cycle_is_named_by_its_ends(source, tmp_path):
    cells = {f"c{n}": f"derived_from:c{n + 1}" for n in range(11)} | {"c11": "derived_from:c0"}

    report = import_claims(tmp_path, cells)

    assert report.errors == [
        "claims.csv line 13, column links: link 'derived_from:c0' closes a cycle of derived_from "
        "links (c11 → c0 → c1 → c2 → … 6 more … → c9 → c10 → c11): only disputes may come back "
        "to where they started"
    ]


def test_a_cycle_through_claims_only_in_the_database_is_refused(source, tmp_path):
    y, z = make_claim(ref="y", source=source), make_claim(ref="z", source=source)
    link(y, "derived_from", z)
    before = row_counts()

    # x (new) is derived from y, which is derived from z (in the database alone), which the file
    # now says is derived from x.
    report = import_claims(tmp_path, {"x": "derived_from:y", "z": "derived_from:x"})

    assert report.errors == [
        "claims.csv line 3, column links: link 'derived_from:x' closes a cycle of derived_from "
        "links (z → x → y → z): only disputes may come back to where they started"
    ]
    assert row_counts() == before


def test_a_cycle_with_the_database_alone_is_refused(source, tmp_path):
    a, b = make_claim(ref="a", source=source), make_claim(ref="b", source=source)
    link(a, "corrects", b)

    report = import_claims(tmp_path, {"b": "corrects:a"})

    assert report.errors == [
        "claims.csv line 2, column links: link 'corrects:a' closes a cycle of corrects links "
        "(b → a → b): only disputes may come back to where they started"
    ]
    assert links() == {("a", "corrects", "b")}


def test_a_cycle_the_file_itself_breaks_is_no_cycle(source, tmp_path):
    # The links as they will be after the file count, not those in the database now.
    a, b = make_claim(ref="a", source=source), make_claim(ref="b", source=source)
    link(a, "qualifies", b)

    report = import_claims(tmp_path, {"a": "", "b": "qualifies:a"})

    assert report.ok, report.errors
    assert links() == {("b", "qualifies", "a")}


def test_disputes_may_be_mutual_and_kinds_do_not_mix_into_a_cycle(source, tmp_path):
    report = import_claims(
        tmp_path, {"a": "disputes:b|qualifies:b", "b": "disputes:a|corrects:a|derived_from:a"}
    )

    assert report.ok, report.errors
    assert len(links()) == 5


# --------------------------------------------------------------------------- export


def test_an_export_writes_the_links_sorted_and_re_imports_unchanged(source, tmp_path):
    a, b, c = (make_claim(ref=ref, source=source) for ref in "abc")
    link(a, "qualifies", c)
    link(a, "derived_from", b)
    link(a, "disputes", b)
    link(c, "corrects", b)

    (path,) = data_export(folder=tmp_path / "out", only=["claims"])

    with path.open(encoding="utf-8", newline="") as handle:
        cells = {row["ref"]: row["links"] for row in csv.DictReader(handle)}
    assert cells == {
        "a": "derived_from:b|disputes:b|qualifies:c",
        "b": "",
        "c": "corrects:b",
    }
    before = row_counts()  # history tables included
    report = data_import(paths=[path])
    assert report.ok, report.errors
    assert report.files[0].unchanged == 3
    assert row_counts() == before


def test_an_export_with_links_to_claims_further_down_imports_into_an_empty_database(
    source, tmp_path
):
    # Exports are in the order the claims were made: here a link names a claim made later.
    a, b = make_claim(ref="a", source=source), make_claim(ref="b", source=source)
    link(a, "corrects", b)
    link(b, "disputes", a)
    (path,) = data_export(folder=tmp_path / "out", only=["claims"])
    Claim.objects.all().delete()

    report = data_import(paths=[path])

    assert report.ok, report.errors
    assert links() == {("a", "corrects", "b"), ("b", "disputes", "a")}


def test_the_streamed_export_reads_links_in_one_query_per_chunk(source, django_assert_num_queries):
    claims = [make_claim(ref=f"c{n}", source=source) for n in range(6)]
    for claim, target in zip(claims, claims[1:], strict=False):
        link(claim, "derived_from", target)
        link(target, "disputes", claims[0])
    resource = ClaimResource()

    # Once: the actors and the metals `about` and `metals` name. Then the claims (one query,
    # read in chunks of 3) and per chunk of 3: their `about`, their `metals`, their links.
    with django_assert_num_queries(2 + 1 + 2 * 3):
        header, *rows = list(resource.export_rows(chunk_size=3))

    cells = [row[header.index("links")] for row in rows]
    assert cells[:2] == ["derived_from:c1", "derived_from:c2|disputes:c0"]
    assert cells[-1] == "disputes:c0"
    assert [tuple(row) for row in rows] == [tuple(row) for row in ClaimResource().export()]
