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
- Claims whose as-of years differ form a series; they are never compared with each other.
- Claims of one origin are echoes: their agreement confirms nothing, so `agree` needs two
  independent origins; echoes that differ are still close or a conflict, since a misquote or a
  revision is what a reader must see.
"""

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

from core.numbers import number


class Relation(StrEnum):
    """How two claims stand against each other."""

    AGREE = "agree"
    CLOSE = "close"
    CONFLICT = "conflict"
    # Different as-of years: a time series, not a contradiction.
    SERIES = "series"
    # Either claim has no place on the question's scale (no value, other dimension, no answer ...).
    NOT_COMPARABLE = "not comparable"


class Verdict(StrEnum):
    """A question's overall outcome, and also a single claim's standing against the others.

    SINGLE means "nothing confirms it": one origin however many sources repeat it, or only claims
    from other years.
    """

    AGREE = "agree"
    CLOSE = "close"
    CONFLICT = "conflict"
    SINGLE = "single"
    NOT_COMPARABLE = "not comparable"


# Worst first: the order the home page lists questions in.
VERDICT_ORDER = {
    Verdict.CONFLICT: 0,
    Verdict.CLOSE: 1,
    Verdict.AGREE: 2,
    Verdict.SINGLE: 3,
    Verdict.NOT_COMPARABLE: 4,
}

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
    origin: str = ""  # see origin_key(); "" means the claim is its own origin


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
    - `consensus`: see `Consensus`; None when claims form a series, or when two different ranges
      (answers) tie for the most origins: there is then no single consensus to show.
    - `origins`: origin key -> refs, for all claims; `independent_origins` counts the origins of
      comparable claims only, since a claim that cannot be compared confirms nothing, and never
      unnamed reports. `consistent`: origin key -> whether all its comparable claims agree.
    - `series`: True when comparable claims have different as-of years; `years` lists those years.
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
        return Origin(f"{UNATTRIBUTED}:{ref}", UNATTRIBUTED_LABEL)
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
    return not origin.startswith(f"{UNATTRIBUTED}:")


def as_of_year(as_of: str) -> int | None:
    """The year of a partial date ("2025", "2025-11", "2025-11-04"); None when blank or malformed.

    A malformed date is treated like a missing one (it compares with every year): the models
    validate dates, and this module must not crash a page on one bad row.
    """
    match = _AS_OF.fullmatch(as_of.strip())
    return int(match.group(1)) if match else None


def to_interval(figure: Figure, unit: str) -> Interval | None:
    """The figure as an interval in the question's `unit`; None when it cannot be compared.

    None (never a guess) when: the figure has no finite value, its qualifier is unknown, "between"
    lacks a valid upper value, either unit is unknown, or the units measure different things
    (% vs t). A blank claim unit is not read as the question's unit, since "3,000" could be tonnes
    or a count; the one exception is a rank question, where a bare number can only be a rank.
    """
    factor = _conversion(figure.unit, unit)
    value = _decimal(figure.value)
    if factor is None or value is None:
        return None
    bounds = _bounds(figure.qualifier, value, _decimal(figure.value_high))
    if bounds is None:
        return None
    low, high, low_open, high_open = bounds
    # Decimal arithmetic, one rounding to float at the end: 0.3 kt is exactly 300 t.
    return Interval(float(low * factor), float(high * factor), low_open, high_open)


def _relate(a: Interval, b: Interval, limit: float) -> Relation:
    """AGREE when the intervals share a point, CLOSE when their gap is within `limit` (a tolerance
    already checked by _tolerance: this runs for every pair of hundreds of claims).

    Open ends count: (90, inf) and [90, 90] share no point, their gap is 0, so they are CLOSE even
    with a tolerance of 0. Symmetric in `a` and `b`.
    """
    if _overlap(a, b):
        return Relation.AGREE
    # Only one of the two differences is positive; infinite ends make the other -inf, never NaN.
    gap = max(b.low - a.high, a.low - b.high)
    return Relation.CLOSE if gap <= limit * (1 + _TOLERANCE_SLACK) else Relation.CONFLICT


def compare_question(
    figures: Sequence[Figure],
    *,
    kind: str,
    unit: str,
    tolerance: float | Decimal = 0,
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
        place_figures(figures, kind=kind, unit=unit),
        kind=kind,
        unit=unit,
        tolerance=tolerance,
        focus=focus,
    )


def compare_placed(
    placed: Sequence["Placed"],
    *,
    kind: str,
    unit: str,
    tolerance: float | Decimal = 0,
    focus: Iterable[str] | None = None,
    with_consensus: bool = True,
) -> QuestionComparison:
    """`compare_question` of claims already placed on the question's scale (steps 2-4).

    `with_consensus=False` leaves `consensus` None, for pages that do not show it.
    """
    unit = scale_unit(kind, unit)
    refs = [claim.ref for claim in placed]
    if len(set(refs)) != len(refs):
        duplicates = sorted(ref for ref, n in Counter(refs).items() if n > 1)
        raise ValueError(f"Claim refs must be unique; repeated: {', '.join(duplicates)}.")
    limit = _tolerance(tolerance)

    places = {claim.ref: claim.place for claim in placed}
    years = {claim.ref: claim.year for claim in placed}
    origins = _origins(placed)
    origin_of = {ref: origin for origin, members in origins.items() for ref in members}

    pairs: dict[tuple[str, str], Relation] = {}
    focused = refs if focus is None else [ref for ref in dict.fromkeys(focus) if ref in places]
    if focus is None:
        for a, b in combinations(refs, 2):
            relation = _pair_relation(places[a], places[b], years[a], years[b], limit)
            pairs[a, b] = pairs[b, a] = relation
    else:
        for a in focused:
            for b in refs:
                if a != b and (a, b) not in pairs:
                    relation = _pair_relation(places[a], places[b], years[a], years[b], limit)
                    pairs[a, b] = pairs[b, a] = relation

    comparable = [ref for ref in refs if places[ref] is not None]
    comparable_years = sorted({years[ref] for ref in comparable if years[ref] is not None})
    series = len(comparable_years) > 1
    intervals = {ref: _interval(place) for ref, place in places.items()}
    placed_intervals = [iv for iv in intervals.values() if iv is not None]
    # Unnamed reports support no consensus: only origins that can confirm one another count.
    triples = [
        (ref, origin_of[ref], places[ref]) for ref in comparable if independent(origin_of[ref])
    ]

    return QuestionComparison(
        kind=kind,
        unit=unit,
        tolerance=limit,
        verdict=(
            _verdict(
                (
                    relation
                    for (a, b), relation in pairs.items()
                    if _counts(relation, origin_of[a], origin_of[b])
                ),
                bool(comparable),
            )
            if focus is None
            else _summary(
                [(places[ref], years[ref], origin_of[ref]) for ref in comparable], limit
            ).verdict
        ),
        standings={
            ref: _standing(ref, refs, places, pairs, origins, origin_of, years) for ref in focused
        },
        pairs=pairs,
        intervals=intervals,
        spread=_spread(placed_intervals),
        spread_open=(
            any(iv.low == -math.inf for iv in placed_intervals),
            any(iv.high == math.inf for iv in placed_intervals),
        ),
        consensus=None if series or not with_consensus else _consensus(triples),
        origins=origins,
        # An origin of one claim is consistent by definition: most origins are, and a source page
        # compares its few claims with thousands, so those are spared the general test.
        consistent={
            origin: len(members) < 2
            or _consistent([(places[ref], years[ref]) for ref in members], limit)
            for origin, members in origins.items()
        },
        independent_origins=len(
            {origin_of[ref] for ref in comparable if independent(origin_of[ref])}
        ),
        series=series,
        years=comparable_years,
    )


# --- placing claims ---------------------------------------------------------------------------


class Placed(NamedTuple):
    """A claim placed on its question's scale: all that relating it to other claims needs.

    Placing a claim (units, qualifiers, dates) depends on the claim and on its question's kind and
    unit only, never on the other claims, so it can be done once and kept: QuestionSummary stores
    the placed claims of each question (`placed_record`), and a page comparing a few claims with
    the hundreds on their questions reads them instead of placing every figure again. A named
    tuple, as ClaimFigure is: a page builds thousands.
    """

    ref: str
    place: Interval | str | None  # an interval, an answer ("yes"/"no"), or None: not comparable
    year: int | None  # as_of_year() of the claim's as-of date
    origin: str = ""  # as Figure.origin


def place_figures(figures: Iterable[Figure], *, kind: str, unit: str) -> list[Placed]:
    """Each figure placed on the scale of a question of this kind and unit, in the same order."""
    unit = scale_unit(kind, unit)
    return [
        Placed(figure.ref, _place(figure, kind, unit), as_of_year(figure.as_of), figure.origin)
        for figure in figures
    ]


def placed_record(placed: Placed) -> tuple:
    """A Placed as JSON values: (ref, year, origin, place).

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
    return (placed.ref, placed.year, placed.origin, place)


