"""The one number formatter (core/numbers.py), on the values every caller gives it."""

from decimal import Decimal

import pytest

from claims.comparison import UNITS, stated_figure
from core.numbers import json_number, money, number


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


@pytest.mark.parametrize(
    ("value", "value_high", "text"),
    [
        (Decimal("1200000000.000000"), None, "USD 1.2 billion"),
        (Decimal("295300000"), None, "USD 295.3 million"),
        (Decimal("1000000"), None, "USD 1 million"),
        (Decimal("2500000000000"), None, "USD 2.5 trillion"),
        (Decimal("999999"), None, "USD 999,999"),  # under a million: the digits, as the press
        (Decimal("1234567890"), None, "USD 1.23456789 billion"),  # a Decimal keeps its digits
        (1.2e9, None, "USD 1.2 billion"),
        (Decimal("1200000000"), Decimal("1500000000"), "USD 1.2–1.5 billion"),
        (Decimal("800000000"), Decimal("1200000000"), "USD 800 million–1.2 billion"),
    ],
)
def test_a_sum_reads_as_the_press_writes_it(value, value_high, text):
    assert money(value, "USD", value_high) == text


@pytest.mark.parametrize(
    "currency", [u for u, (dim, _) in UNITS.items() if dim.startswith("money")]
)
def test_a_claim_states_a_sum_in_every_currency_with_its_scale_word(currency):
    # stated_figure is what the pages, the admin and extract_claims --format table show.
    assert (
        stated_figure("exact", Decimal("1200000000"), None, currency, "")
        == f"{currency} 1.2 billion"
    )
    assert (
        stated_figure("about", Decimal("40000000"), None, currency, "")
        == f"about {currency} 40 million"
    )
    assert (
        stated_figure("between", Decimal("2000000"), Decimal("3000000"), currency, "")
        == f"{currency} 2–3 million"
    )
