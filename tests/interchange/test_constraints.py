"""The import engine evaluates check constraints in Python as the database does
(interchange.engine.constraints): for every check constraint of every interchange model, on a grid
of values that puts each of them on both sides, NULL included."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import CheckConstraint, F, Q

from claims.models import Claim, Metal, Question
from interchange.engine.constraints import Condition
from sources.models import Actor

QUALIFIERS = ["", "about", "between"]
VALUES = [None, Decimal(5), Decimal(8)]
ANSWERS = ["", "yes"]

# Per model, each field a check constraint reads and values on both sides of every constraint.
GRIDS = {
    Actor: {"id": [None, 1, 2], "parent_id": [None, 1, 2]},
    Metal: {"category": ["light_ree", "group"], "atomic_number": [None, 0, 1, 60, 118, 119]},
    Question: {
        "kind": ["quantity", "boolean"],
        "unit": ["", "t"],
        "tolerance": [Decimal(-1), Decimal(0), Decimal("2.5")],
        "drift": [Decimal(-1), Decimal(0)],
        "lower_bound": [None, Decimal(0), Decimal(100)],
        "upper_bound": [None, Decimal(100)],
    },
}


def _database_says(constraint, model, instance):
    # CheckConstraint.validate asks the database, where an unknown (NULL) condition passes.
    try:
        constraint.validate(model, instance)
    except ValidationError:
        return False
    return True


@pytest.mark.django_db
def test_check_constraints_evaluated_in_python_agree_with_the_database():
    checks = [c for c in Claim._meta.constraints if isinstance(c, CheckConstraint)]
    assert checks
    for qualifier, value, value_high, answer in itertools.product(
        QUALIFIERS, VALUES, VALUES, ANSWERS
    ):
        claim = Claim(qualifier=qualifier, value=value, value_high=value_high, answer=answer)
        for constraint in checks:
            expected = _database_says(constraint, Claim, claim)
            held = Condition(constraint.condition, Claim._meta).holds(claim, set())
            assert (held is not False) == expected, (constraint.name, qualifier, value, value_high)


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(GRIDS), ids=lambda model: model.__name__)
def test_the_other_models_check_constraints_agree_with_the_database_too(model):
    checks = [c for c in model._meta.constraints if isinstance(c, CheckConstraint)]
    assert checks
    names, choices = zip(*GRIDS[model].items(), strict=True)
    outcomes = set()
    for values in itertools.product(*choices):
        instance = model(**dict(zip(names, values, strict=True)))
        for constraint in checks:
            expected = _database_says(constraint, model, instance)
            held = Condition(constraint.condition, model._meta).holds(instance, set())
            assert (held is not False) == expected, (constraint.name, values)
            outcomes.add((constraint.name, expected))
    # The grid puts every constraint on both sides: each passes somewhere and fails somewhere.
    assert outcomes == {(c.name, side) for c in checks for side in (True, False)}


def test_a_condition_on_a_field_with_an_error_is_not_evaluated():
    condition = Condition(Q(value_high__isnull=True) | Q(value_high__gte=F("value")), Claim._meta)
    claim = Claim(value=Decimal(5), value_high=Decimal(1))
    assert condition.holds(claim, {"value_high"}) is None
    assert condition.holds(claim, {"note"}) is False


@pytest.mark.parametrize(
    ("condition", "value", "value_high", "expected"),
    [
        # A comparison with NULL is unknown, and so is its negation.
        (Q(value_high__gte=F("value")), None, Decimal(1), None),
        (~Q(value_high__gte=F("value")), None, Decimal(1), None),
        (Q(value__gt=3), None, None, None),
        # One False decides an AND, one True an OR, whatever is unknown beside it.
        (Q(value__gt=3) & Q(value_high__gt=3), Decimal(1), None, False),
        (Q(value__gt=3) | Q(value_high__gt=3), Decimal(5), None, True),
        (Q(value__gt=3) | Q(value_high__gt=3), Decimal(1), None, None),
        # isnull and exact None are never unknown.
        (Q(value__isnull=True), None, None, True),
        (Q(value=None), Decimal(1), None, False),
        (Q(value__in=[Decimal(1), Decimal(2)]), Decimal(2), None, True),
        (Q(value__lte=Decimal(2), value_high__lt=Decimal(9)), Decimal(2), Decimal(9), False),
    ],
)
def test_a_condition_answers_true_false_or_unknown_as_sql_does(
    condition, value, value_high, expected
):
    claim = Claim(value=value, value_high=value_high)

    assert Condition(condition, Claim._meta).holds(claim, set()) is expected
