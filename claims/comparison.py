"""Comparing what sources say on one question.

This is the heart of the product (README, "What is here"): every claim becomes an
interval in the question's unit, pairs of claims are classified as agreeing, close or conflicting,
and a question gets a verdict, a spread, a consensus and a count of independent origins.

The module is pure on purpose: standard library and core.numbers only, no Django, no database.
The models and views turn rows into `Figure` values and call `compare_question`; the tests use
plain values. It is also the one place the vocabularies are defined (units, qualifiers, kinds,
answers): the models' choices and the CSV columns' are taken from here, so what can be stored is
always what can be compared.

Conventions used throughout:

- An interval's open/closed flags describe its *finite* ends only. An infinite end is never reached,
  so its flag is never consulted; intervals built here leave it False.
- Tolerance is absolute, in the question's unit (2 on a percent question means 2 percentage points).
- A question's bounds (a share is 0-100 %, a rank starts at 1) clip every interval: "more than 98 %"
  is (98, 100], a finite interval. A figure outside the bounds, or in a unit of another dimension
  than the question's, is refused at the door (`figure_problems`); one already stored is not
  comparable.
- A claim's year is its as-of date's, else its cited source's, else its source's (`claim_year`).
  Figures of different years are compared allowing the question's drift (its unit per year):
  Δ years apart they agree within drift × Δ and are close within tolerance + drift × Δ. Yes/no
  answers may change, so only answers of one year are compared; other years form a series.
- A `corrects` link from a claim of the same origin supersedes its target (`superseded`): the
  target stays listed but leaves the verdict, the spread and the consensus.
- Claims of one origin are echoes: their agreement confirms nothing, so `agree` needs two
  independent origins; echoes that differ are still close or a conflict, since a misquote or a
  revision is what a reader must see.
"""

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from itertools import combinations
from typing import NamedTuple

from core.numbers import money, number


class Relation(StrEnum):
    """How two claims stand against each other."""

    AGREE = "agree"
    CLOSE = "close"
    CONFLICT = "conflict"
    # Yes/no answers of different years: a time series, not a contradiction.
    SERIES = "series"
    # Either claim has no place on the question's scale (no value, other dimension, no answer ...).
    NOT_COMPARABLE = "not comparable"


class Verdict(StrEnum):
    """A question's overall outcome, and also a single claim's standing against the others.

    SINGLE means "nothing confirms it": one origin however many sources repeat it, or (for yes/no
    answers) only answers of other years. SUPERSEDED is a claim's standing only, never a
    question's: a later claim of its own origin corrects it.
    """

    AGREE = "agree"
    CLOSE = "close"
    CONFLICT = "conflict"
    SINGLE = "single"
    NOT_COMPARABLE = "not comparable"
    SUPERSEDED = "superseded"


# The words of a question's or a claim's verdict wherever it is shown (pages.display.badge, the
# admin's verdict history).
VERDICT_LABELS = {
    Verdict.AGREE: "agree",
    Verdict.CLOSE: "close",
    Verdict.CONFLICT: "conflict",
    # One origin, however many sources repeat it: nothing confirms it independently.
    Verdict.SINGLE: "one origin",
    Verdict.NOT_COMPARABLE: "not comparable",
    # A claim's standing only: a later claim of its own origin corrects it.
    Verdict.SUPERSEDED: "superseded",
}

# Worst first: the order the home page lists questions in.
VERDICT_ORDER = {
    Verdict.CONFLICT: 0,
    Verdict.CLOSE: 1,
    Verdict.AGREE: 2,
    Verdict.SINGLE: 3,
    Verdict.NOT_COMPARABLE: 4,
}

# The currencies of the vocabulary, with their labels.
CURRENCY_CHOICES: list[tuple[str, str]] = [
    ("USD", "US dollars"),
    ("EUR", "euros"),
    ("GBP", "pounds sterling"),
    ("CNY", "yuan (renminbi)"),
    ("RUB", "roubles"),
]

# Code -> (dimension, factor to the dimension's base unit). Only units of one dimension convert.
UNITS: dict[str, tuple[str, float]] = {
    "t": ("mass", 1.0),
    "kt": ("mass", 1e3),
    "Mt": ("mass", 1e6),
    "%": ("share", 1.0),
    "rank": ("rank", 1.0),
    "x": ("multiple", 1.0),
    "count": ("count", 1.0),
}
# The same codes with their labels, for forms and hints: kept beside UNITS rather than merged into
# it because each is read on its own (conversion here, choices in the models and widgets);
# tests/claims/test_vocabulary.py holds the two to the same codes.
UNIT_CHOICES: list[tuple[str, str]] = [
    ("t", "tonnes"),
    ("kt", "thousand tonnes"),
    ("Mt", "million tonnes"),
    ("%", "percent"),
    ("rank", "rank"),
    ("x", "multiple"),
    ("count", "count"),
]
# Each currency is a dimension of its own: an exchange rate is no fixed factor (it changes daily,
# and a sum's rate depends on its date and the source's choice), so sums in two currencies are
# never converted, compared or drawn on one scale. Sums are kept in whole units of the currency
# ("$1.2 billion" is 1 200 000 000 USD): the vocabulary has no scaled money units. A price is a
# dimension apart from a sum ("$1,150 per kilogram" is no sum of 1,150 dollars): the currency per
# tonne or per kilogram, which convert into each other (the trade press quotes ores and
# concentrates per tonne, refined metals and oxides per kilogram).
for _code, _label in CURRENCY_CHOICES:
    UNITS[_code] = (f"money {_code}", 1.0)
    UNITS[f"{_code}/t"] = (f"price {_code}", 1.0)
    UNITS[f"{_code}/kg"] = (f"price {_code}", 1e3)
    UNIT_CHOICES += [
        (_code, _label),
        (f"{_code}/t", f"{_label} per tonne"),
        (f"{_code}/kg", f"{_label} per kilogram"),
    ]
del _code, _label
# Units counted in whole numbers (a place, a number of mines): never drawn at 1.8.
WHOLE_UNITS: tuple[str, ...] = ("rank", "count")
_UNIT_LABELS = dict(UNIT_CHOICES)

QUALIFIER_CHOICES: list[tuple[str, str]] = [
    ("exact", "exact"),
    ("about", "about / around"),
    ("nearly", "nearly"),
    ("more_than", "more than"),
    ("at_least", "at least"),
    ("less_than", "less than"),
    ("at_most", "at most"),
    ("between", "between"),
]
QUALIFIERS: tuple[str, ...] = tuple(code for code, _ in QUALIFIER_CHOICES)
# How each qualifier reads before a stated figure ("about 28.5 Mt"); blank is exact. The labels of
# QUALIFIER_CHOICES are for a curator choosing one, these for a reader; tests/claims/
# test_vocabulary.py holds the two to the same codes.
QUALIFIER_WORDS: dict[str, str] = {
    "": "",
    "exact": "",
    "about": "about ",
    "nearly": "nearly ",
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "at_most": "at most ",
    "between": "",  # "10–20 t": the dash says it
}

