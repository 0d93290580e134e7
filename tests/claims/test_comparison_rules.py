"""The comparison rules of issue 12, with plain values: natural bounds and clipping, time and
drift, echoes and unnamed reports, corrections; and the properties that hold them together.

tests/claims/test_comparison.py has the worked examples of DESIGN.md and the older rules.
"""

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.comparison import (
    NO_BOUNDS,
    QUALIFIERS,
    YEAR_FROM,
    Consensus,
    Figure,
    Interval,
    Relation,
    Verdict,
    bounds_problem,
    claim_year,
    clip,
    compare_placed,
    compare_question,
    confirms,
    figure_problems,
    independent,
    origin_of,
    place_figures,
    scale_bounds,
    summarise_placed,
    superseded,
    to_interval,
)
from tests.claims.test_comparison import intervals  # the same random intervals
from tests.conftest import examples

INF = math.inf
SHARE = scale_bounds("quantity", Decimal(0), Decimal(100))  # a share of a whole: 0-100 %
RANK = scale_bounds("rank")  # a rank starts at 1


def pct(ref, value, qualifier="", value_high=None, **fields):
    """A percent figure, its values as decimals (as the database gives them)."""
    high = None if value_high is None else Decimal(str(value_high))
    return Figure(ref, qualifier, Decimal(str(value)), high, "%", **fields)


def rank(ref, value, qualifier="", **fields):
    """A bare number on a rank question: "fifth-largest" is 5."""
    return Figure(ref=ref, qualifier=qualifier, value=Decimal(str(value)), **fields)


def compare_share(*figures, tolerance=0, drift=0, bounds=SHARE):
    return compare_question(
        figures, kind="quantity", unit="%", tolerance=tolerance, drift=drift, bounds=bounds
    )


def compare_answers(*figures):
    return compare_question(figures, kind="boolean", unit="")


def problem(figure, *, kind="quantity", unit="%", bounds=SHARE):
    return bounds_problem(figure, kind=kind, unit=unit, bounds=bounds)


def answer(ref, said, **fields):
    return Figure(ref=ref, answer=said, **fields)


# --- the bounds of a scale --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "lower", "upper", "expected"),
    [
        ("quantity", None, None, (-INF, INF)),
        ("quantity", Decimal(0), Decimal(100), (0, 100)),
        ("quantity", Decimal(0), None, (0, INF)),
        ("quantity", None, Decimal("5.5"), (-INF, 5.5)),
        ("quantity", Decimal(-10), Decimal(0), (-10, 0)),
        # A rank starts at 1 whatever is stored, and a higher stored start is kept.
        ("rank", None, None, (1, INF)),
        ("rank", Decimal(0), Decimal(10), (1, 10)),
        ("rank", Decimal(-5), None, (1, INF)),
        ("rank", Decimal(3), None, (3, INF)),
        # Yes/no answers have no scale, so no bounds, whatever is stored.
        ("boolean", None, None, (-INF, INF)),
        ("boolean", Decimal(0), Decimal(100), (-INF, INF)),
    ],
)
def test_it_gives_a_scales_bounds_as_floats(kind, lower, upper, expected):
    bounds = scale_bounds(kind, lower, upper)

    assert bounds == expected
    assert all(type(end) is float for end in bounds)


def test_it_has_no_bounds_by_default():
    assert NO_BOUNDS == (-INF, INF)
    assert to_interval(pct("c", 120), "%") == Interval(120, 120)
    assert problem(pct("c", 120), bounds=NO_BOUNDS) is None


# --- clipping each qualifier ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "value", "value_high", "expected"),
    [
        ("", 50, None, Interval(50, 50)),
        ("exact", 0, None, Interval(0, 0)),
        ("exact", 100, None, Interval(100, 100)),
        # The example: [93.1, 102.9] ends at 100.
        ("about", 98, None, Interval(93.1, 100)),
        ("about", 100, None, Interval(95, 100)),
        ("about", 50, None, Interval(47.5, 52.5)),  # within the bounds: untouched
        ("about", 2, None, Interval(1.9, 2.1)),
        ("about", 0, None, Interval(0, 0)),
        ("nearly", 100, None, Interval(95, 100)),
        ("nearly", 3, None, Interval(2.85, 3)),
        # The example: a finite interval, closed at the bound the share can reach.
        ("more_than", 98, None, Interval(98, 100, low_open=True)),
        ("more_than", 0, None, Interval(0, 100, low_open=True)),
        ("at_least", 98, None, Interval(98, 100)),
        ("at_least", 100, None, Interval(100, 100)),
        ("less_than", 5, None, Interval(0, 5, high_open=True)),
        ("less_than", 100, None, Interval(0, 100, high_open=True)),
        ("at_most", 5, None, Interval(0, 5)),
        ("at_most", 0, None, Interval(0, 0)),
        ("between", 90, 100, Interval(90, 100)),
        ("between", 0, 100, Interval(0, 100)),
        # The upper value is read only for "between": 120 here is no reason to refuse.
        ("about", 70, 120, Interval(66.5, 73.5)),
    ],
)
def test_it_clips_each_qualifier_to_a_share(qualifier, value, value_high, expected):
    figure = pct("c", value, qualifier, value_high=value_high)

    interval = to_interval(figure, "%", SHARE)

    assert interval == expected
    # On a scale bounded both ways no end runs off to infinity.
    assert math.isfinite(interval.low) and math.isfinite(interval.high)
    assert problem(figure) is None