def placed_from_record(record: Sequence) -> Placed:
    """The Placed that placed_record() wrote (tuples, or the lists JSON reads them back as)."""
    ref, year, origin, place = record
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
    return Placed(ref, place, year, origin)


def scale_unit(kind: str, unit: str) -> str:
    """The unit claims are compared in on a question of this kind; refuses an unknown kind."""
    if kind not in KINDS:
        raise ValueError(f"Unknown question kind {kind!r}; expected one of {', '.join(KINDS)}.")
    return "rank" if kind == "rank" and not unit else unit  # a rank needs no unit


def _place(figure: Figure, kind: str, unit: str) -> Interval | str | None:
    """Where a claim sits on the question's scale: an answer, an interval, or None."""
    if kind == "boolean":
        return figure.answer if figure.answer in ANSWERS else None
    return to_interval(figure, unit)


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
) -> Relation:
    if place_a is None or place_b is None:
        return Relation.NOT_COMPARABLE
    # A 2025 figure and a 2030 target are two points in time; an undated claim compares with all.
    if year_a is not None and year_b is not None and year_a != year_b:
        return Relation.SERIES
    if isinstance(place_a, Interval) and isinstance(place_b, Interval):
        return _relate(place_a, place_b, tolerance)
    return Relation.AGREE if place_a == place_b else Relation.CONFLICT


