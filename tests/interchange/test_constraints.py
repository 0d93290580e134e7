"""The import engine evaluates check constraints in Python as the database does."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

from claims.models import Claim
from interchange.engine import _Condition

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