ANSWER_CHOICES: list[tuple[str, str]] = [("yes", "yes"), ("no", "no")]
ANSWERS: tuple[str, ...] = tuple(code for code, _ in ANSWER_CHOICES)
_ANSWER_LABELS = dict(ANSWER_CHOICES)

KIND_CHOICES: list[tuple[str, str]] = [
    ("quantity", "quantity"),
    ("rank", "rank"),
    ("boolean", "yes / no"),
]
KINDS: tuple[str, ...] = tuple(code for code, _ in KIND_CHOICES)

# How one claim refers to another (ClaimLink.kind; the `links` column of claims.csv). Only
# `corrects` can change a verdict (see `superseded`); the others are shown beside the claim.
LINK_CHOICES: list[tuple[str, str]] = [
    ("corrects", "corrects (a revision of)"),
    ("qualifies", "qualifies (a caveat on)"),
    ("derived_from", "is derived from"),
    ("disputes", "disputes"),
]
LINK_KINDS: tuple[str, ...] = tuple(code for code, _ in LINK_CHOICES)

# "About 70" is read as 70 ± 5 % of 70, i.e. [66.5, 73.5]; "nearly 90" as [85.5, 90]. Relative,
# not absolute, because writers round "about 28.5 million" and "about 70 percent" to a similar
# number of significant digits. Deliberately narrow: a wide band would make every "about" agree
# with everything.
ABOUT_BAND = 0.05

# Floats cannot hold most decimals, so 94.1 - 93.1 is 1.0000000000000142. Without a little slack a
# gap that equals the tolerance on paper would come out a conflict. Relative to the tolerance, so a
# tolerance of 0 still means "touching at most", and a larger tolerance never gives a worse result.
_TOLERANCE_SLACK = 1e-9

_INFINITY = Decimal("Infinity")
_BAND = Decimal(str(ABOUT_BAND))
_SEVERITY = {Relation.AGREE: 1, Relation.CLOSE: 2, Relation.CONFLICT: 3}
_AS_OF = re.compile(r"(\d{4})(?:-\d{2}){0,2}")
# Where a claim's year comes from (Standing.year_from), in the order they are tried.
YEAR_FROM = ("as_of", "cited_source", "source")


@dataclass(frozen=True)
class Figure:
    """One claim, as plain values (a `Claim` row, minus everything the comparison does not need)."""

    ref: str
    qualifier: str = ""  # one of QUALIFIERS; "" means exact
    value: Decimal | float | None = None
    value_high: Decimal | float | None = None  # only read for "between"
    unit: str = ""  # one of UNITS, or ""
    as_of: str = ""  # "2025", "2025-11", "2025-11-04" or ""
    answer: str = ""  # "yes", "no" or "" (yes/no questions only)
    origin: str = ""  # see origin_of(); "" means the claim is its own origin
    cited_published: str = ""  # the cited source's publication date, a partial date or ""
    source_published: str = ""  # the reporting source's publication date
    corrects: tuple[str, ...] = ()  # refs of the claims this one corrects (a revision of them)


@dataclass(frozen=True, slots=True)
class Interval:
    """A set of values on the question's scale; `low`/`high` may be -inf/inf for open-ended claims.

    `low_open`/`high_open` mark strict finite bounds: "more than 90" is Interval(90, inf, True).
    """

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def __post_init__(self):
        if math.isnan(self.low) or math.isnan(self.high):
            raise ValueError("An interval's ends must be numbers.")
        if self.low == math.inf or self.high == -math.inf:
            raise ValueError("An interval cannot start at +inf or end at -inf.")
        if self.low > self.high:
            raise ValueError(f"An interval's low ({self.low}) is above its high ({self.high}).")
        if self.low == self.high and (self.low_open or self.high_open):
            raise ValueError("An interval with an open end on a single point is empty.")

    def __str__(self) -> str:
        if self.low == self.high:
            return number(self.low)
        left = "(" if self.low_open or self.low == -math.inf else "["
        right = ")" if self.high_open or self.high == math.inf else "]"
        return f"{left}{number(self.low)}, {number(self.high)}{right}"


@dataclass(frozen=True)
class Consensus:
    """What the most independent origins support together.

    For numbers, `interval` is the range covered by the largest set of origins (each origin counted
    once however many echoes it has); for yes/no questions, `answer` is the answer given by the most
    origins. `refs` are the claims of those origins that support it. Unnamed reports
    (unattributed claims) are left out: they count toward no consensus.
    """

    origins: int
    refs: tuple[str, ...]
    interval: Interval | None = None
    answer: str = ""


@dataclass(frozen=True)
class Standing:
    """How one claim stands against the other claims on its question.

    `relation` is its worst relation to a comparable claim of the same period (CONFLICT, else
    CLOSE, else AGREE, the last only with a claim of another independent origin); Verdict.SINGLE
    when nothing else stands against it or confirms it;
    Verdict.NOT_COMPARABLE when the claim itself has no place on the question's scale. Being
    StrEnums, Verdict.CONFLICT == Relation.CONFLICT == "conflict".
    """

    ref: str
    relation: Verdict
    interval: Interval | None
    origin: str
    year: int | None
    year_from: str  # one of YEAR_FROM, or "" when the claim has no year
    agrees: int
    close: int
    conflicts: int
    agrees_with: tuple[str, ...]
    close_to: tuple[str, ...]
    conflicts_with: tuple[str, ...]
    # Claims resting on the same origin: they repeat this claim rather than confirm it.
    echoes: tuple[str, ...]
    # Distinct origins, other than its own, among the claims it agrees with: real confirmation
    # (none for an unattributed claim, and unnamed reports confirm nothing).
    independent_agrees: int
    # The claims of its own origin that correct it; when any, relation is SUPERSEDED and the
    # claim is related to no other.
    superseded_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionComparison:
    """Everything the pages show about one question, computed from its claims.

    - `verdict`: the worst relation among comparable claims of the same period, where agreement
      counts only between independent origins; SINGLE when nothing is left; NOT_COMPARABLE when no
      claim can be placed at all.
    - `pairs`: (ref_a, ref_b) -> Relation, both orders; see also `relation()`.
    - `intervals`: ref -> Interval in the question's unit (None for yes/no or not comparable).
    - `spread`: (lowest, highest) finite end among all comparable intervals, all years included.
      Infinite ends add nothing, so "more than 98" and "90" give (90, 98); `spread_open` says
      whether some claim runs off to -inf / +inf, so a page can draw "90 – 98+". None when no
      interval.
    - `consensus`: see `Consensus`; None when two different ranges (answers) tie for the most
      origins: there is then no single consensus to show. None also across years where the
      answer or figure may change (yes/no answers, or a question with a drift): a moving figure
      has no one range to agree on. With no drift, figures of any year must overlap to agree, so
      the consensus is over them all.
    - `origins`: origin key -> refs, for all claims; `independent_origins` counts the origins of
      comparable claims only, since a claim that cannot be compared confirms nothing, and never
      unnamed reports. `consistent`: origin key -> whether all its comparable claims agree.
    - `series`: True when comparable claims have different years; `years` lists those years.
    - `superseded`: ref -> the refs that correct it, for the claims that leave the comparison;
      `bounds` and `drift` are the question's, as compared.
    Superseded claims keep their interval and standing but count toward none of the rest.
    """

    kind: str
    unit: str
    tolerance: float
    verdict: Verdict
    standings: dict[str, Standing]
    pairs: dict[tuple[str, str], Relation]
    intervals: dict[str, Interval | None]
    spread: tuple[float, float] | None
    spread_open: tuple[bool, bool]
    consensus: Consensus | None
    origins: dict[str, list[str]]
    consistent: dict[str, bool]
    independent_origins: int
    series: bool
    years: list[int]
    superseded: dict[str, tuple[str, ...]]
    bounds: tuple[float, float]
    drift: float

    def relation(self, ref_a: str, ref_b: str) -> Relation:
        """How two different claims of this question stand."""
        return self.pairs[ref_a, ref_b]

    @property
    def conflicting_pairs(self) -> list[tuple[str, str]]:
        """Each conflicting pair once, in the order the claims were given."""
        # `pairs` holds (a, b) before (b, a) when a comes first, so the first order seen is kept.
        found: dict[tuple[str, str], None] = {}  # a dict keeps the order and looks up at once
        for (a, b), relation in self.pairs.items():
            if relation == Relation.CONFLICT and (b, a) not in found:
                found[a, b] = None
        return list(found)


