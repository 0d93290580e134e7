"""The one number formatter (core/numbers.py), on the values every caller gives it."""

from decimal import Decimal

import pytest

from core.numbers import json_number, number


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("28.500000"), "28.5"),
        (Decimal("3000.000000"), "3,000"),
        (Decimal("-0.000000"), "0"),
        (Decimal("0.000125"), "0.000125"),
        (1234567.0, "1,234,567"),
        (85.5, "85.5"),
        (0.1 + 0.2, "0.3"),
        (1e16, "1e+16"),
        (-0.0, "0"),
        (5, "5"),
        (float("inf"), "∞"),
        (float("-inf"), "-∞"),
    ],
)
def test_a_figure_reads_as_people_write_it(value, text):
    assert number(value) == text


def test_without_grouping_a_decimal_keeps_its_exact_digits():
    assert number(Decimal("10000000000000000.000000"), grouping=False) == "10000000000000000"
    assert number(Decimal("3000.5"), grouping=False) == "3000.5"


def test_fewer_digits_for_a_short_label():
    assert number(27.123456789, grouping=False, digits=6) == "27.1235"
    assert number(2.0, grouping=False, digits=6) == "2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("5.000000"), 5), (Decimal("28.500000"), 28.5), (None, None), (3, 3)],
)
def test_a_stored_decimal_becomes_a_plain_json_number(value, expected):
    result = json_number(value)
    assert result == expected
    assert type(result) is type(expected)
