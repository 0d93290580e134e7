"""A form's messages as the clauses of a file's problems (interchange.problems.clause)."""

import pytest

from interchange.problems import clause


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A figure in tonnes (t) cannot stand here.", "a figure in tonnes (t) cannot stand here"),
        ("You recorded this claim.", "you recorded this claim"),
        ("USGS says so.", "USGS says so"),
        (
            "120% is outside the question's bounds (0% to 100%).",
            "120% is outside the question's bounds (0% to 100%)",
        ),
        ("already a clause", "already a clause"),
    ],
)
def test_a_sentence_becomes_a_clause_with_a_small_letter_and_no_stop(sentence, expected):
    assert clause(sentence) == expected