# The origin of a claim its document attributes to unnamed others ("some reports claim"): each such
# claim is an origin of its own, and none ever counts toward independence.
UNATTRIBUTED = "unattributed"
UNATTRIBUTED_LABEL = "unnamed reports"
_UNATTRIBUTED_KEY = f"{UNATTRIBUTED}:"  # how an unnamed report's origin key starts


class Origin(NamedTuple):
    """Who a figure comes from: a key ("actor:<slug>", "source:<slug>", "unattributed:<ref>") and
    how a reader names it."""

    key: str
    label: str


def origin_of(
    *,
    ref: str = "",
    unattributed: bool = False,
    speaker: tuple[str, str] | None = None,
    cited_publisher: tuple[str, str] | None = None,
    cited_source: tuple[str, str] | None = None,
    publisher: tuple[str, str] | None = None,
    source: tuple[str, str] | None = None,
) -> Origin:
    """The independent origin a claim rests on; each argument is a (slug, name) pair or None.

    An actor wherever one is known, since a ministry speaks for its government and two reports of
    one agency are one agency: the speaker's top-level actor, else the top-level publisher of the
    cited source, else the cited source itself, else the top-level publisher of the reporting
    source, else that source. Actors are given as their top-level actor. Two claims with the same
    key are echoes, not confirmation.
    """
    if unattributed:
        return Origin(f"{_UNATTRIBUTED_KEY}{ref}", UNATTRIBUTED_LABEL)
    candidates = (
        ("actor", speaker),
        ("actor", cited_publisher),
        ("source", cited_source),
        ("actor", publisher),
        ("source", source),
    )
    for kind, named in candidates:
        if named and named[0]:
            return Origin(f"{kind}:{named[0]}", named[1])
    return Origin("", "")


def independent(origin: str) -> bool:
    """Whether claims of this origin can confirm another origin's: unnamed reports never do."""
    return not origin.startswith(_UNATTRIBUTED_KEY)


def claim_year(
    as_of: str, cited_published: str = "", source_published: str = ""
) -> tuple[int | None, str]:
    """(year, where it comes from) of a claim: its as-of date, else its cited source's publication
    date, else its reporting source's; (None, "") when none has a year.

    A figure a source cites is as old as the document it cites, not as the article repeating it.
    """
    for year_from, date in zip(YEAR_FROM, (as_of, cited_published, source_published), strict=True):
        year = as_of_year(date)
        if year is not None:
            return year, year_from
    return None, ""


def as_of_year(as_of: str) -> int | None:
    """The year of a partial date ("2025", "2025-11", "2025-11-04"); None when blank or malformed.

    A malformed date is treated like a missing one (it compares with every year): the models
    validate dates, and this module must not crash a page on one bad row.
    """
    match = _AS_OF.fullmatch(as_of.strip())
    return int(match.group(1)) if match else None


NO_BOUNDS = (-math.inf, math.inf)


def scale_bounds(
    kind: str, lower: Decimal | float | None = None, upper: Decimal | float | None = None
) -> tuple[float, float]:
    """The values a question's measure can take, as (low, high) with -inf/inf for no bound.

    A rank starts at 1 whatever is stored; yes/no answers have no scale to bound.
    """
    if kind == "boolean":
        return NO_BOUNDS
    low = -math.inf if lower is None else float(lower)
    high = math.inf if upper is None else float(upper)
    if kind == "rank":
        low = max(low, 1.0)
    return low, high


def to_interval(
    figure: Figure, unit: str, bounds: tuple[float, float] = NO_BOUNDS
) -> Interval | None:
    """The figure as an interval in the question's `unit`, clipped to its `bounds`; None when it
    cannot be compared.

    None (never a guess) when: the figure has no finite value, its qualifier is unknown, "between"
    lacks a valid upper value, either unit is unknown, or the units measure different things
    (% vs t). A blank claim unit is not read as the question's unit, since "3,000" could be tonnes
    or a count; the one exception is a rank question, where a bare number can only be a rank.
    Also None when the figure lies outside the bounds (`figure_problems` keeps such figures out;
    one stored before its question had bounds is not compared rather than guessed at).
    """
    unclipped = _unclipped(figure, unit)
    if unclipped is None or _outside(figure, unit, bounds):
        return None
    return clip(unclipped, bounds)


def clip(interval: Interval, bounds: tuple[float, float]) -> Interval | None:
    """The part of `interval` within `bounds` (both ends included); None when nothing is left.

    Clipping never widens: "about 98 %" [93.1, 102.9] is [93.1, 100] on a 0-100 scale, and "more
    than 98 %" (98, inf) is (98, 100], closed at the bound the measure can reach.
    """
    low_bound, high_bound = bounds
    low, low_open = interval.low, interval.low_open
    high, high_open = interval.high, interval.high_open
    if low < low_bound:
        low, low_open = low_bound, False
    if high > high_bound:
        high, high_open = high_bound, False
    if low > high or (low == high and (low_open or high_open)):
        return None
    return Interval(low, high, low_open, high_open)


def figure_problems(
    figure: Figure, *, kind: str, unit: str, bounds: tuple[float, float]
) -> dict[str, str]:
    """Why a figure cannot stand on a question of this kind, unit and bounds, as {field: message}
    ({} when it can): the one check of a claim against its question, for the admin's form and for
    imports alike.

    A unit of another dimension than the question's ("t" on a share in percent) is refused on the
    unit, naming the question's unit; then a value outside the bounds (`bounds_problem`) on the
    value. A figure that cannot be compared for another reason (no value, a question without a
    unit) is not this check's business.
    """
    problem = unit_problem(figure.unit, kind=kind, unit=unit)
    if problem:
        return {"unit": problem}
    problem = bounds_problem(figure, kind=kind, unit=unit, bounds=bounds)
    return {"value": problem} if problem else {}


