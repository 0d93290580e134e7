"""A model's check constraints, compiled once per import and evaluated in Python on every row.

The database would refuse a row that breaks a CHECK only when the batch is written, aborting the
whole import with one SQL error; evaluated here, each row gets its own plain message instead,
without a query. `Condition` answers as SQL does (True, False or unknown), and
tests/interchange/test_constraints.py holds it to the database's own answers.
"""

from operator import ge, gt, le, lt

from django.db.models import F, Q
from django.db.models.constants import LOOKUP_SEP


class Condition:
    """A constraint's condition (a Q tree), prepared once per import and evaluated per row.

    `holds(instance, skip)` answers as SQL would: True, False or None. None (unknown) is what SQL
    gives for a comparison with NULL, and a CHECK passes on it. A condition on a field in `skip`
    (one with an error already) is not evaluated, as in full_clean. The tree is walked once here,
    not once per row: which fields each branch refers to, and the attribute each lookup reads.
    """

    def __init__(self, condition, opts):
        self.referenced = frozenset(_referenced(condition))
        self.tests = [
            Condition(child, opts) if isinstance(child, Q) else Lookup(child, opts)
            for child in condition.children
        ]
        # One False decides an AND, one True an OR; otherwise any unknown part makes it unknown.
        self.decisive = condition.connector != Q.AND
        self.negated = condition.negated

    def holds(self, instance, skip):
        if skip and not self.referenced.isdisjoint(skip):
            return None
        outcome = not self.decisive
        for test in self.tests:
            result = test.holds(instance, skip)
            if result is None:
                outcome = None
            elif result == self.decisive:
                outcome = result
                break
        if self.negated and outcome is not None:
            outcome = not outcome
        return outcome


class Lookup:
    """One `field__operator=expected` of a condition; `expected` may be another field (F)."""

    def __init__(self, child, opts):
        lookup, expected = child
        name, _, operator = lookup.partition(LOOKUP_SEP)
        self.attname = _attname(name, opts)
        self.operator = operator or "exact"
        self.other = _attname(expected.name, opts) if isinstance(expected, F) else None
        self.expected = expected

    def holds(self, instance, skip):
        value = getattr(instance, self.attname)
        if self.other is None:
            return _compare(value, self.operator, self.expected)
        # A column compared with a column: NULL on either side is unknown in SQL.
        expected = getattr(instance, self.other)
        if value is None or expected is None:
            return None
        return _compare(value, self.operator, expected)


def _referenced(condition):
    names = set()
    for child in condition.children:
        if isinstance(child, Q):
            names |= _referenced(child)
        else:
            names.add(child[0].split(LOOKUP_SEP)[0])
            if isinstance(child[1], F):
                names.add(child[1].name)
    return names


def _attname(name, opts):
    return "pk" if name == "pk" else opts.get_field(name).attname


_ORDER = {"gte": ge, "gt": gt, "lte": le, "lt": lt}


def _compare(value, operator, expected):
    if operator == "isnull":
        return (value is None) == bool(expected)
    if operator == "exact" and expected is None:
        return value is None
    if value is None or expected is None:
        return None
    if operator == "exact":
        return value == expected
    if operator == "in":
        return value in expected
    return _ORDER[operator](value, expected)