def confirms(origin_a: str, origin_b: str) -> bool:
    """Whether agreement between claims of these origins confirms anything."""
    return origin_a != origin_b and independent(origin_a) and independent(origin_b)


def _counts(relation: Relation, origin_a: str, origin_b: str) -> bool:
    """Whether a pair's relation counts toward a verdict: every difference does, agreement only
    between independent origins."""
    return relation != Relation.AGREE or confirms(origin_a, origin_b)


def _consistent(places: list[tuple[Interval | str | None, int | None]], limit: float) -> bool:
    """Whether all comparable claims of one origin agree with each other, year by year."""
    placed = [(place, year) for place, year in places if place is not None]
    return all(
        _worst_relation(group, limit) == Relation.AGREE
        for group in _year_groups(placed)
        if len(group) > 1
    )


def _verdict(relations: Iterable[Relation], any_comparable: bool) -> Verdict:
    """The worst of agree/close/conflict; SINGLE or NOT_COMPARABLE when there is none."""
    compared = [relation for relation in relations if relation in _SEVERITY]
    if compared:
        return Verdict(max(compared, key=_SEVERITY.__getitem__))
    return Verdict.SINGLE if any_comparable else Verdict.NOT_COMPARABLE


def _standing(
    ref: str,
    refs: list[str],
    places: dict[str, Interval | str | None],
    pairs: dict[tuple[str, str], Relation],
    origins: dict[str, list[str]],
    origin_of: dict[str, str],
    years: dict[str, int | None],
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
    return Standing(
        ref=ref,
        relation=(_verdict(counted, True) if places[ref] is not None else Verdict.NOT_COMPARABLE),
        interval=_interval(places[ref]),
        origin=origin,
        year=years[ref],
        agrees=len(by_relation[Relation.AGREE]),
        close=len(by_relation[Relation.CLOSE]),
        conflicts=len(by_relation[Relation.CONFLICT]),
        agrees_with=by_relation[Relation.AGREE],
        close_to=by_relation[Relation.CLOSE],
        conflicts_with=by_relation[Relation.CONFLICT],
        echoes=tuple(other for other in origins[origin] if other != ref),
        independent_agrees=len(agreeing_origins),
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


def summarise_placed(placed: Iterable[Placed], *, tolerance: float | Decimal = 0) -> Summary:
    """Summarise one question from its claims placed on its scale (`place_figures`); see `Summary`.

    1. Only placed claims count.
    2. Claims compare within a year, and undated claims with every year: for each year the worst
       relation is found among that year's claims plus the undated ones (or among the undated ones
       alone when no claim has a year).
    3. Within such a set the worst relation needs no pairs (`_worst_relation`): an answer conflicts
       when two answers differ; intervals fail to overlap when the one that ends first ends before
       the one that starts last, and conflict when that gap is over the tolerance.
    """
    triples = [
        (claim.place, claim.year, _origin(claim)) for claim in placed if claim.place is not None
    ]
    return _summary(triples, _tolerance(tolerance))


def _summary(placed: list[tuple[Interval | str, int | None, str]], limit: float) -> Summary:
    """The Summary of placed claims, as (place, year, origin) triples."""
    worst = []
    for group in _year_groups([((place, origin), year) for place, year, origin in placed]):
        if len(group) > 1:
            relation = _worst_relation([place for place, _ in group], limit)
            # When every pair overlaps, the group agrees if two independent origins are in it.
            independents = {origin for _, origin in group if independent(origin)}
            if relation != Relation.AGREE or len(independents) > 1:
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
        independent_origins=len({origin for _, _, origin in placed if independent(origin)}),
    )


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
    first_ends = sorted(range(len(places)), key=lambda i: (places[i].high, not places[i].high_open))
    last_starts = sorted(range(len(places)), key=lambda i: (places[i].low, places[i].low_open))
    candidates = [
        (places[a], places[b]) for a in first_ends[:2] for b in last_starts[-2:] if a != b
    ]
    worst = Relation.AGREE
    for lower, upper in candidates:
        if _before(lower, upper):
            relation = _relate(lower, upper, limit)
            if _SEVERITY[relation] > _SEVERITY[worst]:
                worst = relation
    return worst
