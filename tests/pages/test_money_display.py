"""A sum of money reads the same in every column of a page: its currency's code first, with a
scale word (core.numbers.money), in the stated figure, the normalised interval and the spread."""

import math

import pytest

from claims.comparison import Interval
from pages import display
from tests.conftest import make_claim, make_question

pytestmark = pytest.mark.django_db


def test_the_normalised_interval_and_the_spread_write_a_sum_as_the_stated_figure_does():
    assert display.interval_text(Interval(1.2e9, 1.2e9, False, False), "USD") == "USD 1.2 billion"
    assert display.interval_text(Interval(5e8, math.inf, True, False), "EUR") == "> EUR 500 million"
    assert (
        display.spread_text_of((1e6, 2.5e6), (False, True), "RUB") == "RUB 1 million – 2.5 million+"
    )
    # A price is no sum: its unit comes after it, as every other unit's does.
    assert display.with_unit(display.number(1150, "USD/kg"), "USD/kg") == "1,150 USD/kg"


def test_a_question_page_shows_a_sum_in_one_format(client):
    question = make_question(unit="USD", tolerance=0)
    make_claim(question=question, value=1_200_000_000, unit="USD", qualifier="about")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "about USD 1.2 billion" in html
    assert "1,200,000,000" not in html
