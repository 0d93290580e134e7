"""Words for the pages: how verdicts, intervals, spreads, origins and years read, how a claim is
named and quoted, and how its links read.

Pure helpers over comparison values, shared by the HTML pages, the chart labels and the CSV and
JSON (pages.serialisers), so that a figure reads the same wherever it is shown. Numbers are
written by core.numbers (this adds a rank's “#” and the unit); the labels that name a claim
beside others, its quote and its links are at the end.
"""

import math
from typing import NamedTuple

from django.utils.text import Truncator

from claims.comparison import (
    VERDICT_LABELS,
    Interval,
    QuestionComparison,
    Relation,
    Verdict,
    is_sum,
    stated_figure,
)
from core import numbers
from core.links import page_url


def badge(verdict, *, series=False, claims=None):
    """(css class, label) of a verdict badge.

    A question whose claims are all from different years has nothing to compare within a year: it
    reads “series”, not “one origin”. A question with no public claim reads “no claims”.
    """
    if verdict is None:  # a question whose summary is missing (claims.summaries.unsummarised)
        return "none", "not summarised yet"
    if claims == 0:
        return "none", "no claims"
    if verdict == Verdict.SINGLE and series:
        return "series", "series"
    return str(verdict).replace(" ", "-"), VERDICT_LABELS.get(verdict, str(verdict))


def answer_series(kind, series):
    """Whether a question's claims form a series (display.badge's `series`): yes/no answers of
    different years, which are never compared. Figures of different years are compared (allowing
    the question's drift), so on a quantity or rank question they confirm or contradict."""
    return bool(series) and kind == "boolean"


# What a claim is to those it is named beside, by relation: the claim and question pages' words.
RELATION_WORDS = {
    "superseded": "superseded by",
    "conflict": "conflicts with",
    "close": "close to",
    "agree": "agrees with",
}

# How a claim stands to another of its own origin that agrees with it: it repeats it, and
# confirms nothing (relation_badge).
ECHO = "echo"


def relation_badge(relation):
    """(css class, label) of how one claim stands to another (a comparison.Relation, or ECHO)."""
    if relation == Relation.SERIES:
        return "series", "other year"
    if relation == ECHO:
        return "single", "echo"
    return badge(Verdict(str(relation)))


def number(x, unit="", **style):
    """1234567.0 → “1,234,567”; 85.5 → “85.5”; a rank reads “#5”; a sum “1.2 billion”.

    core.numbers.number with a rank's “#”, or a sum with its scale word as the stated figure
    beside it has it (core.numbers.money); `style` is number's `grouping` and `digits`.
    """
    if is_sum(unit):
        return numbers.sum_text(x)
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
    if is_sum(unit):  # the currency's code first, as the press and the stated figure write it
        return f"{unit} {text}"
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


def drift_text(drift, unit):
    """How far figures may move in a year and still agree: “0.5% a year”; blank for none."""
    return f"{tolerance_text(drift, unit)} a year" if drift else ""


def time_text(outcome: QuestionComparison):
    """How claims of different years were compared, in words; blank when all are of one year."""
    if len(outcome.years) < 2:
        return ""
    if outcome.kind == "boolean":
        return (
            "The answers are of several years: only answers of the same year are compared, "
            "since an answer may change."
        )
    if outcome.drift:
        return (
            "Figures of different years compared allowing a drift of "
            f"{drift_text(outcome.drift, outcome.unit)}."
        )
    return (
        "Figures of different years compared as if of one year (no drift allowed): they must "
        "overlap to agree."
    )


# Where a claim's year comes from (Standing.year_from), as the claim page says it.
YEAR_FROM_WORDS = {
    "as_of": "its as-of date",
    "cited_source": "the date of the source it cites",
    "source": "the date of its source",
}


