"""The import engine reads and writes a file in batches."""

import pytest

from claims.models import Claim
from interchange.engine import run as engine_run
from sources.models import Actor
from tests.import_helpers import DATA, run


@pytest.mark.django_db
def test_a_folder_imports_the_same_one_row_per_batch(monkeypatch):
    # A row referring to a record of an earlier batch, links and history come out as in one batch.
    monkeypatch.setattr(engine_run, "BATCH_SIZE", 1)
    out, err, error = run("import_data", DATA / "curator")
    assert error is None, err
    assert "actors.csv: 3 created" in out
    ministry = Actor.objects.get(slug="ministry-of-industry-kazakhstan")
    assert ministry.parent.slug == "government-of-kazakhstan"
    assert Claim.objects.count() == 2
    for claim in Claim.objects.all():
        record = claim.history.get()
        assert record.history_type == "+"
        assert record.history_change_reason == "import of claims.csv"
        assert {m.metal_id for m in record.metals.all()} == {m.pk for m in claim.metals.all()}
        assert {a.actor_id for a in record.about.all()} == {a.pk for a in claim.about.all()}
