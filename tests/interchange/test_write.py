"""The import engine's bulk writes: plain rows inserted, and a failed write rolls all back."""

import pytest

from claims.models import Claim, Metal
from interchange import engine
from interchange.engine import _insert_rows
from interchange.services import data_import
from sources.models import Actor
from tests.conftest import make_claim
from tests.import_helpers import DATA


@pytest.mark.django_db
def test_insert_rows_writes_plain_rows_and_returns_their_ids(neodymium):
    claim = make_claim()
    through = Claim.metals.through
    ids = _insert_rows(through, ["claim_id", "metal_id"], [(claim.pk, neodymium.pk)])
    assert list(through.objects.values_list("pk", "claim_id", "metal_id")) == [
        (ids[0], claim.pk, neodymium.pk)
    ]
    assert list(claim.metals.all()) == [neodymium]
    assert _insert_rows(through, ["claim_id", "metal_id"], []) == []
    assert Metal.objects.filter(claims=claim).count() == 1


@pytest.mark.django_db
def test_a_failed_write_rolls_the_whole_import_back(monkeypatch):
    monkeypatch.setattr(engine, "BATCH_SIZE", 1)
    insert_rows = engine._insert_rows

    def failing(model, attnames, rows):
        if model is Claim.history.model:
            raise RuntimeError("disk full")
        return insert_rows(model, attnames, rows)

    monkeypatch.setattr(engine, "_insert_rows", failing)
    assert not Claim.objects.exists()
    with pytest.raises(RuntimeError, match="disk full"):
        data_import(paths=sorted((DATA / "curator").glob("*.csv")))
    assert not Claim.objects.exists()
    assert not Actor.objects.filter(slug="ministry-of-industry-kazakhstan").exists()