@pytest.mark.parametrize(
    ("qualifier", "value", "value_high", "message"),
    [
        ("", 120, None, "120% is outside the question's bounds (0% to 100%)."),
        ("exact", -1, None, "-1% is outside the question's bounds (0% to 100%)."),
        ("about", 120, None, "about 120% is outside the question's bounds (0% to 100%)."),
        ("nearly", 101, None, "nearly 101% is outside the question's bounds (0% to 100%)."),
        ("at_least", 101, None, "at least 101% is outside the question's bounds (0% to 100%)."),
        ("at_most", -1, None, "at most -1% is outside the question's bounds (0% to 100%)."),
        # Each end of a range must lie within the bounds, not just some of it.
        ("between", 95, 105, "95–105% is outside the question's bounds (0% to 100%)."),
        ("between", -5, 10, "-5–10% is outside the question's bounds (0% to 100%)."),
        # The stated value is on the bound, but nothing of the interval is left within it.
        (
            "more_than",
            100,
            None,
            "more than 100% leaves nothing within the question's bounds (0% to 100%).",
        ),
        (
            "less_than",
            0,
            None,
            "less than 0% leaves nothing within the question's bounds (0% to 100%).",
        ),
    ],
)
def test_it_refuses_a_share_that_leaves_its_bounds(qualifier, value, value_high, message):
    figure = pct("c", value, qualifier, value_high=value_high)

    assert problem(figure) == message
    # One stored before its question had bounds is not compared rather than guessed at.
    assert to_interval(figure, "%", SHARE) is None


def test_it_leaves_an_infinite_end_only_where_the_scale_has_no_bound():
    at_least_zero = (0.0, INF)

    assert to_interval(pct("c", 98, "more_than"), "%", at_least_zero) == Interval(98, INF, True)
    assert to_interval(pct("c", 5, "less_than"), "%", at_least_zero) == Interval(0, 5, False, True)
    assert to_interval(pct("c", 5, "less_than"), "%", (-INF, 100.0)) == Interval(
        -INF, 5, False, True
    )
    assert problem(pct("c", 98, "more_than"), bounds=(-INF, 100.0)) is None
    assert problem(pct("c", 0, "less_than"), bounds=at_least_zero) == (
        "less than 0% leaves nothing within the question's bounds (from 0%)."
    )
    assert problem(pct("c", 120), bounds=(-INF, 100.0)) == (
        "120% is outside the question's bounds (up to 100%)."
    )


@pytest.mark.parametrize(
    ("qualifier", "value", "value_high", "expected"),
    [
        ("", 1, None, Interval(1, 1)),
        ("about", 1, None, Interval(1, 1.05)),
        ("nearly", 1, None, Interval(1, 1)),
        ("less_than", 3, None, Interval(1, 3, high_open=True)),  # "in the top two"
        ("at_most", 3, None, Interval(1, 3)),  # "among the top three"
        ("more_than", 5, None, Interval(5, INF, low_open=True)),  # a rank has no last place
        ("at_least", 2, None, Interval(2, INF)),
        ("between", 1, 3, Interval(1, 3)),
    ],
)
def test_it_clips_each_qualifier_to_a_rank_starting_at_1(qualifier, value, value_high, expected):
    figure = rank("c", value, qualifier, value_high=value_high)

    assert to_interval(figure, "rank", RANK) == expected
    assert problem(figure, kind="rank", unit="", bounds=RANK) is None


@pytest.mark.parametrize(
    ("qualifier", "value", "value_high", "message"),
    [
        ("", 0, None, "#0 is outside the question's bounds (from #1)."),
        ("exact", -2, None, "#-2 is outside the question's bounds (from #1)."),
        ("at_most", 0, None, "at most 0 is outside the question's bounds (from #1)."),
        ("between", 0, 3, "0–3 is outside the question's bounds (from #1)."),
        (
            "less_than",
            1,
            None,
            "less than 1 leaves nothing within the question's bounds (from #1).",
        ),
    ],
)
def test_it_refuses_a_rank_below_1(qualifier, value, value_high, message):
    figure = rank("c", value, qualifier, value_high=value_high)

    assert problem(figure, kind="rank", unit="", bounds=RANK) == message
    assert to_interval(figure, "rank", RANK) is None


def test_it_clips_a_rank_to_a_last_place_too():
    top_ten = scale_bounds("rank", None, Decimal(10))

    assert to_interval(rank("c", 8, "more_than"), "rank", top_ten) == Interval(8, 10, True)
    assert to_interval(rank("c", 10, "at_least"), "rank", top_ten) == Interval(10, 10)
    assert problem(rank("c", 10, "more_than"), kind="rank", unit="", bounds=top_ten) == (
        "more than 10 leaves nothing within the question's bounds (#1 to #10)."
    )


def test_it_never_refuses_a_yes_no_answer_on_bounds():
    # A yes/no question has no scale; whatever value a stray row carries, bounds are not the check.
    stray = Figure("c", value=Decimal(120), unit="%", answer="yes")

    assert problem(stray, kind="boolean", unit="", bounds=SHARE) is None
    assert problem(stray, kind="boolean", unit="", bounds=scale_bounds("boolean")) is None


@pytest.mark.parametrize(
    "figure",
    [
        # another dimension: not comparable at all (refused on its unit: figure_problems)
        Figure("c", value=Decimal(120), unit="t"),
        Figure("c", value=Decimal(120)),  # a bare number on a quantity question
        Figure("c", unit="%"),  # no value
        Figure("c", "between", Decimal(120), unit="%"),  # a range without its upper value
    ],
)
def test_it_leaves_figures_it_cannot_compare_to_other_checks(figure):
    # Only a figure that can be placed on the scale can leave its bounds.
    assert problem(figure) is None
    assert to_interval(figure, "%", SHARE) is None


# --- bounds in another unit -------------------------------------------------------------------

TONNES_UP_TO_5000 = scale_bounds("quantity", Decimal(0), Decimal(5000))


