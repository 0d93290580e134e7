"""The import engine's bulk writes (interchange.engine.write): plain rows inserted, links replaced
only where they changed, one history row per created or changed record, and a failed write rolls
all back."""

import pytest

from claims.models import Claim, Metal
from claims.resources import ClaimResource
from core.history import change_reason
from interchange.engine import run, write
from interchange.engine.write import insert_rows
from interchange.services import data_import
from sources.models import Actor
from tests.conftest import make_claim, make_source
from tests.import_helpers import DATA

CLAIMS = ["ref", "source", "quote", "metals"]


def metals(*symbols):
    return list(Metal.objects.filter(symbol__in=symbols))


def links_of(claim):
    """{metal symbol: link id} of a claim's metals."""
    through = Claim.metals.through
    return dict(through.objects.filter(claim=claim).values_list("metal__symbol", "pk"))


@pytest.mark.django_db
def test_insert_rows_writes_plain_rows_and_returns_their_ids(neodymium):
    claim = make_claim()
    through = Claim.metals.through
    ids = insert_rows(through, ["claim_id", "metal_id"], [(claim.pk, neodymium.pk)])
    assert list(through.objects.values_list("pk", "claim_id", "metal_id")) == [
        (ids[0], claim.pk, neodymium.pk)
    ]
    assert list(claim.metals.all()) == [neodymium]
    assert insert_rows(through, ["claim_id", "metal_id"], []) == []
    assert Metal.objects.filter(claims=claim).count() == 1


@pytest.mark.django_db
def test_a_failed_write_rolls_the_whole_import_back(monkeypatch):
    monkeypatch.setattr(run, "BATCH_SIZE", 1)

    def failing(model, attnames, rows):
        if model is Claim.history.model:
            raise RuntimeError("disk full")
        return insert_rows(model, attnames, rows)

    monkeypatch.setattr(write, "insert_rows", failing)
    assert not Claim.objects.exists()
    with pytest.raises(RuntimeError, match="disk full"):
        data_import(paths=sorted((DATA / "curator").glob("*.csv")))
    assert not Claim.objects.exists()
    assert not Actor.objects.filter(slug="ministry-of-industry-kazakhstan").exists()


@pytest.mark.django_db
def test_links_are_replaced_where_they_changed_and_kept_where_they_did_not(django_user_model):
    source = make_source(slug="s")
    claim = make_claim(ref="c1", source=source, quote="Q.", metals=metals("Nd", "Pr"))
    untouched = make_claim(ref="c2", source=source, quote="Q.", metals=metals("Dy"))
    before = links_of(claim)
    untouched_history = untouched.history.count()
    curator = django_user_model.objects.create_user("curator")

    with change_reason("import of claims.csv", user=curator):
        result = ClaimResource().import_rows(
            CLAIMS, [(2, ["c1", "s", "Q.", "Nd|Tb"]), (3, ["c2", "s", "Q.", "Dy"])]
        )

    assert (result.created, result.updated, result.unchanged, result.problems) == (0, 1, 1, [])
    after = links_of(claim)
    assert set(after) == {"Nd", "Tb"}
    assert after["Nd"] == before["Nd"]  # the link that stayed is the same row
    assert before["Pr"] not in after.values()
    # One history row for the changed claim, with its links as they are now; none for the other.
    record = claim.history.latest()
    assert (record.history_type, record.history_change_reason) == ("~", "import of claims.csv")
    assert record.history_user == curator
    assert {m.metal.symbol for m in record.metals.all()} == {"Nd", "Tb"}
    assert untouched.history.count() == untouched_history


@pytest.mark.django_db
def test_history_keeps_the_links_of_a_column_the_file_does_not_have():
    claim = make_claim(ref="c1", source=make_source(slug="s"), quote="Q.", metals=metals("Nd"))

    result = ClaimResource().import_rows(["ref", "source", "quote"], [(2, ["c1", "s", "New."])])

    assert result.updated == 1
    claim.refresh_from_db()
    assert claim.quote == "New."
    assert [m.symbol for m in claim.metals.all()] == ["Nd"]
    record = claim.history.latest()
    assert record.quote == "New."
    assert [m.metal.symbol for m in record.metals.all()] == ["Nd"]


@pytest.mark.django_db
def test_new_records_get_their_links_and_a_creation_history_row():
    make_source(slug="s")

    with change_reason("import of claims.csv"):
        ClaimResource().import_rows(
            CLAIMS, [(2, ["c1", "s", "One.", "Nd"]), (3, ["c2", "s", "Two.", ""])]
        )

    one, two = Claim.objects.order_by("ref")
    assert [m.symbol for m in one.metals.all()] == ["Nd"]
    assert list(two.metals.all()) == []
    for claim in (one, two):
        (record,) = claim.history.all()
        assert (record.history_type, record.history_change_reason) == ("+", "import of claims.csv")
        assert record.history_user is None
        assert record.quote == claim.quote
    assert [m.metal.symbol for m in one.history.get().metals.all()] == ["Nd"]