def unit_problem(claim_unit: str, *, kind: str, unit: str) -> str | None:
    """Why a claim stated in `claim_unit` cannot stand on a question of this kind and unit, or None.

    Only a unit that converts to the question's does: "kt" on a question in tonnes, never "t" on a
    share in percent. A blank unit is not refused (the claim takes the question's, see
    Claim.take_question_unit), nor any unit on a yes/no question or one without a unit.
    """
    if kind == "boolean" or not claim_unit:
        return None
    scale = scale_unit(kind, unit)
    if scale not in UNITS or claim_unit not in UNITS:
        return None
    if _conversion(claim_unit, scale) is not None:
        return None
    dimension = UNITS[scale][0]
    same = [code for code, (of, _) in UNITS.items() if of == dimension]
    return (
        f"A figure in {_unit_named(claim_unit)} cannot stand on this question: its unit is "
        f"{_unit_named(scale)}; state the figure in {_or_list(same)}."
    )


def _unit_named(code: str) -> str:
    """A unit for a message: "tonnes (t)", "percent (%)", "rank"."""
    label = _UNIT_LABELS[code]
    return label if label == code else f"{label} ({code})"


def _or_list(codes: list[str]) -> str:
    return codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} or {codes[-1]}"


def bounds_problem(
    figure: Figure, *, kind: str, unit: str, bounds: tuple[float, float]
) -> str | None:
    """Why a figure falls outside a question's bounds, or None (part of `figure_problems`).

    A stated value outside the bounds ("120 %" on a share) or a figure that leaves nothing within
    them ("more than 100 %") is refused. On its own for Question.stranded_claims: new bounds must
    not strand a recorded figure, while a figure stored in a wrong unit before the unit check
    existed must not block every later edit of its question.
    """
    if kind == "boolean" or bounds == NO_BOUNDS:
        return None
    unit = scale_unit(kind, unit)
    unclipped = _unclipped(figure, unit)
    if unclipped is None:
        return None
    scale = _bounds_text(bounds, unit)
    if _outside(figure, unit, bounds):
        return f"{_stated(figure)} is outside the question's bounds ({scale})."
    if clip(unclipped, bounds) is None:
        return f"{_stated(figure)} leaves nothing within the question's bounds ({scale})."
    return None


def _unclipped(figure: Figure, unit: str) -> Interval | None:
    factor = _conversion(figure.unit, unit)
    value = _decimal(figure.value)
    if factor is None or value is None:
        return None
    ends = _bounds(figure.qualifier, value, _decimal(figure.value_high))
    if ends is None:
        return None
    low, high, low_open, high_open = ends
    # Decimal arithmetic, one rounding to float at the end: 0.3 kt is exactly 300 t.
    return Interval(float(low * factor), float(high * factor), low_open, high_open)


def _outside(figure: Figure, unit: str, bounds: tuple[float, float]) -> bool:
    """Whether a value the figure states (either of a "between") lies outside the bounds."""
    if bounds == NO_BOUNDS:
        return False
    factor = _conversion(figure.unit, unit)
    stated = [_decimal(figure.value)]
    if figure.qualifier == "between":
        stated.append(_decimal(figure.value_high))
    low, high = bounds
    return any(value is not None and not low <= float(value * factor) <= high for value in stated)


def _stated(figure: Figure) -> str:
    """The figure as a curator typed it, for a message: "more than 100%", "#0"."""
    if figure.unit == "" and figure.qualifier in ("", "exact"):
        return f"#{number(figure.value)}"  # a bare number on a rank question
    return stated_figure(figure.qualifier, figure.value, figure.value_high, figure.unit, "")


def _bounds_text(bounds: tuple[float, float], unit: str) -> str:
    """The bounds in the pages' own words for figures: "0% to 100%", "from #1"."""
    low, high = (
        stated_figure("", end, None, unit, "") if math.isfinite(end) else "" for end in bounds
    )
    if not high:
        return f"from {low}"
    if not low:
        return f"up to {high}"
    return f"{low} to {high}"


def is_sum(unit: str) -> bool:
    """Whether `unit` is a currency's, a sum of money (shown as core.numbers.money writes it)."""
    return UNITS.get(unit, ("",))[0].startswith("money ")


def stated_figure(qualifier, value, value_high, unit, answer):
    """A figure as its source states it, e.g. “about 28.5 Mt”, “#5”, “yes”: the one formatter of
    a stated figure, for a claim, the plain values of a ClaimFigure and the messages here."""
    if answer:
        return _ANSWER_LABELS.get(answer, answer)
    if value is None:
        return ""
    if is_sum(unit):
        sum_ = money(value, unit, value_high if qualifier == "between" else None)
        return f"{QUALIFIER_WORDS.get(qualifier, '')}{sum_}"
    text = number(value)
    if qualifier == "between":
        text = f"{text}–{number(value_high)}"
    shown_unit = "" if unit in ("", "rank") else unit
    separator = "" if shown_unit == "%" else " "
    text = f"{QUALIFIER_WORDS.get(qualifier, '')}{text}{separator}{shown_unit}".strip()
    return f"#{text}" if unit == "rank" and qualifier in ("", "exact") else text


def _relate(a: Interval, b: Interval, limit: float, allowance: float = 0.0) -> Relation:
    """AGREE when the intervals share a point, CLOSE when their gap is within `limit` (a tolerance
    already checked by _tolerance: this runs for every pair of hundreds of claims).

    `allowance` is what the measure may have moved between the two claims' years (drift × Δ):
    a gap within it still agrees, and it widens the tolerance for close.
    Open ends count: (90, inf) and [90, 90] share no point, their gap is 0, so they are CLOSE even
    with a tolerance of 0 (and agree given any allowance). Symmetric in `a` and `b`.
    """
    if _overlap(a, b):
        return Relation.AGREE
    # Only one of the two differences is positive; infinite ends make the other -inf, never NaN.
    gap = max(b.low - a.high, a.low - b.high)
    if allowance and gap <= allowance * (1 + _TOLERANCE_SLACK):
        return Relation.AGREE
    within = (limit + allowance) * (1 + _TOLERANCE_SLACK)
    return Relation.CLOSE if gap <= within else Relation.CONFLICT


def compare_question(
    figures: Sequence[Figure],
    *,
    kind: str,
    unit: str,
    tolerance: float | Decimal = 0,
    drift: float | Decimal = 0,
    bounds: tuple[float, float] = NO_BOUNDS,
    focus: Iterable[str] | None = None,
) -> QuestionComparison:
    """Compare all claims on one question.

    1. Place each claim on the question's scale: an interval, or an answer for yes/no questions
       (`place_figures`).
    2. Relate every pair: not comparable, a series (different years), or agree/close/conflict.
    3. Sum each claim's relations into its standing, and all pairs into the verdict.
    4. Add what the page shows beside it: spread, consensus and origins.

    `focus` names the claims whose standings the caller needs (one page of a question with
    hundreds of claims): only pairs with one of them are related, `standings` and `pairs` hold only
    those, and the verdict comes from the summary (`summarise_placed`), which needs no pairs.
    Everything else is as without it.
    """
    unit = scale_unit(kind, unit)
    return compare_placed(
        place_figures(figures, kind=kind, unit=unit, bounds=bounds),
        kind=kind,
        unit=unit,
        tolerance=tolerance,
        drift=drift,
        bounds=bounds,
        focus=focus,
    )


