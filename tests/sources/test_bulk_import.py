"""The import engine's own shortcuts agree with what Django and the database would do."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

from claims.models import Claim, Metal
from claims.services import data_import
from sources import bulk_import
from sources.bulk_import import _Condition, _insert_rows
from sources.models import Actor
from tests.conftest import make_claim
from tests.import_helpers import DATA, run

QUALIFIERS = ["", "about", "between"]
VALUES = [None, Decimal(5), Decimal(8)]
ANSWERS = ["", "yes"]


@pytest.mark.django_db
def test_check_constraints_evaluated_in_python_agree_with_the_database():
    # CheckConstraint.validate asks the database, where an unknown (NULL) condition passes.
    checks = [c for c in Claim._meta.constraints if isinstance(c, CheckConstraint)]
    assert checks
    for qualifier, value, value_high, answer in itertools.product(
        QUALIFIERS, VALUES, VALUES, ANSWERS
    ):
        claim = Claim(qualifier=qualifier, value=value, value_high=value_high, answer=answer)
        for constraint in checks:
            try:
                constraint.validate(Claim, claim)
                expected = True
            except ValidationError:
                expected = False
            held = _Condition(constraint.condition, Claim._meta).holds(claim, set())
            assert (held is not False) == expected, (constraint.name, qualifier, value, value_high)


def test_a_condition_on_a_field_with_an_error_is_not_evaluated():
    condition = _Condition(Q(value_high__isnull=True) | Q(value_high__gte=F("value")), Claim._meta)
    claim = Claim(value=Decimal(5), value_high=Decimal(1))
    assert condition.holds(claim, {"value_high"}) is None
    assert condition.holds(claim, {"note"}) is False


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
def test_a_folder_imports_the_same_one_row_per_batch(monkeypatch):
    # A row referring to a record of an earlier batch, links and history come out as in one batch.
    monkeypatch.setattr(bulk_import, "BATCH_SIZE", 1)
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


@pytest.mark.django_db
def test_a_failed_write_rolls_the_whole_import_back(monkeypatch):
    monkeypatch.setattr(bulk_import, "BATCH_SIZE", 1)
    insert_rows = bulk_import._insert_rows

    def failing(model, attnames, rows):
        if model is Claim.history.model:
            raise RuntimeError("disk full")
        return insert_rows(model, attnames, rows)

    monkeypatch.setattr(bulk_import, "_insert_rows", failing)
    assert not Claim.objects.exists()
    with pytest.raises(RuntimeError, match="disk full"):
        data_import(paths=sorted((DATA / "curator").glob("*.csv")))
    assert not Claim.objects.exists()
    assert not Actor.objects.filter(slug="ministry-of-industry-kazakhstan").exists()
