"""Anchors (core.text.SpacedText, quote_anchor): a quote located in a text ignoring whitespace, as
offsets into the original text, the occurrence chosen by the context stored with it."""

from hypothesis import given
from hypothesis import strategies as st

from core.text import ANCHOR_CONTEXT, quote_anchor, quote_in

# Words and the whitespace between them, the kinds a pasted or re-extracted text has.
_words = st.lists(st.sampled_from(["28.5", "Mt", "rare", "earths", "Russia", ".", "a"]), min_size=1)
_spaces = st.sampled_from([" ", "  ", "\n", "\t", "\n\n", " \u00a0"])


@st.composite
def _spaced(draw, words):
    return "".join(word + draw(_spaces) for word in words)


def _squeezed(text):
    return " ".join(text.split())


@given(st.data(), _words, _words, _words)
def test_the_offsets_hold_the_quote_whatever_the_whitespace(data, before, quote, after):
    text = data.draw(_spaced(before + quote + after))
    asked = data.draw(_spaced(quote))
    anchor = quote_anchor(asked, text)
    assert anchor is not None
    assert _squeezed(text[anchor.start : anchor.end]) == _squeezed(asked)
    assert not text[anchor.start].isspace() and not text[anchor.end - 1].isspace()


@given(st.text(), st.text(min_size=1).filter(str.strip))
def test_found_exactly_when_quote_in_finds_it(text, quote):
    anchor = quote_anchor(quote, text)
    assert (anchor is not None) == bool(quote_in(quote, text))
    if anchor is not None:
        assert _squeezed(text[anchor.start : anchor.end]) == _squeezed(quote)


def test_the_context_is_a_little_text_before_and_after():
    text = "x" * 100 + " Reserves   are\n28.5 Mt. " + "y" * 100
    anchor = quote_anchor("Reserves are 28.5 Mt.", text)
    assert text[anchor.start : anchor.end] == "Reserves   are\n28.5 Mt."
    assert anchor.prefix == "x" * (ANCHOR_CONTEXT - 1) + " "
    assert anchor.suffix == " " + "y" * (ANCHOR_CONTEXT - 1)


def test_of_several_occurrences_the_one_whose_context_matches():
    quote = "Output rose 5 %."
    text = f"In 2023 {quote} Prices fell. Then in 2024, as the ministry said, {quote} The end."
    first = quote_anchor(quote, text)
    assert first.start == text.index(quote)  # no stored context: the first
    later = text.rindex(quote)
    chosen = quote_anchor(quote, text, prefix="as the ministry said, ", suffix=" The end.")
    assert chosen.start == later
    # Only a part of the context still matches (the words after it were edited): still there.
    edited = text.replace("The end.", "Fin.")
    assert quote_anchor(quote, edited, "the ministry said, ", " The end.").start == later


def test_a_quote_not_in_the_text_has_no_anchor():
    assert quote_anchor("28.5 Mt", "It is 28.4 Mt.") is None
    assert quote_anchor("28.5 Mt", "") is None
    assert quote_anchor("   ", "any text") is None