def compare_placed(
    placed: Sequence["Placed"],
    *,
    kind: str,
    unit: str,
    tolerance: float | Decimal = 0,
    drift: float | Decimal = 0,
    bounds: tuple[float, float] = NO_BOUNDS,
    focus: Iterable[str] | None = None,
    with_details: bool = True,
    verdict: Verdict | None = None,
) -> QuestionComparison:
    """`compare_question` of claims already placed on the question's scale (steps 2-4).

    `with_details=False` leaves `consensus` None and `consistent` empty, for pages that show
    standings only (a source's claims against thousands: the time is in these). `bounds` is
    only reported back (the claims were clipped when placed). With `focus`, a `verdict` the
    caller has already (the stored summary of these same placed claims: summarise_placed's) is
    taken as it is rather than summarised again: a source page judges hundreds of questions.
    """
    unit = scale_unit(kind, unit)
    refs = [claim.ref for claim in placed]
    if len(set(refs)) != len(refs):
        duplicates = sorted(ref for ref, n in Counter(refs).items() if n > 1)
        raise ValueError(f"Claim refs must be unique; repeated: {', '.join(duplicates)}.")
    limit = _tolerance(tolerance)
    per_year = _drift(drift) if kind != "boolean" else None

    superseded = {claim.ref: claim.superseded_by for claim in placed if claim.superseded_by}
    # A superseded claim keeps its interval for the chart but is related to nothing.
    places = {claim.ref: None if claim.ref in superseded else claim.place for claim in placed}
    years = {claim.ref: claim.year for claim in placed}
    origins = _origins(placed)
    origin_of = {ref: origin for origin, members in origins.items() for ref in members}
    placed_by_ref = {claim.ref: claim for claim in placed}

    pairs: dict[tuple[str, str], Relation] = {}
    focused = refs if focus is None else [ref for ref in dict.fromkeys(focus) if ref in places]
    if focus is None:
        for a, b in combinations(refs, 2):
            relation = _pair_relation(places[a], places[b], years[a], years[b], limit, per_year)
            pairs[a, b] = pairs[b, a] = relation
    else:
        for a in focused:
            for b in refs:
                if a != b and (a, b) not in pairs:
                    relation = _pair_relation(
                        places[a], places[b], years[a], years[b], limit, per_year
                    )
                    pairs[a, b] = pairs[b, a] = relation

    comparable = [ref for ref in refs if places[ref] is not None]
    comparable_years = sorted({years[ref] for ref in comparable if years[ref] is not None})
    series = len(comparable_years) > 1
    intervals = {claim.ref: _interval(claim.place) for claim in placed}
    placed_intervals = [iv for ref in comparable if (iv := intervals[ref]) is not None]
    # Asked once per origin, not per claim: a source page runs this for thousands of claims.
    confirming = {origin for origin in origins if independent(origin)}

    return QuestionComparison(
        kind=kind,
        unit=unit,
        tolerance=limit,
        verdict=(
            _verdict(
                (
                    relation
                    # Each pair once: the dict holds it both ways round.
                    for (a, b), relation in pairs.items()
                    if a < b and _counts(relation, origin_of[a], origin_of[b])
                ),
                bool(comparable),
            )
            if focus is None
            else verdict
            if verdict is not None
            else _summary(
                [(places[ref], years[ref], origin_of[ref]) for ref in comparable],
                limit,
                per_year,
                confirming,
            ).verdict
        ),
        standings={
            ref: _standing(ref, refs, placed_by_ref, pairs, origins, origin_of) for ref in focused
        },
        pairs=pairs,
        intervals=intervals,
        spread=_spread(placed_intervals),
        spread_open=(
            any(iv.low == -math.inf for iv in placed_intervals),
            any(iv.high == math.inf for iv in placed_intervals),
        ),
        consensus=(
            _consensus(
                # Unnamed reports support no consensus: only origins that can confirm count.
                [
                    (ref, origin_of[ref], places[ref])
                    for ref in comparable
                    if origin_of[ref] in confirming
                ]
            )
            if with_details and not (series and (per_year is None or per_year > 0))
            else None
        ),
        origins=origins,
        # An origin of one claim is consistent by definition: most origins are, so those are
        # spared the general test.
        consistent=(
            {
                origin: len(members) < 2
                or _consistent([(places[ref], years[ref]) for ref in members], limit, per_year)
                for origin, members in origins.items()
            }
            if with_details
            else {}
        ),
        independent_origins=len({origin_of[ref] for ref in comparable} & confirming),
        series=series,
        years=comparable_years,
        superseded=superseded,
        bounds=bounds,
        drift=per_year or 0.0,
    )


# --- placing claims ---------------------------------------------------------------------------


class Placed(NamedTuple):
    """A claim placed on its question's scale: all that relating it to other claims needs.

    Placing a claim (units, qualifiers, bounds, dates) depends on the claim and on its question's
    kind, unit and bounds, and whether it is superseded on the question's other public claims:
    all of which change a question's summary too, so it can be done once per summary and kept.
    QuestionSummary stores the placed claims of each question (`placed_record`), and a page
    comparing a few claims with the hundreds on their questions reads them instead of placing
    every figure again. A named tuple, as ClaimFigure is: a page builds thousands.
    """

    ref: str
    place: Interval | str | None  # an interval, an answer ("yes"/"no"), or None: not comparable
    year: int | None  # claim_year() of the claim
    origin: str = ""  # as Figure.origin
    year_from: str = ""  # as Standing.year_from
    superseded_by: tuple[str, ...] = ()  # see superseded()


def place_figures(
    figures: Iterable[Figure], *, kind: str, unit: str, bounds: tuple[float, float] = NO_BOUNDS
) -> list[Placed]:
    """Each figure placed on the scale of a question of this kind, unit and bounds, in the same
    order; `figures` are all the claims compared, since a correction supersedes only within them."""
    unit = scale_unit(kind, unit)
    figures = list(figures)
    places = [_place(figure, kind, unit, bounds) for figure in figures]
    replaced = superseded(
        [figure for figure, place in zip(figures, places, strict=True) if place is not None],
        figures,
    )
    placed = []
    for figure, place in zip(figures, places, strict=True):
        year, year_from = claim_year(figure.as_of, figure.cited_published, figure.source_published)
        placed.append(
            Placed(figure.ref, place, year, figure.origin, year_from, replaced.get(figure.ref, ()))
        )
    return placed


def superseded(
    correctors: Sequence[Figure], figures: Sequence[Figure]
) -> dict[str, tuple[str, ...]]:
    """ref -> the refs that correct it, for each of `figures` (the public claims of a question)
    that a `corrects` link of one of `correctors` (those of them that can be compared) takes out
    of the comparison: a corrector of the same known origin. An agency's revised estimate
    replaces its own earlier one; a claim of another origin "correcting" it is a disagreement to
    show, not a replacement, so it changes nothing here (the link is still shown); nor does a
    correction with no figure to put in its place."""
    origin = {figure.ref: figure.origin for figure in figures}
    replaced: dict[str, list[str]] = defaultdict(list)
    for figure in correctors:
        for target in figure.corrects:
            if target != figure.ref and figure.origin and origin.get(target) == figure.origin:
                replaced[target].append(figure.ref)
    return {ref: tuple(by) for ref, by in replaced.items()}