@pytest.mark.parametrize(
    ("figure", "expected"),
    [
        (Figure("c", value=Decimal(3), unit="kt"), Interval(3000, 3000)),
        (Figure("c", value=Decimal(5), unit="kt"), Interval(5000, 5000)),  # on the bound
        (Figure("c", value=Decimal("0.005"), unit="Mt"), Interval(5000, 5000)),
        (Figure("c", "about", Decimal(5), unit="kt"), Interval(4750, 5000)),
        (Figure("c", "more_than", Decimal(4), unit="kt"), Interval(4000, 5000, True)),
        (Figure("c", "less_than", Decimal(1), unit="kt"), Interval(0, 1000, False, True)),
    ],
)
def test_it_converts_a_figure_to_the_questions_unit_before_clipping(figure, expected):
    assert to_interval(figure, "t", TONNES_UP_TO_5000) == expected
    assert problem(figure, unit="t", bounds=TONNES_UP_TO_5000) is None


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        (
            Figure("c", value=Decimal(6), unit="kt"),
            "6 kt is outside the question's bounds (0 t to 5,000 t).",
        ),
        (
            Figure("c", value=Decimal("0.006"), unit="Mt"),
            "0.006 Mt is outside the question's bounds (0 t to 5,000 t).",
        ),
        (
            Figure("c", "more_than", Decimal(5), unit="kt"),
            "more than 5 kt leaves nothing within the question's bounds (0 t to 5,000 t).",
        ),
    ],
)
def test_it_refuses_a_figure_outside_the_bounds_in_the_questions_unit(figure, message):
    # Bounds are in the question's unit: 6 kt is 6,000 t, beyond 5,000 t (though 6 < 5,000).
    assert problem(figure, unit="t", bounds=TONNES_UP_TO_5000) == message
    assert to_interval(figure, "t", TONNES_UP_TO_5000) is None


def test_it_reads_bounds_in_kilotonnes_against_figures_in_tonnes():
    up_to_5_kt = scale_bounds("quantity", Decimal(0), Decimal(5))

    assert to_interval(Figure("c", value=Decimal(5000), unit="t"), "kt", up_to_5_kt) == (
        Interval(5, 5)
    )
    assert problem(Figure("c", value=Decimal(5001), unit="t"), unit="kt", bounds=up_to_5_kt) == (
        "5,001 t is outside the question's bounds (0 kt to 5 kt)."
    )


# --- bounds in a comparison -------------------------------------------------------------------


def test_it_does_not_compare_a_stored_figure_outside_the_bounds():
    # "120 %" was stored before the question had bounds; it now stands apart, confirming nothing.
    figures = (
        pct("stray", 120, origin="actor:z"),
        pct("a", 90, origin="actor:x"),
        pct("b", 90, "about", origin="actor:y"),
    )

    unbounded = compare_share(*figures, bounds=NO_BOUNDS)
    bounded = compare_share(*figures)

    assert unbounded.verdict == Verdict.CONFLICT
    assert unbounded.independent_origins == 3
    assert bounded.verdict == Verdict.AGREE
    assert bounded.intervals["stray"] is None
    assert bounded.standings["stray"].relation == Verdict.NOT_COMPARABLE
    assert bounded.relation("stray", "a") == Relation.NOT_COMPARABLE
    assert bounded.independent_origins == 2
    assert bounded.spread == (85.5, 94.5)
    assert bounded.bounds == SHARE


def test_it_compares_and_spreads_clipped_intervals():
    figures = (
        pct("about", 98, "about", origin="actor:x"),
        pct("more", 98, "more_than", origin="actor:y"),
        pct("all", 100, origin="actor:z"),
    )

    unbounded = compare_share(*figures, bounds=NO_BOUNDS)
    result = compare_share(*figures)

    assert result.verdict == Verdict.AGREE
    assert unbounded.spread_open == (False, True)
    # Clipped, "more than 98" ends at 100: no end runs off the scale.
    assert result.spread == (93.1, 100)
    assert result.spread_open == (False, False)
    # All three reach 100 itself, since the clipped ends are closed at the bound.
    assert result.consensus == Consensus(
        origins=3, refs=("about", "more", "all"), interval=Interval(100, 100)
    )


# --- a claim's year ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "cited_published", "source_published", "expected"),
    [
        ("2024", "2023", "2022", (2024, "as_of")),
        ("2024-06", "", "", (2024, "as_of")),
        ("", "2023-05", "2022", (2023, "cited_source")),
        ("", "", "2022-05-01", (2022, "source")),
        ("", "", "", (None, "")),
        # A malformed date says nothing, so the next one is read.
        ("November 2025", "2023", "2025", (2023, "cited_source")),
        ("", "last week", "2025-09", (2025, "source")),
    ],
)
def test_it_dates_a_claim_by_as_of_then_cited_source_then_source(
    as_of, cited_published, source_published, expected
):
    assert YEAR_FROM == ("as_of", "cited_source", "source")
    assert claim_year(as_of, cited_published, source_published) == expected


def test_it_gives_each_standing_its_year_and_where_it_comes_from():
    result = compare_share(
        pct("as-of", 90, as_of="2024", cited_published="2023", source_published="2025"),
        pct("cited", 90, cited_published="2023", source_published="2025"),
        pct("source", 90, source_published="2022-10"),
        pct("undated", 90),
    )

    years = {ref: (s.year, s.year_from) for ref, s in result.standings.items()}
    assert years == {
        "as-of": (2024, "as_of"),
        "cited": (2023, "cited_source"),
        "source": (2022, "source"),
        "undated": (None, ""),
    }
    assert result.years == [2022, 2023, 2024]
    assert result.series is True


def test_it_dates_a_cited_figure_by_the_document_it_cites():
    # An article of 2025 repeating a 2020 report: its figure is five years old, and with a drift
    # of 1 point a year it agrees with a 2025 figure 5 points higher.
    cited = pct("cited", 50, origin="actor:x", cited_published="2020", source_published="2025")
    current = pct("current", 55, origin="actor:y", as_of="2025")

    result = compare_share(cited, current, drift=1)

    assert result.relation("cited", "current") == Relation.AGREE
    assert result.years == [2020, 2025]


