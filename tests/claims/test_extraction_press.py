"""Traps of the trade press found by walking a new article through the review screen: prices
are no sums, a phrase that completes a clause is quoted with it, and a known name that opens a
longer proper name is not that actor (claims/extraction.py)."""

from decimal import Decimal

import pytest

from claims.comparison import UNIT_CHOICES, UNITS, unit_problem
from claims.extraction import Known, KnownActor, extract

ARTICLE = (
    "China accounts for about 98 per cent of the world's primary gallium output, according to "
    "the United States Geological Survey. Prices in Rotterdam rose to $1,150 per kilogram in "
    "October, up from about $300 a year earlier. Russia holds the second-largest reserves, the "
    "ministry estimates, at around 28.5 million tons."
)
KNOWN = Known(actors=(KnownActor("united-states", "United States", ("US",), "country"),))


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Gallium sold for $1,150 per kilogram.", "1150", "USD/kg"),
        ("Lithium carbonate traded at 75,000 yuan a tonne.", "75000", "CNY/t"),
        ("APT fell to US$ 320/mt.", "320", "USD/t"),
        ("It costs 500 euros a tonne.", "500", "EUR/t"),
        ("Oxide fetched £90 per kg.", "90", "GBP/kg"),
        ("Oxide traded at around $60,000 per tonne.", "60000", "USD/t"),
        ("It peaked at $8,000 a tonne in 2022.", "8000", "USD/t"),
        ("Prices reached €12/kg.", "12", "EUR/kg"),
        ("The dry metric tonne fetched $95 per dry metric tonne.", "95", "USD/t"),
    ],
)
def test_a_price_is_proposed_per_mass_in_its_currency(text, value, unit):
    [candidate] = extract(text)
    assert (str(candidate.value), candidate.unit) == (value, unit)


def test_a_range_of_prices_is_one_figure():
    [candidate] = extract("Concentrate sold at $600-$650 per tonne.")
    assert (candidate.qualifier, candidate.value, candidate.value_high) == ("between", 600, 650)
    assert candidate.unit == "USD/t"


def test_prices_per_kilogram_and_per_tonne_convert_but_never_into_sums():
    assert UNITS["USD/kg"] == ("price USD", 1e3) and UNITS["USD/t"] == ("price USD", 1.0)
    assert unit_problem("USD/kg", kind="quantity", unit="USD/t") is None
    assert "US dollars per tonne (USD/t)" in unit_problem("USD", kind="quantity", unit="USD/t")
    assert unit_problem("EUR/kg", kind="quantity", unit="USD/kg") is not None
    assert {code for code, _ in UNIT_CHOICES} == set(UNITS)


def test_a_sum_linked_to_a_price_takes_its_mass_and_a_sum_alone_does_not():
    figures = [(c.value, c.unit) for c in extract(ARTICLE)]
    assert (300, "USD/kg") in figures and (1150, "USD/kg") in figures
    [alone] = extract("The refinery will cost $1.2 billion, up from an earlier plan.")
    assert alone.unit == "USD"
    # "at" is no "a t(onne)": a sum invested at a place stays a sum.
    for text in (
        "It will invest $1.2 billion at the Mountain Pass mine.",
        "$40 million at its plant",
    ):
        [sum_] = extract(text)
        assert sum_.unit == "USD"


def test_a_phrase_that_completes_a_clause_is_quoted_with_that_clause():
    by_value = {c.value: c for c in extract(ARTICLE)}
    assert by_value[300].quote.startswith("Prices in Rotterdam rose to $1,150")
    assert by_value[300].quote.endswith("up from about $300 a year earlier.")
    assert by_value[28.5].quote.startswith("Russia holds the second-largest reserves")
    assert by_value[2].quote == "Russia holds the second-largest reserves, the ministry estimates"


def test_a_known_name_opening_a_longer_name_is_not_that_actor():
    [share, *_] = extract(ARTICLE, KNOWN)
    assert share.speaker == ""
    assert share.cited is not None and share.cited.text == "United States Geological Survey"
    [said] = extract("The United States said imports fell 12 percent.", KNOWN)
    assert said.speaker == "united-states"


def test_two_figures_with_no_break_between_them_share_their_clause():
    text = "Russia ranked 6th among producers with 2,100 tonnes. China mined 70% and Russia 5%."
    quotes = [c.quote for c in extract(text)]
    assert quotes == [
        "Russia ranked 6th among producers with 2,100 tonnes.",
        "Russia ranked 6th among producers with 2,100 tonnes.",
        "China mined 70%",
        "Russia 5%.",
    ]


def test_a_share_above_99_percent_is_a_share_when_the_words_before_say_so():
    [share] = extract("China's share of refining rose to 99.7%.")
    assert (share.value, share.unit) == (Decimal("99.7"), "%")
    assert extract("It sells 99.99% gallium.") == []