def placed_record(placed: Placed) -> tuple:
    """A Placed as JSON values: (ref, year, origin, place, year_from, superseded_by).

    `place` is None, an answer, or (low, high, low_open, high_open) with None for an infinite end,
    since JSON has no infinity. Floats are written with repr(), so they read back exactly.
    """
    place = placed.place
    if isinstance(place, Interval):
        place = (
            None if place.low == -math.inf else place.low,
            None if place.high == math.inf else place.high,
            place.low_open,
            place.high_open,
        )
    # Tuples, not lists: a tuple of plain values leaves the garbage collector's watch.
    return (placed.ref, placed.year, placed.origin, place, placed.year_from, placed.superseded_by)


def placed_from_record(record: Sequence) -> Placed:
    """The Placed that placed_record() wrote (tuples, or the lists JSON reads them back as)."""
    ref, year, origin, place, year_from, superseded_by = record
    if isinstance(place, (list, tuple)):
        low, high, low_open, high_open = place
        # float(): PostgreSQL's jsonb writes 1e16 back as 10000000000000000, which JSON reads as
        # an int.
        place = Interval(
            -math.inf if low is None else float(low),
            math.inf if high is None else float(high),
            low_open,
            high_open,
        )
    return Placed(ref, place, year, origin, year_from, tuple(superseded_by))


def scale_unit(kind: str, unit: str) -> str:
    """The unit claims are compared in on a question of this kind; refuses an unknown kind."""
    if kind not in KINDS:
        raise ValueError(f"Unknown question kind {kind!r}; expected one of {', '.join(KINDS)}.")
    return "rank" if kind == "rank" and not unit else unit  # a rank needs no unit


def _place(
    figure: Figure, kind: str, unit: str, bounds: tuple[float, float]
) -> Interval | str | None:
    """Where a claim sits on the question's scale: an answer, an interval, or None."""
    if kind == "boolean":
        return figure.answer if figure.answer in ANSWERS else None
    return to_interval(figure, unit, bounds)


def _interval(place: Interval | str | None) -> Interval | None:
    return place if isinstance(place, Interval) else None


def _decimal(value: Decimal | float | None) -> Decimal | None:
    """A finite Decimal, or None. Floats go through repr so 0.3 stays 0.3, not 0.299999...."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):  # as the database gives it: no copy needed
        return value if value.is_finite() else None
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact if exact.is_finite() else None


@cache  # a handful of unit pairs, asked for once per claim compared
def _conversion(claim_unit: str, question_unit: str) -> Decimal | None:
    """The factor from the claim's unit to the question's, or None when they do not convert."""
    if not claim_unit and question_unit == "rank":
        claim_unit = "rank"
    if claim_unit not in UNITS or question_unit not in UNITS:
        return None
    claim_dimension, claim_factor = UNITS[claim_unit]
    question_dimension, question_factor = UNITS[question_unit]
    if claim_dimension != question_dimension:
        return None
    return Decimal(claim_factor) / Decimal(question_factor)


def _bounds(
    qualifier: str, value: Decimal, value_high: Decimal | None
) -> tuple[Decimal, Decimal, bool, bool] | None:
    """(low, high, low_open, high_open) of a qualified value, in the claim's own unit."""
    band = _BAND
    match qualifier or "exact":
        case "exact":
            return value, value, False, False
        case "about":
            low, high = sorted((value * (1 - band), value * (1 + band)))
            return low, high, False, False
        case "nearly":
            # Just short of the value; sorted so a negative value still gives low <= high.
            low, high = sorted((value * (1 - band), value))
            return low, high, False, False
        case "more_than":
            return value, _INFINITY, True, False
        case "at_least":
            return value, _INFINITY, False, False
        case "less_than":
            return -_INFINITY, value, False, True
        case "at_most":
            return -_INFINITY, value, False, False
        case "between":
            if value_high is None or value_high < value:
                return None  # a range written backwards is a data error, not a claim to compare
            return value, value_high, False, False
    return None


def _drift(drift: float | Decimal) -> float:
    per_year = float(drift)
    if math.isnan(per_year) or per_year < 0:
        raise ValueError(f"A drift must be a number >= 0, not {drift!r}.")
    return per_year


def _tolerance(tolerance: float | Decimal) -> float:
    limit = float(tolerance)
    if math.isnan(limit) or limit < 0:
        raise ValueError(f"A tolerance must be a number >= 0, not {tolerance!r}.")
    return limit


# --- relating claims --------------------------------------------------------------------------


def _overlap(a: Interval, b: Interval) -> bool:
    return not (_before(a, b) or _before(b, a))


def _before(lower: Interval, upper: Interval) -> bool:
    """True when `lower` ends before `upper` starts; touching ends meet only if both are closed.

    Equal ends are always finite here (a low cannot be +inf), so flags on infinite ends never count.
    """
    if lower.high != upper.low:
        return lower.high < upper.low
    return lower.high_open or upper.low_open


def _pair_relation(
    place_a: Interval | str | None,
    place_b: Interval | str | None,
    year_a: int | None,
    year_b: int | None,
    tolerance: float,
    drift: float | None,
) -> Relation:
    """How two placed claims stand; `drift` is the question's per year, None for yes/no."""
    if place_a is None or place_b is None:
        return Relation.NOT_COMPARABLE
    # An undated claim compares with every other, as if of the same year.
    apart = abs(year_a - year_b) if year_a is not None and year_b is not None else 0
    if drift is None:
        # An answer may change: "not yet" in 2024 and "yes" in 2025 is news, not a contradiction.
        if apart:
            return Relation.SERIES
        return Relation.AGREE if place_a == place_b else Relation.CONFLICT
    return _relate(place_a, place_b, tolerance, drift * apart)


def confirms(origin_a: str, origin_b: str) -> bool:
    """Whether agreement between claims of these origins confirms anything."""
    return origin_a != origin_b and independent(origin_a) and independent(origin_b)


def _counts(relation: Relation, origin_a: str, origin_b: str) -> bool:
    """Whether a pair's relation counts toward a verdict: every difference does, agreement only
    between independent origins."""
    return relation != Relation.AGREE or confirms(origin_a, origin_b)


def _consistent(
    places: list[tuple[Interval | str | None, int | None]], limit: float, drift: float | None
) -> bool:
    """Whether all comparable claims of one origin agree with each other (allowing the drift
    between years; answers year by year)."""
    placed = [(place, year) for place, year in places if place is not None]
    # Answers of different years are never compared (None): a changed answer is news, not a
    # misquote.
    return len(placed) < 2 or _worst(placed, limit, drift) in (None, Relation.AGREE)


def _verdict(relations: Iterable[Relation], any_comparable: bool) -> Verdict:
    """The worst of agree/close/conflict; SINGLE or NOT_COMPARABLE when there is none."""
    compared = [relation for relation in relations if relation in _SEVERITY]
    if compared:
        return Verdict(max(compared, key=_SEVERITY.__getitem__))
    return Verdict.SINGLE if any_comparable else Verdict.NOT_COMPARABLE