# --- drift between years ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        (0, Relation.AGREE),
        (5, Relation.AGREE),
        (6, Relation.AGREE),  # drift × Δ: 2 a year × 3 years
        (Decimal("6.5"), Relation.CLOSE),
        (7, Relation.CLOSE),  # tolerance + drift × Δ: 1 + 6
        (Decimal("7.01"), Relation.CONFLICT),
        (30, Relation.CONFLICT),
    ],
)
def test_it_allows_the_drift_between_years_on_a_quantity(gap, expected):
    early = pct("early", 50, origin="actor:x", as_of="2020")
    late = pct("late", 50 + gap, origin="actor:y", as_of="2023")

    result = compare_share(early, late, tolerance=1, drift=2)
    # Either may be the higher: a measure may fall as well as rise.
    falling = compare_share(
        early, pct("late", 50 - gap, origin="actor:y", as_of="2023"), drift=2, tolerance=1
    )

    assert result.relation("early", "late") == expected
    assert falling.relation("early", "late") == expected
    assert result.verdict == expected
    assert result.standings["late"].relation == expected


def test_it_allows_no_drift_within_a_year():
    result = compare_share(
        pct("a", 50, as_of="2023-01"), pct("b", 56, as_of="2023-12"), tolerance=1, drift=2
    )

    assert result.relation("a", "b") == Relation.CONFLICT
    assert result.series is False


def test_it_scales_the_allowance_with_the_years_apart():
    # 3 points in one year is close (1 + 2); the same 3 points over two years agree (2 × 2).
    one_year = compare_share(
        pct("a", 50, as_of="2020"), pct("b", 53, as_of="2021"), tolerance=1, drift=2
    )
    two_years = compare_share(
        pct("a", 50, as_of="2020"), pct("b", 53, as_of="2022"), tolerance=1, drift=2
    )

    assert one_year.verdict == Verdict.CLOSE
    assert two_years.verdict == Verdict.AGREE


@pytest.mark.parametrize(
    ("late", "tolerance", "expected"),
    [
        (pct("late", 50, as_of="2030"), 0, Relation.AGREE),  # equal figures
        (pct("late", 50, "about", as_of="2030"), 0, Relation.AGREE),  # overlapping
        (pct("late", Decimal("50.5"), as_of="2030"), 1, Relation.CLOSE),
        (pct("late", 52, as_of="2030"), 1, Relation.CONFLICT),
        # "More than 50" and "50" share no point: with no drift, ten years apart, still only close.
        (pct("late", 50, "more_than", as_of="2030"), 0, Relation.CLOSE),
    ],
)
def test_with_no_drift_figures_of_different_years_must_overlap_to_agree(late, tolerance, expected):
    result = compare_share(pct("early", 50, as_of="2020"), late, tolerance=tolerance)

    assert result.relation("early", "late") == expected
    assert result.series is True


def test_any_drift_lets_an_open_end_agree_with_its_own_bound_years_apart():
    result = compare_share(
        pct("early", 50, as_of="2020"),
        pct("late", 50, "more_than", as_of="2021"),
        drift=Decimal("0.1"),
    )

    assert result.relation("early", "late") == Relation.AGREE


@pytest.mark.parametrize(
    ("year", "tolerance", "expected"),
    [
        ("2026", 0, Relation.AGREE),  # 3 places in six years at half a place a year
        ("2024", 1, Relation.CLOSE),  # 3 places: 2 of drift in four years, 1 of tolerance
        ("2024", 0, Relation.CONFLICT),
        ("2020", 2, Relation.CONFLICT),  # the same year: no drift, 3 places beyond 2
    ],
)
def test_it_allows_the_drift_between_years_on_a_rank(year, tolerance, expected):
    fifth = rank("fifth", 5, origin="actor:x", as_of="2020")
    second = rank("second", 2, origin="actor:y", as_of=year)

    result = compare_question(
        [fifth, second],
        kind="rank",
        unit="",
        tolerance=tolerance,
        drift=Decimal("0.5"),
        bounds=RANK,
    )

    assert result.relation("fifth", "second") == expected
    assert result.verdict == expected


def test_it_reports_the_drift_it_compared_with():
    assert compare_share(pct("a", 1), drift=Decimal("0.5")).drift == 0.5
    # Yes/no answers are never compared across years, so no drift applies to them.
    assert compare_question([answer("a", "no")], kind="boolean", unit="", drift=3).drift == 0.0


@pytest.mark.parametrize("drift", [-1, Decimal("-0.5"), math.nan])
def test_it_refuses_a_negative_drift(drift):
    with pytest.raises(ValueError):
        compare_share(pct("a", 1), drift=drift)


def test_it_finds_no_consensus_across_years():
    # Consensus is what origins support together at one time; a series has none to show.
    result = compare_share(
        pct("a", 50, origin="actor:x", as_of="2020"),
        pct("b", 50, origin="actor:y", as_of="2021"),
        drift=1,
    )

    assert result.verdict == Verdict.AGREE
    assert result.consensus is None


# --- undated claims ---------------------------------------------------------------------------


def test_it_compares_an_undated_figure_with_every_year_allowing_no_drift():
    result = compare_share(
        pct("undated", 50, origin="actor:x"),
        pct("y2020", 55, origin="actor:y", as_of="2020"),
        pct("y2021", 50, origin="actor:z", as_of="2021"),
        drift=10,
    )

    # The undated claim could be of either year, so no years apart can excuse its gap.
    assert result.relation("undated", "y2020") == Relation.CONFLICT
    assert result.relation("undated", "y2021") == Relation.AGREE
    assert result.relation("y2020", "y2021") == Relation.AGREE  # 5 points within 10 × 1
    assert result.verdict == Verdict.CONFLICT
    assert result.years == [2020, 2021]