def year_text(year, year_from):
    """A claim's year and where it comes from: “2025 (the date of its source)”; blank for none."""
    if year is None:
        return ""
    return f"{year} ({YEAR_FROM_WORDS[year_from]})" if year_from in YEAR_FROM_WORDS else str(year)


def year_note(year, year_from):
    """The year a claim with no as-of date is compared as: “compared as 2025 (the date of its
    source)”; blank when its as-of date gives it, or nothing does."""
    if year is None or year_from == "as_of":
        return ""
    return f"compared as {year_text(year, year_from)}"


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


class Page(NamedTuple):
    """A record's page, named by its URL name and key, for a link (pages.templatetags.links.link)
    to a record read as plain values."""

    name: str
    key: str

    def get_absolute_url(self):
        return page_url(self.name, self.key)


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


# The double quotation marks that may enclose a quote as stored, each opening mark with its closing
# one, and the single marks that replace double ones inside the marks a page puts around a quote.
_ENCLOSING = {"“": "”", "„": "“", '"': '"'}
_NESTED = str.maketrans({"“": "‘", "”": "’", "„": "‚", '"': "'"})


def quoted(text, limit=None):
    """A quote between “ ”, as every page shows one, never with doubled marks.

    A quote stored with its own marks (“We would be happy…”) is shown in them once; marks left
    inside become single, as a quotation within a quotation takes (“‘These are expensive,’ he
    said.”). The stored quote, and the CSV and JSON, keep the marks as typed. `limit`: at most so
    many characters of the quote, cut as truncatechars cuts (the closing mark stays).
    """
    text = str(text).strip()
    if _encloses(text):
        text = text[1:-1].strip()
    text = text.translate(_NESTED)
    if limit is not None:
        text = Truncator(text).chars(int(limit))
    return f"“{text}”"


def _encloses(text):
    """Whether the first and last characters are one pair of marks around the whole text: true
    of “A, B”, false of “A,” he said, “B” (the first mark closes after A)."""
    if len(text) < 2 or _ENCLOSING.get(text[0]) != text[-1]:
        return False
    opening, closing = text[0], text[-1]
    if opening == closing:  # straight marks: no way to tell an inner opening from a closing one
        return closing not in text[1:-1]
    depth = 0
    for char in text[1:-1]:
        depth += (char == opening) - (char == closing)
        if depth < 0:
            return False
    return depth == 0


# How a link reads from each end (ClaimLink.kind): from the claim that refers, and from the claim
# referred to.
LINK_WORDS = {
    "corrects": ("corrects", "corrected by"),
    "qualifies": ("qualifies", "qualified by"),
    "derived_from": ("derived from", "used to derive"),
    "disputes": ("disputes", "disputed by"),
}


LINKED_QUOTE = 100  # characters of a linked claim's quote, for one that states no figure


def claim_links(claim):
    """(words, label, claim) of each link of a claim to or from a public claim, outgoing first:
    (“corrects”, “USGS: #5”, …), (“qualified by”, …). The claim's links come prefetched
    (ClaimQuerySet.with_links)."""
    return [
        (LINK_WORDS[kind][0], link_label(other), other) for kind, other in claim.public_links()
    ] + [
        (LINK_WORDS[kind][1], link_label(other), other)
        for kind, other in claim.public_linked_from()
    ]


def link_label(claim):
    """How a linked claim is named: its label, or for a claim that states no figure (a caveat
    such as “difficult to verify”) who said it and the start of its quote, which is the point."""
    if claim.stated_figure():
        return claim_label(claim)
    return f"{claim.credit}: {quoted(claim.quote, LINKED_QUOTE)}"


def claim_label(claim):
    """How a claim is named beside others, crediting who said it first and where it was reported:
    “International Energy Agency (in The Jamestown Foundation): 59%”, or “The EurAsian Times: #5”
    for a publisher's own figure (Claim.credit)."""
    return _label(claim.credit, claim.stated_figure())


def _label(who, stated):
    return f"{who}: {stated}" if stated else who