def _standing(
    ref: str,
    refs: list[str],
    placed_by_ref: dict[str, "Placed"],
    pairs: dict[tuple[str, str], Relation],
    origins: dict[str, list[str]],
    origin_of: dict[str, str],
) -> Standing:
    # One pass over the others, grouped by relation (the standing of each of hundreds of claims).
    grouped: dict[Relation, list[str]] = {relation: [] for relation in Relation}
    for other in refs:
        if other != ref:
            grouped[pairs[ref, other]].append(other)
    by_relation = {relation: tuple(members) for relation, members in grouped.items()}
    origin = origin_of[ref]
    agreeing_origins = {
        origin_of[other]
        for other in by_relation[Relation.AGREE]
        if confirms(origin, origin_of[other])
    }
    # Agreeing with its own echoes only, or with unnamed reports, leaves a claim unconfirmed.
    counted = [
        relation
        for relation, members in grouped.items()
        if members and (relation != Relation.AGREE or agreeing_origins)
    ]
    claim = placed_by_ref[ref]
    if claim.superseded_by:
        relation = Verdict.SUPERSEDED
    elif claim.place is None:
        relation = Verdict.NOT_COMPARABLE
    else:
        relation = _verdict(counted, True)
    return Standing(
        ref=ref,
        relation=relation,
        interval=_interval(claim.place),
        origin=origin,
        year=claim.year,
        year_from=claim.year_from,
        agrees=len(by_relation[Relation.AGREE]),
        close=len(by_relation[Relation.CLOSE]),
        conflicts=len(by_relation[Relation.CONFLICT]),
        agrees_with=by_relation[Relation.AGREE],
        close_to=by_relation[Relation.CLOSE],
        conflicts_with=by_relation[Relation.CONFLICT],
        echoes=tuple(other for other in origins[origin] if other != ref),
        independent_agrees=len(agreeing_origins),
        superseded_by=claim.superseded_by,
    )


# --- what the page shows beside the verdict ---------------------------------------------------


def _origins(claims: Sequence[Figure | Placed]) -> dict[str, list[str]]:
    """Origin key -> refs."""
    origins: dict[str, list[str]] = defaultdict(list)
    for claim in claims:
        origins[_origin(claim)].append(claim.ref)
    return dict(origins)


def _origin(claim: Figure | Placed) -> str:
    """A claim with no known origin is its own ("claim:<ref>"), so it never collides with an
    actor or source key and never passes for an echo."""
    return claim.origin or f"claim:{claim.ref}"


def _spread(intervals: list[Interval]) -> tuple[float, float] | None:
    ends = [end for iv in intervals for end in (iv.low, iv.high) if math.isfinite(end)]
    return (min(ends), max(ends)) if ends else None


def _consensus(placed: list[tuple[str, str, Interval | str]]) -> Consensus | None:
    """Consensus of (ref, origin, place) triples: answers for yes/no, intervals for numbers."""
    if not placed:
        return None
    if isinstance(placed[0][2], str):
        return _answer_consensus(placed)
    return _interval_consensus(placed)


def _answer_consensus(placed: list[tuple[str, str, str]]) -> Consensus | None:
    origins_by_answer: dict[str, set[str]] = defaultdict(set)
    for _, origin, answer in placed:
        origins_by_answer[answer].add(origin)
    most = max(len(origins) for origins in origins_by_answer.values())
    winners = [answer for answer, origins in origins_by_answer.items() if len(origins) == most]
    if len(winners) != 1:
        return None
    refs = tuple(ref for ref, _, answer in placed if answer == winners[0])
    return Consensus(origins=most, refs=refs, answer=winners[0])


def _interval_consensus(placed: list[tuple[str, str, Interval]]) -> Consensus | None:
    """The range covered by the most independent origins, found with a sweep line.

    1. Cut the line at every finite end into elementary pieces: the open gaps between cuts and the
       cut points themselves, so open and closed ends are exact.
    2. Sweep the pieces left to right, counting for each origin how many of its claims cover the
       piece; an origin counts once however many echoes it has.
    3. Group consecutive pieces covered by the same set of origins.
    4. The consensus is the group with the most origins, if exactly one group has that many.
    """
    cuts = sorted({end for _, _, iv in placed for end in (iv.low, iv.high) if math.isfinite(end)})
    pieces = _pieces(cuts)
    position = {cut: index for index, cut in enumerate(cuts)}
    starting: dict[int, list[str]] = defaultdict(list)
    ending: dict[int, list[str]] = defaultdict(list)
    for _, origin, iv in placed:
        starting[_first_piece(iv, position)].append(origin)
        ending[_last_piece(iv, position, len(cuts))].append(origin)

    # Only the number of covering origins is kept while sweeping, and a new group starts where an
    # origin's coverage changes from one piece to the next: time linear in the claims and pieces,
    # not pieces × origins, for questions with hundreds of claims.
    active: Counter[str] = Counter()
    covering = 0  # origins with at least one claim covering the current piece
    groups: list[list[int]] = []  # [origins covering, first piece, last piece]
    for index in range(len(pieces)):
        touched = ending[index - 1] + starting[index] if index else starting[index]
        before = {origin: active[origin] > 0 for origin in touched}
        for origin in ending[index - 1] if index else ():
            active[origin] -= 1
            covering -= active[origin] == 0
        for origin in starting[index]:
            active[origin] += 1
            covering += active[origin] == 1
        if not groups or any((active[origin] > 0) != was for origin, was in before.items()):
            groups.append([covering, index, index])
        else:
            groups[-1][2] = index
    most = max(count for count, _, _ in groups)
    winners = [group for group in groups if group[0] == most]
    if len(winners) != 1:
        return None
    _, first, last = winners[0]
    origins = {
        origin
        for _, origin, iv in placed
        if _first_piece(iv, position) <= first <= _last_piece(iv, position, len(cuts))
    }
    start, end = pieces[first], pieces[last]
    interval = Interval(start.low, end.high, start.low_open, end.high_open)
    refs = tuple(ref for ref, origin, iv in placed if origin in origins and _overlap(iv, interval))
    return Consensus(origins=most, refs=refs, interval=interval)


def _pieces(cuts: list[float]) -> list[Interval]:
    """Gap below cut 0, cut 0, gap, cut 1, ..., cut n-1, gap above it: piece 2k+1 is cut k."""
    bounds = [-math.inf, *cuts, math.inf]
    pieces = []
    for k, cut in enumerate(cuts):
        pieces.append(_gap(bounds[k], cut))
        pieces.append(Interval(cut, cut))
    pieces.append(_gap(bounds[-2], math.inf))
    return pieces


def _gap(low: float, high: float) -> Interval:
    return Interval(low, high, math.isfinite(low), math.isfinite(high))


def _first_piece(iv: Interval, position: dict[float, int]) -> int:
    if iv.low == -math.inf:
        return 0
    point = 2 * position[iv.low] + 1
    return point + 1 if iv.low_open else point