def test_undated_figures_form_no_series():
    result = compare_share(pct("a", 50), pct("b", 50, as_of="2020"), pct("c", 50))

    assert result.series is False
    assert result.years == [2020]


# --- yes/no answers over time -----------------------------------------------------------------


def test_it_treats_answers_of_different_years_as_a_series_whatever_the_drift():
    figures = [
        answer("2024", "no", origin="actor:x", as_of="2024"),
        answer("2025", "yes", origin="actor:y", as_of="2025-02"),
    ]

    result = compare_question(figures, kind="boolean", unit="", drift=5)

    assert result.relation("2024", "2025") == Relation.SERIES
    assert result.verdict == Verdict.SINGLE
    assert result.standings["2024"].relation == Verdict.SINGLE
    assert result.series is True
    assert result.years == [2024, 2025]
    assert result.consensus is None


@pytest.mark.parametrize(
    ("second", "expected"), [("no", Relation.AGREE), ("yes", Relation.CONFLICT)]
)
def test_it_compares_answers_within_a_year(second, expected):
    result = compare_answers(
        answer("march", "no", origin="actor:x", as_of="2024-03"),
        answer("november", second, origin="actor:y", as_of="2024-11"),
    )

    assert result.relation("march", "november") == expected
    assert result.verdict == expected
    assert result.series is False


def test_it_compares_an_undated_answer_with_every_year():
    result = compare_answers(
        answer("undated", "yes", origin="actor:x"),
        answer("2024", "no", origin="actor:y", as_of="2024"),
        answer("2025", "yes", origin="actor:z", as_of="2025"),
    )

    assert result.relation("undated", "2024") == Relation.CONFLICT
    assert result.relation("undated", "2025") == Relation.AGREE
    assert result.relation("2024", "2025") == Relation.SERIES
    assert result.verdict == Verdict.CONFLICT


# --- echoes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "verdict", "consistent"),
    [
        (pct("b", 91, origin="actor:iea"), Verdict.SINGLE, True),  # repeated: confirms nothing
        (pct("b", 92, origin="actor:iea"), Verdict.CLOSE, False),  # a misquote, or a revision
        (pct("b", 95, origin="actor:iea"), Verdict.CONFLICT, False),
    ],
)
def test_an_echo_pair_confirms_nothing_but_its_differences_count(second, verdict, consistent):
    result = compare_share(pct("a", 91, origin="actor:iea"), second, tolerance=1)

    assert result.verdict == verdict
    assert result.standings["a"].relation == verdict
    assert result.standings["b"].relation == verdict
    assert result.consistent == {"actor:iea": consistent}
    assert result.independent_origins == 1
    assert result.standings["a"].echoes == ("b",)
    assert result.standings["a"].independent_agrees == 0


def test_echoes_agreeing_with_another_origin_make_agreement_once():
    result = compare_share(
        pct("a", 91, origin="actor:iea"),
        pct("b", 91, origin="actor:iea"),
        pct("c", 90, "about", origin="actor:usgs"),
    )

    assert result.verdict == Verdict.AGREE
    assert result.independent_origins == 2
    assert result.standings["a"].relation == Verdict.AGREE
    assert result.standings["a"].agrees_with == ("b", "c")
    assert result.standings["a"].independent_agrees == 1
    # Two claims, one origin: one confirmation.
    assert result.standings["c"].agrees == 2
    assert result.standings["c"].independent_agrees == 1
    assert result.standings["c"].echoes == ()


def test_echoes_that_differ_outweigh_agreement_with_others():
    result = compare_share(
        pct("a", 90, origin="actor:iea"),
        pct("b", 92, origin="actor:iea"),
        pct("c", 90, "between", value_high=92, origin="actor:usgs"),
        tolerance=2,
    )

    assert result.verdict == Verdict.CLOSE
    assert result.standings["c"].relation == Verdict.AGREE
    assert result.standings["a"].relation == Verdict.CLOSE
    assert result.consistent == {"actor:iea": False, "actor:usgs": True}


@pytest.mark.parametrize(("drift", "consistent"), [(2, True), (1, False)])
def test_an_origins_figures_of_different_years_are_consistent_within_its_drift(drift, consistent):
    result = compare_share(
        pct("a", 60, origin="actor:iea", as_of="2020"),
        pct("b", 70, origin="actor:iea", as_of="2025"),
        drift=drift,
    )

    assert result.consistent == {"actor:iea": consistent}


def test_an_origin_giving_one_answer_in_two_years_is_consistent():
    # Answers of different years are never compared: no pair is found, and that is no
    # inconsistency (the page must not say the echoes differ when both say "no").
    result = compare_answers(
        answer("a", "no", origin="actor:x", as_of="2024"),
        answer("b", "no", origin="actor:x", as_of="2025"),
    )

    assert result.consistent == {"actor:x": True}


def test_an_origins_claim_it_cannot_compare_leaves_it_consistent():
    result = compare_share(
        pct("a", 90, origin="actor:x"), Figure("b", value=5, unit="t", origin="actor:x")
    )

    assert result.consistent == {"actor:x": True}


# --- unnamed reports --------------------------------------------------------------------------


def unnamed(ref, value, qualifier="", **fields):
    """A figure its document gives as "some reports claim": an origin of its own, not independent."""
    return pct(ref, value, qualifier, origin=origin_of(ref=ref, unattributed=True).key, **fields)


def test_unnamed_reports_never_agree_with_each_other():
    result = compare_share(unnamed("u1", 91), unnamed("u2", 91), unnamed("u3", 90, "about"))

    assert result.verdict == Verdict.SINGLE
    assert result.independent_origins == 0
    assert {s.relation for s in result.standings.values()} == {Verdict.SINGLE}
    assert result.consensus is None


