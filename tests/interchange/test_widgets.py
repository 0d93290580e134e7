"""How each cell reads and writes (interchange.widgets): codes with hints, figures, dates, lists."""

import datetime
from decimal import Decimal

import pytest

from claims.models import Metal
from interchange.widgets import (
    ChoiceWidget,
    CodeWidget,
    DateWidget,
    IntegerWidget,
    LinesWidget,
    NaturalKeyListWidget,
    NaturalKeyWidget,
    NumberWidget,
    TextWidget,
    split_list,
    text_cell,
)
from tests.conftest import make_actor, make_question

UNITS = ChoiceWidget([("t", "tonnes"), ("kt", "kilotonnes"), ("%", "percent")], "unit")
QUALIFIERS = ChoiceWidget(
    [("", "exactly"), ("about", "about"), ("more_than", "more than")], "qualifier"
)
STATUSES = ChoiceWidget([("draft", "draft"), ("checked", "checked")], "status", default="draft")

# --------------------------------------------------------------------------- choices


@pytest.mark.parametrize(
    ("widget", "cell", "code"),
    [(UNITS, "t", "t"), (UNITS, "  kt ", "kt"), (QUALIFIERS, "more_than", "more_than")],
)
def test_a_code_is_taken_as_it_is(widget, cell, code):
    assert widget.clean(cell) == code


def test_an_empty_cell_is_the_widgets_default():
    assert STATUSES.clean("") == "draft"
    assert STATUSES.clean(None) == "draft"
    assert UNITS.clean(" ") == ""


@pytest.mark.parametrize(
    ("widget", "cell", "message"),
    [
        # A label, or a code in other capitals, names the code it stands for.
        (UNITS, "tonnes", "unit 'tonnes' is unknown — did you mean 't'?"),
        (QUALIFIERS, "More than", "qualifier 'More than' is unknown — did you mean 'more_than'?"),
        (STATUSES, "Checked", "status 'Checked' is unknown — did you mean 'checked'?"),
        # A near miss suggests the nearest codes.
        (UNITS, "kilotonne", "unit 'kilotonne' is unknown — did you mean 'kt' or 't'?"),
        # Nothing near: every code is listed.
        (UNITS, "furlongs", "unit 'furlongs' is unknown — use one of 't', 'kt', '%'"),
    ],
)
def test_an_unknown_code_is_refused_with_a_hint(widget, cell, message):
    with pytest.raises(ValueError) as refused:
        widget.clean(cell)

    assert str(refused.value) == message


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize(
    ("cell", "value"),
    [("28.5", Decimal("28.5")), (" -5 ", Decimal("-5")), ("3000", Decimal("3000")), ("", None)],
)
def test_a_figure_is_read_exactly(cell, value):
    assert NumberWidget("value").clean(cell) == value


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("abc", "value 'abc' is not a number"),
        ("inf", "value 'inf' is not a number"),
        ("NaN", "value 'NaN' is not a number"),
        (
            "2,5",
            "value '2,5' is not a number: use a point for decimals and no thousands separators "
            "(28.5, 3000)",
        ),
        (
            "3,000",
            "value '3,000' is not a number: use a point for decimals and no thousands separators "
            "(28.5, 3000)",
        ),
    ],
)
def test_what_is_not_a_figure_is_refused_in_plain_words(cell, message):
    with pytest.raises(ValueError) as refused:
        NumberWidget("value").clean(cell)

    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (Decimal("28.500000"), "28.5"),
        (Decimal("3000.000000"), "3000"),
        (Decimal("1234567.250000"), "1234567.25"),
        (Decimal("0.000100"), "0.0001"),
        (Decimal("-5.000000"), "-5"),
        (Decimal("-0.000000"), "0"),
        (Decimal("0E-6"), "0"),
        (Decimal("1E+3"), "1000"),
        (None, ""),
        (7, "7"),
    ],
)
def test_a_figure_is_written_as_a_curator_writes_it(value, cell):
    # No thousands separators and no exponent: the cell reads back as the same figure.
    assert NumberWidget("value").render(value) == cell
    if value is not None:
        assert NumberWidget("value").clean(cell) == value


def test_a_whole_number_is_read_and_anything_else_refused():
    widget = IntegerWidget("atomic_number")

    assert widget.clean("60") == 60
    assert widget.clean(" -3 ") == -3
    assert widget.clean("") is None
    assert widget.render(60) == "60"
    assert widget.render(None) == ""
    for cell in ("60.0", "sixty", "6e1", "²", "-²", "١٢"):
        with pytest.raises(ValueError, match=f"atomic_number '{cell}' is not a whole number"):
            widget.clean(cell)


# --------------------------------------------------------------------------- dates


def test_a_date_is_read_in_iso_form_only():
    widget = DateWidget("accessed")

    assert widget.clean("2025-11-04") == datetime.date(2025, 11, 4)
    assert widget.clean("2025-11-04T00:00:00") == datetime.date(2025, 11, 4)  # a spreadsheet's
    assert widget.clean("") is None
    assert widget.render(datetime.date(2025, 11, 4)) == "2025-11-04"
    assert widget.render(None) == ""


@pytest.mark.parametrize("cell", ["04/11/2025", "2025-11", "2025-02-30", "4 November 2025"])
def test_what_is_not_an_iso_date_is_refused(cell):
    with pytest.raises(ValueError) as refused:
        DateWidget("accessed").clean(cell)

    assert str(refused.value) == f"accessed '{cell}' is not a date: use YYYY-MM-DD"


# --------------------------------------------------------------------------- lines, text, lists


def test_lines_are_written_with_bars_and_read_back_one_per_line():
    widget = LinesWidget()

    assert widget.clean("Astana | Nur-Sultan||") == "Astana\nNur-Sultan"
    assert widget.clean("") == ""
    assert widget.render("Astana\nNur-Sultan") == "Astana|Nur-Sultan"
    assert widget.render(None) == ""
    assert widget.clean(widget.render("a\nb c\nd")) == "a\nb c\nd"


def test_text_keeps_its_spaces_and_a_code_drops_them():
    assert TextWidget().clean("  as imported  ") == "  as imported  "
    assert TextWidget().clean(None) == ""
    assert CodeWidget().clean("  kazinform-news ") == "kazinform-news"
    assert CodeWidget().clean(None) == ""


def test_a_list_cell_is_split_on_bars_and_a_cell_stripped():
    assert split_list(" Nd | Pr||Dy ") == ["Nd", "Pr", "Dy"]
    assert split_list("") == []
    assert split_list(None) == []
    assert text_cell("  x ") == "x"
    assert text_cell(None) == ""


@pytest.mark.django_db
def test_natural_keys_are_written_as_keys_and_a_list_of_them_sorted():
    question = make_question()
    question.metals.set(Metal.objects.filter(symbol__in=["Pr", "Dy", "Nd"]))
    parent = make_actor(slug="government-of-kazakhstan")

    assert NaturalKeyListWidget(Metal, "symbol").render(question.metals) == "Dy|Nd|Pr"
    assert NaturalKeyListWidget(Metal, "symbol").render(None) == ""
    assert NaturalKeyWidget(type(parent), "slug").render(parent) == "government-of-kazakhstan"
    assert NaturalKeyWidget(type(parent), "slug").render(None) == ""
    # The label names the related record in a message; by default its verbose name.
    assert NaturalKeyWidget(type(parent), "slug").label == "actor"
    assert NaturalKeyListWidget(Metal, "symbol", "metal group").label == "metal group"
