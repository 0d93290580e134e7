"""Words for the pages: how verdicts, intervals, spreads and origins read, and how a claim is named.

Pure helpers over comparison values, shared by the HTML pages, the chart labels and the CSV and
JSON (pages.serialisers), so that a figure reads the same wherever it is shown. Numbers are
written by core.numbers (this adds a rank's “#” and the unit); the labels that name a claim
beside others are at the end.
"""

import math

from claims.comparison import Interval, QuestionComparison, Relation, Verdict
from claims.models import stated_figure
from core import numbers

# Badge text and CSS class for a question's or a claim's verdict.
VERDICT_LABELS = {
    Verdict.AGREE: "agree",
    Verdict.CLOSE: "close",
    Verdict.CONFLICT: "conflict",
    # One origin, however many sources repeat it: nothing confirms it independently.
    Verdict.SINGLE: "one origin",
    Verdict.NOT_COMPARABLE: "not comparable",
}


def badge(verdict, *, series=False, claims=None):
    """(css class, label) of a verdict badge.

    A question whose claims are all from different years has nothing to compare within a year: it
    reads “series”, not “one origin”. A question with no public claim reads “no claims”.
    """
    if claims == 0:
        return "none", "no claims"
    if verdict == Verdict.SINGLE and series:
        return "series", "series"
    return str(verdict).replace(" ", "-"), VERDICT_LABELS.get(verdict, str(verdict))


def relation_badge(relation):
    """(css class, label) of how one claim stands to another (a comparison.Relation)."""
    if relation == Relation.SERIES:
        return "series", "other year"
    return badge(Verdict(str(relation)))


def number(x, unit="", **style):
    """1234567.0 → “1,234,567”; 85.5 → “85.5”; a rank reads “#5”.

    core.numbers.number with a rank's “#”; `style` is its `grouping` and `digits`.
    """
    text = numbers.number(x, **style)
    return f"#{text}" if unit == "rank" else text


def with_unit(text, unit, *, times="×"):
    """Put the unit after a figure: “90%”, “3×”, “28,500,000 t”; ranks and counts have none.

    `times` is how a factor (unit "x") is written after its figure.
    """
    if unit in ("", "count", "rank"):
        return text
    if unit == "%":
        return f"{text}%"
    if unit == "x":
        return f"{text}{times}"
    return f"{text} {unit}"


def interval_text(interval: Interval | None, unit=""):
    """An interval as a reader says it: “#5”, “27,075,000 – 29,925,000 t”, “> 98%”, “≤ 10 t”."""
    if interval is None:
        return ""
    low, high = interval.low, interval.high
    if low == high:
        return with_unit(number(low, unit), unit)
    if high == math.inf:
        return ("> " if interval.low_open else "≥ ") + with_unit(number(low, unit), unit)
    if low == -math.inf:
        return ("< " if interval.high_open else "≤ ") + with_unit(number(high, unit), unit)
    return with_unit(f"{number(low, unit)} – {number(high, unit)}", unit)


def spread_text(outcome: QuestionComparison):
    """The range of all figures: “90 – 98+%” when a claim runs on past 98, “up to 10 t” …"""
    return spread_text_of(outcome.spread, outcome.spread_open, outcome.unit)


def spread_text_of(spread, spread_open, unit):
    """`spread_text` from the values themselves (a stored QuestionSummary has no outcome)."""
    if spread is None:
        return ""
    low, high = spread
    open_low, open_high = spread_open
    text = number(low, unit) if low == high else f"{number(low, unit)} – {number(high, unit)}"
    text = ("up to " if open_low else "") + text + ("+" if open_high else "")
    return with_unit(text, unit)


def tolerance_text(tolerance, unit):
    """How far apart figures may be and still be close: “2%”, “1 place”; blank for none."""
    if not tolerance:
        return ""
    if unit == "rank":
        return f"{number(tolerance)} place{'s' if tolerance != 1 else ''}"
    return with_unit(number(tolerance), unit)


def consensus_text(outcome: QuestionComparison):
    consensus = outcome.consensus
    if consensus is None:
        return ""
    if consensus.answer:
        return consensus.answer
    return interval_text(consensus.interval, outcome.unit)


def json_end(value):
    """An interval end for JSON: None for an open (infinite) end."""
    return value if value is not None and math.isfinite(value) else None


class Labels(dict):
    """ref -> label of a ClaimFigure, made when first asked for: a page names a few dozen claims
    of the hundreds it judges."""

    def __init__(self, claims):
        super().__init__()
        self.claims = claims

    def __missing__(self, ref):
        self[ref] = label = _figure_label(self.claims[ref])
        return label


def _figure_label(claim):
    """claim_label of a ClaimFigure (ClaimQuerySet.figures)."""
    return _label(claim.credit, figure_text(claim.figure))


def figure_text(figure):
    """A comparison.Figure as its source states it: “about 28.5 Mt”, “#5”."""
    return stated_figure(
        figure.qualifier, figure.value, figure.value_high, figure.unit, figure.answer
    )


def claim_label(claim):
    """How a claim is named beside others, crediting who said it first and where it was reported:
    “International Energy Agency (in The Jamestown Foundation): 59%”, or “The EurAsian Times: #5”
    for a publisher's own figure (Claim.credit)."""
    return _label(claim.credit, claim.stated_figure())


def _label(who, stated):
    return f"{who}: {stated}" if stated else who