def test_an_unnamed_report_confirms_no_named_origin():
    result = compare_share(unnamed("u1", 91), pct("a", 91, origin="actor:iea"))

    assert result.verdict == Verdict.SINGLE
    assert result.independent_origins == 1
    assert result.standings["a"].relation == Verdict.SINGLE
    assert result.standings["a"].agrees_with == ("u1",)
    assert result.standings["a"].independent_agrees == 0
    assert result.standings["u1"].relation == Verdict.SINGLE


def test_an_unnamed_report_agreeing_with_two_origins_is_still_unconfirmed():
    result = compare_share(
        unnamed("u1", 91), pct("a", 91, origin="actor:iea"), pct("b", 91, origin="actor:usgs")
    )

    assert result.verdict == Verdict.AGREE
    assert result.independent_origins == 2
    assert result.standings["a"].independent_agrees == 1  # usgs; the unnamed report adds nothing
    assert result.standings["u1"].relation == Verdict.SINGLE
    assert result.standings["u1"].independent_agrees == 0


@pytest.mark.parametrize(("value", "verdict"), [(92, Verdict.CLOSE), (50, Verdict.CONFLICT)])
def test_an_unnamed_report_that_differs_still_counts(value, verdict):
    result = compare_share(unnamed("u1", value), pct("a", 91, origin="actor:iea"), tolerance=1)

    assert result.verdict == verdict
    assert result.standings["a"].relation == verdict
    assert result.standings["u1"].relation == verdict


def test_only_independent_distinct_origins_confirm_each_other():
    unnamed_origin = origin_of(ref="u1", unattributed=True).key

    assert confirms("actor:x", "actor:y")
    assert confirms("claim:a", "claim:b")
    assert not confirms("actor:x", "actor:x")
    assert not confirms("actor:x", unnamed_origin)
    assert not confirms(unnamed_origin, origin_of(ref="u2", unattributed=True).key)


# --- corrections ------------------------------------------------------------------------------


def test_a_correction_of_the_same_origin_supersedes_its_target():
    figures = [
        pct("old", 60, origin="actor:x"),
        pct("new", 90, origin="actor:x", corrects=("old",)),
    ]

    assert superseded(figures, figures) == {"old": ("new",)}


@pytest.mark.parametrize(
    "figures",
    [
        # Another origin "correcting" a figure disagrees with it; it does not replace it.
        [pct("old", 60, origin="actor:x"), pct("new", 90, origin="actor:y", corrects=("old",))],
        # No known origin: nothing says the corrector speaks for the target's origin.
        [pct("old", 60, origin="actor:x"), pct("new", 90, corrects=("old",))],
        [pct("old", 60), pct("new", 90, corrects=("old",))],
        [pct("old", 60, origin=""), pct("new", 90, origin="", corrects=("old",))],
        # The target is not among the figures: on another question, or not public.
        [pct("new", 90, origin="actor:x", corrects=("elsewhere",))],
        # A claim cannot replace itself.
        [pct("new", 90, origin="actor:x", corrects=("new",))],
        # Unnamed reports are each their own origin, so none speaks for another.
        [unnamed("u1", 60), unnamed("u2", 90, corrects=("u1",))],
    ],
)
def test_these_corrections_supersede_nothing(figures):
    assert superseded(figures, figures) == {}
    result = compare_share(*figures)
    assert result.superseded == {}
    assert Verdict.SUPERSEDED not in {s.relation for s in result.standings.values()}


def test_a_correction_with_no_figure_to_compare_supersedes_nothing():
    # A revision in another unit (or with no value) cannot stand in for the figure it revises:
    # taking that out would leave the origin without a figure on the question.
    old = pct("old", 60, origin="actor:x")
    new = Figure("new", value=5, unit="t", origin="actor:x", corrects=("old",))
    result = compare_share(old, new, pct("other", 90, origin="actor:y"))

    assert result.superseded == {}
    assert result.standings["old"].relation == Verdict.CONFLICT


def test_it_supersedes_each_link_of_a_chain_of_corrections():
    figures = [
        pct("first", 40, origin="actor:x", as_of="2018"),
        pct("second", 60, origin="actor:x", as_of="2020", corrects=("first",)),
        pct("third", 90, origin="actor:x", as_of="2024", corrects=("second",)),
        pct("other", 90, "about", origin="actor:y", as_of="2024"),
    ]

    result = compare_share(*figures)

    assert superseded(figures, figures) == {"first": ("second",), "second": ("third",)}
    assert result.superseded == {"first": ("second",), "second": ("third",)}
    assert result.standings["first"].relation == Verdict.SUPERSEDED
    assert result.standings["second"].relation == Verdict.SUPERSEDED
    assert result.standings["second"].superseded_by == ("third",)
    assert result.verdict == Verdict.AGREE
    assert result.years == [2024]
    assert result.spread == (85.5, 94.5)


def test_it_names_every_claim_that_corrects_a_target():
    figures = [
        pct("old", 60, origin="actor:x"),
        pct("new", 90, origin="actor:x", corrects=("old",)),
        pct("newer", 91, origin="actor:x", corrects=("old", "elsewhere")),
        pct("other", 60, origin="actor:y", corrects=("old",)),  # another origin: not named
    ]

    result = compare_share(*figures)

    assert result.superseded == {"old": ("new", "newer")}
    assert result.standings["old"].superseded_by == ("new", "newer")