def _last_piece(iv: Interval, position: dict[float, int], n_cuts: int) -> int:
    if iv.high == math.inf:
        return 2 * n_cuts
    point = 2 * position[iv.high] + 1
    return point - 1 if iv.high_open else point


# --- a question's summary without comparing every pair ----------------------------------------


@dataclass(frozen=True)
class Summary:
    """What a list of questions shows: `compare_question`'s verdict, spread, series and origins.

    The same values as the QuestionComparison's fields of those names (a property test holds the
    two to it), found in time linear in the number of claims instead of quadratic, so the home page
    can summarise every question of a large database.
    """

    verdict: Verdict
    series: bool
    spread: tuple[float, float] | None
    spread_open: tuple[bool, bool]
    independent_origins: int


def summarise_placed(
    placed: Iterable[Placed], *, tolerance: float | Decimal = 0, drift: float | Decimal | None = 0
) -> Summary:
    """Summarise one question from its claims placed on its scale (`place_figures`); see `Summary`.

    1. Only placed claims count, and no superseded one.
    2. Numbers compare across years allowing the drift, and undated claims with every year;
       answers compare within a year, and undated ones with every year. `drift` None means
       answers (a yes/no question): the placed values say so too, this only spares a look.
    3. The worst relation needs no pairs (`_worst`): claims are grouped by year, and within a
       group and between two groups the worst pair is among the two that end first and the two
       that start last, so the time is linear in the claims (and quadratic in the years only).
    """
    triples = [
        (claim.place, claim.year, _origin(claim))
        for claim in placed
        if claim.place is not None and not claim.superseded_by
    ]
    per_year = None if drift is None else _drift(drift)
    if triples and isinstance(triples[0][0], str):
        per_year = None
    confirming = {origin for _, _, origin in triples if independent(origin)}
    return _summary(triples, _tolerance(tolerance), per_year, confirming)


def _summary(
    placed: list[tuple[Interval | str, int | None, str]],
    limit: float,
    drift: float | None,
    confirming: set[str],
) -> Summary:
    """The Summary of placed claims, as (place, year, origin) triples; `confirming` holds (at
    least) their origins that can confirm another (`independent`)."""
    worst = []
    if placed and isinstance(placed[0][0], str):
        for group in _year_groups([((place, origin), year) for place, year, origin in placed]):
            if len(group) > 1:
                relation = _worst_relation([place for place, _ in group], limit)
                # When all agree, the group agrees if two independent origins are in it.
                independents = {origin for _, origin in group} & confirming
                if relation != Relation.AGREE or len(independents) > 1:
                    worst.append(relation)
    elif len(placed) > 1:
        # Every two numbers are compared: when all agree, two independent origins make it so.
        relation = _worst([(place, year) for place, year, _ in placed], limit, drift or 0.0)
        independents = {origin for _, _, origin in placed} & confirming
        if relation is not None and (relation != Relation.AGREE or len(independents) > 1):
            worst.append(relation)
    intervals = [place for place, _, _ in placed if isinstance(place, Interval)]
    return Summary(
        verdict=_verdict(worst, bool(placed)),
        series=len({year for _, year, _ in placed if year is not None}) > 1,
        spread=_spread(intervals),
        spread_open=(
            any(iv.low == -math.inf for iv in intervals),
            any(iv.high == math.inf for iv in intervals),
        ),
        independent_origins=len({origin for _, _, origin in placed} & confirming),
    )


def _worst(
    placed: list[tuple[Interval | str, int | None]], limit: float, drift: float | None
) -> Relation | None:
    """The worst relation among all compared pairs of (place, year) items; None when no pair is
    compared. `drift` None: answers, compared within a year (and undated with all).

    Numbers: within each year, and between each two years, where the widest gap is between the
    claim that ends first in one year and the one that starts last in the other. Those two are
    found once per year, so a question whose claims span decades costs years² steps of constant
    time on top of one pass over the claims (a source page judges hundreds such questions).
    """
    if drift is None:
        found = [_worst_relation(group, limit) for group in _year_groups(placed) if len(group) > 1]
        return max(found, key=_SEVERITY.__getitem__) if found else None
    by_year: dict[int | None, list[Interval]] = defaultdict(list)
    for place, year in placed:
        by_year[year].append(place)
    worst = None
    years = []  # (year, the interval that ends first, the one that starts last)
    for year, group in by_year.items():
        if len(group) > 1:
            worst = _worse(worst, _worst_relation(group, limit))
        ends, starts = _end_keys(group), _start_keys(group)
        years.append(
            (
                year,
                group[min(range(len(group)), key=ends.__getitem__)],
                group[max(range(len(group)), key=starts.__getitem__)],
            )
        )
    for (year_a, ends_a, starts_a), (year_b, ends_b, starts_b) in combinations(years, 2):
        if worst == Relation.CONFLICT:
            break  # nothing is worse
        apart = abs(year_a - year_b) if year_a is not None and year_b is not None else 0
        for lower, upper in ((ends_a, starts_b), (ends_b, starts_a)):
            relation = (
                _relate(lower, upper, limit, drift * apart)
                if _before(lower, upper)
                else Relation.AGREE
            )
            worst = _worse(worst, relation)
    return worst


def _worse(worst: Relation | None, relation: Relation) -> Relation:
    return relation if worst is None or _SEVERITY[relation] > _SEVERITY[worst] else worst


def _year_groups(items: list[tuple[object, int | None]]) -> list[list]:
    """The items (of (item, year) pairs) that compare with each other: each year's with the
    undated ones, or the undated ones alone when none has a year."""
    undated = [item for item, year in items if year is None]
    by_year: dict[int, list] = defaultdict(list)
    for item, year in items:
        if year is not None:
            by_year[year].append(item)
    return [dated + undated for dated in by_year.values()] or [undated]


def _worst_relation(places: list, limit: float) -> Relation:
    """The worst relation among all pairs of `places` (two or more), found without the pairs."""
    if isinstance(places[0], str):
        return Relation.AGREE if len(set(places)) == 1 else Relation.CONFLICT
    # The two intervals that end first (an open end first on a tie) and the two that start last:
    # if any pair fails to overlap, the pair of one of each does; two in case both are one claim.
    ends, starts = _end_keys(places), _start_keys(places)
    first_ends = heapq.nsmallest(2, range(len(places)), key=ends.__getitem__)
    last_starts = heapq.nlargest(2, range(len(places)), key=starts.__getitem__)
    candidates = [(places[a], places[b]) for a in first_ends for b in last_starts if a != b]
    worst = Relation.AGREE
    for lower, upper in candidates:
        if _before(lower, upper):
            relation = _relate(lower, upper, limit)
            if _SEVERITY[relation] > _SEVERITY[worst]:
                worst = relation
    return worst


# Sort keys of intervals, built once per list: the ones that end first (an open end before a
# closed one at the same value) and start last. Read through list.__getitem__ rather than a
# lambda per item, which was half the time of a source page's comparisons.
def _end_keys(places: list[Interval]) -> list[tuple[float, bool]]:
    return [(iv.high, not iv.high_open) for iv in places]


def _start_keys(places: list[Interval]) -> list[tuple[float, bool]]:
    return [(iv.low, iv.low_open) for iv in places]