def test_a_superseded_claim_leaves_the_verdict_but_stays_listed():
    old = pct("old", 60, origin="actor:x", as_of="2020")
    new = pct("new", 90, origin="actor:x", as_of="2024", corrects=("old",))
    other = pct("other", 90, "about", origin="actor:y", as_of="2024")
    uncorrected = compare_share(old, pct("new", 90, origin="actor:x", as_of="2024"), other)

    result = compare_share(old, new, other)

    assert uncorrected.verdict == Verdict.CONFLICT
    assert result.verdict == Verdict.AGREE
    # Listed: its standing, interval and origin stay.
    standing = result.standings["old"]
    assert standing.relation == Verdict.SUPERSEDED
    assert standing.superseded_by == ("new",)
    assert standing.interval == Interval(60, 60)
    assert result.intervals["old"] == Interval(60, 60)
    assert result.origins == {"actor:x": ["old", "new"], "actor:y": ["other"]}
    assert result.standings["new"].echoes == ("old",)
    # Related to nothing, and counted in nothing that follows from relations.
    assert (standing.agrees, standing.close, standing.conflicts) == (0, 0, 0)
    assert result.relation("old", "other") == Relation.NOT_COMPARABLE
    assert result.standings["other"].conflicts_with == ()
    assert result.conflicting_pairs == []
    assert result.spread == (85.5, 94.5)
    assert result.consensus == Consensus(
        origins=2, refs=("new", "other"), interval=Interval(90, 90)
    )
    assert result.independent_origins == 2
    assert result.years == [2024]
    assert result.series is False
    # A revision is not an inconsistency of its origin.
    assert uncorrected.consistent["actor:x"] is False
    assert result.consistent["actor:x"] is True


def test_a_superseded_claims_origin_still_counts_through_its_corrector():
    result = compare_share(
        pct("old", 60, origin="actor:x"), pct("new", 90, origin="actor:x", corrects=("old",))
    )

    assert result.verdict == Verdict.SINGLE
    assert result.independent_origins == 1


def test_a_correction_supersedes_an_answer_too():
    figures = [
        answer("old", "no", origin="actor:x", as_of="2024"),
        answer("new", "yes", origin="actor:x", as_of="2024", corrects=("old",)),
        answer("other", "yes", origin="actor:y", as_of="2024"),
    ]

    result = compare_question(figures, kind="boolean", unit="")

    assert result.verdict == Verdict.AGREE
    assert result.standings["old"].relation == Verdict.SUPERSEDED
    assert result.consensus == Consensus(origins=2, refs=("new", "other"), answer="yes")
    assert summarise_placed(place_figures(figures, kind="boolean", unit="")).verdict == (
        Verdict.AGREE
    )


def test_the_summary_leaves_out_superseded_claims():
    figures = [
        pct("old", 60, origin="actor:x"),
        pct("new", 90, origin="actor:x", corrects=("old",)),
        pct("other", 90, origin="actor:y"),
    ]

    placed = place_figures(figures, kind="quantity", unit="%", bounds=SHARE)
    summary = summarise_placed(placed)

    assert [claim.superseded_by for claim in placed] == [("new",), (), ()]
    assert summary.verdict == Verdict.AGREE
    assert summary.spread == (90, 90)
    assert summary.independent_origins == 2


# --- properties -------------------------------------------------------------------------------

finite = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)
# Values around the bounds the strategies below draw, where clipping and refusing happen.
SHARE_VALUES = [-5, 0, 1, 2, 50, 52, 55, 60, 90, 91, 93, 98, 100, 120]
RANK_VALUES = [0, 1, 2, 3, 5, 6, 10, 12]


@st.composite
def bounds(draw):
    """A question's bounds: either side may be missing; when both are there, lower < upper."""
    low, high = sorted(draw(st.lists(finite, min_size=2, max_size=2, unique=True)))
    return draw(st.sampled_from([-INF, low])), draw(st.sampled_from([high, INF]))


def _within(inner, outer):
    """Whether every point of `inner` is in `outer`."""
    low_in = inner.low > outer.low or (
        inner.low == outer.low and (inner.low_open or not outer.low_open)
    )
    high_in = inner.high < outer.high or (
        inner.high == outer.high and (inner.high_open or not outer.high_open)
    )
    return low_in and high_in


def _meet(a, b):
    """Whether two intervals share a point (written out here, not taken from the module)."""

    def before(lower, upper):
        return lower.high < upper.low or (
            lower.high == upper.low and (lower.high_open or upper.low_open)
        )

    return not (before(a, b) or before(b, a))


@examples(2)
@given(intervals(), bounds())
def test_clipping_never_widens_an_interval(interval, scale):
    scale_interval = Interval(*scale)  # bounds are closed: a share can be 0 % or 100 %

    clipped = clip(interval, scale)

    assert (clipped is None) == (not _meet(interval, scale_interval))
    if clipped is not None:
        assert _within(clipped, interval)
        assert _within(clipped, scale_interval)
        # Nor narrows it more than the scale does: it is exactly the part within the scale.
        assert clipped.low == max(interval.low, scale[0])
        assert clipped.high == min(interval.high, scale[1])
        assert clipped.low_open == (interval.low_open and interval.low >= scale[0])
        assert clipped.high_open == (interval.high_open and interval.high <= scale[1])


@st.composite
def stated_figures(draw):
    qualifier = draw(st.sampled_from(["", *QUALIFIERS]))
    value = draw(st.one_of(st.sampled_from(SHARE_VALUES), finite))
    width = draw(st.sampled_from([0, 1, 10, 50]))
    unit = draw(st.sampled_from(["t", "kt"]))
    return Figure("c", qualifier, value, value + width, unit)


@examples(2)
@given(stated_figures(), bounds())
def test_the_door_and_the_comparison_agree_on_bounds(figure, scale):
    # figure_problems keeps out exactly the figures to_interval would not place on the scale, and
    # a placed figure lies within both its own unclipped interval and the scale.
    unclipped = to_interval(figure, "t")
    placed = to_interval(figure, "t", scale)
    problems = figure_problems(figure, kind="quantity", unit="t", bounds=scale)

    assert (problems == {}) == (placed is not None)
    if placed is not None:
        assert _within(placed, unclipped)
        assert _within(placed, Interval(*scale))


@st.composite
def questions(draw):
    """A question and its claims, of every shape the rules of issue 12 touch.

    Kinds and their units, bounds (none, a share, one side, a narrow band; a rank from 1 or 3, to
    10 or none), claims with every qualifier, values on and beyond the bounds, other units, years
    from the as-of date, the cited source or the source, echoes, claims with no known origin,
    unnamed reports, and corrections (of echoes, of others, of claims elsewhere, of themselves,
    chains and even cycles, which the models refuse but the module must survive).
    """
    kind = draw(st.sampled_from(["quantity", "quantity", "rank", "boolean"]))
    if kind == "quantity":
        unit, units, values = "%", ["%", "%", "%", "%", "t", ""], SHARE_VALUES
        scale = draw(
            st.sampled_from([NO_BOUNDS, SHARE, SHARE, (0.0, INF), (-INF, 100.0), (50.0, 60.0)])
        )
    elif kind == "rank":
        unit, units, values = "", ["", "", "", "rank", "%"], RANK_VALUES
        scale = scale_bounds(
            "rank",
            draw(st.sampled_from([None, Decimal(0), Decimal(3)])),
            draw(st.sampled_from([None, Decimal(10)])),
        )
    else:
        unit, units, values, scale = "", [""], [None], NO_BOUNDS
    n = draw(st.integers(min_value=0, max_value=7))
    refs = [f"c{i}" for i in range(n)]
    figures = []
    for ref in refs:
        qualifier = draw(st.sampled_from(["", *QUALIFIERS]))
        # Mostly values near each other and the bounds, so that claims agree, come close, conflict
        # and leave the scale; now and then none, or any number.
        value = draw(st.one_of(st.sampled_from([*values, None]), st.sampled_from(values), finite))
        width = draw(st.sampled_from([0, 1, 3, 50]))
        origin = draw(st.sampled_from(["", "actor:x", "actor:x", "actor:y", "source:z", "unnamed"]))
        figures.append(
            Figure(
                ref,
                qualifier,
                value,
                value + width if qualifier == "between" and value is not None else None,
                draw(st.sampled_from(units)),
                as_of=draw(
                    st.sampled_from(["", "", "2020", "2021", "2024", "2024-06", "2030", "later"])
                ),
                answer=draw(st.sampled_from(["", "yes", "no", "no"])),
                origin=origin_of(ref=ref, unattributed=True).key if origin == "unnamed" else origin,
                cited_published=draw(st.sampled_from(["", "", "2019", "2024"])),
                source_published=draw(st.sampled_from(["", "2024", "2025"])),
                corrects=tuple(
                    draw(st.lists(st.sampled_from([*refs, "elsewhere"]), max_size=2, unique=True))
                ),
            )
        )
    return {
        "figures": figures,
        "kind": kind,
        "unit": unit,
        "bounds": scale,
        "tolerance": draw(st.sampled_from([0, 0.5, 2, 10])),
        "drift": draw(st.sampled_from([0, 0, Decimal("0.5"), 2, 10])),
    }


def _compare(question, **options):
    return compare_question(
        question["figures"],
        kind=question["kind"],
        unit=question["unit"],
        tolerance=question["tolerance"],
        drift=question["drift"],
        bounds=question["bounds"],
        **options,
    )


def _place(question):
    return place_figures(
        question["figures"], kind=question["kind"], unit=question["unit"], bounds=question["bounds"]
    )


@examples(3)
@given(questions())
def test_the_verdict_never_says_agree_with_fewer_than_two_independent_origins(question):
    result = _compare(question)

    if result.verdict == Verdict.AGREE:
        assert result.independent_origins >= 2
        # And two of them do agree: a pair of claims still in the comparison.
        assert any(
            relation == Relation.AGREE
            and confirms(result.standings[a].origin, result.standings[b].origin)
            and a not in result.superseded
            and b not in result.superseded
            for (a, b), relation in result.pairs.items()
        )
    assert result.verdict != Verdict.SUPERSEDED
    for ref, standing in result.standings.items():
        if standing.relation == Verdict.AGREE:
            assert independent(standing.origin)
            assert standing.independent_agrees >= 1
        assert (standing.relation == Verdict.SUPERSEDED) == (ref in result.superseded)


@examples(4)
@given(questions())
def test_the_summary_says_what_the_full_comparison_says(question):
    # Summary's own contract (its docstring): the same verdict, series, spread and origins as
    # compare_question, with drift, bounds, unnamed reports and corrections in play.
    full = _compare(question)

    summary = summarise_placed(
        _place(question), tolerance=question["tolerance"], drift=question["drift"]
    )

    assert summary.verdict == full.verdict
    assert summary.series == full.series
    assert summary.spread == full.spread
    assert summary.spread_open == full.spread_open
    assert summary.independent_origins == full.independent_origins


@examples(2)
@given(questions(), st.data())
def test_a_focused_comparison_gives_the_same_verdict_as_the_full_one(question, data):
    refs = [figure.ref for figure in question["figures"]]
    focus = data.draw(st.lists(st.sampled_from(refs), unique=True) if refs else st.just([]))
    placed = _place(question)
    options = {
        "kind": question["kind"],
        "unit": question["unit"],
        "tolerance": question["tolerance"],
        "drift": question["drift"],
        "bounds": question["bounds"],
    }
    full = compare_placed(placed, **options)

    focused = compare_placed(placed, focus=focus, **options)

    assert focused.verdict == full.verdict
    assert {ref: focused.standings[ref] for ref in focus} == {
        ref: full.standings[ref] for ref in focus
    }
    assert (focused.superseded, focused.consistent, focused.years) == (
        full.superseded,
        full.consistent,
        full.years,
    )
