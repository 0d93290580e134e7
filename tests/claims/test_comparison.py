"""The comparison module, with plain values: no database, no Django.

The worked examples come from DESIGN.md ("What comparing sources means"); the demo data must
reproduce them, so each row of that table has a test here.
"""

import json
import math
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from claims.comparison import (
    ABOUT_BAND,
    ANSWERS,
    KINDS,
    QUALIFIER_CHOICES,
    QUALIFIERS,
    UNIT_CHOICES,
    UNITS,
    Consensus,
    Figure,
    Interval,
    Placed,
    Relation,
    Verdict,
    as_of_year,
    compare_placed,
    compare_question,
    independent,
    origin_of,
    place_figures,
    placed_from_record,
    placed_record,
    summarise_placed,
    to_interval,
)
from tests.conftest import examples

INF = math.inf


def pct(ref, value, qualifier="", **fields):
    """A percent figure: most of the worked examples are shares."""
    return Figure(ref=ref, qualifier=qualifier, value=Decimal(str(value)), unit="%", **fields)


def compare_pct(*figures, tolerance=0, drift=0):
    return compare_question(figures, kind="quantity", unit="%", tolerance=tolerance, drift=drift)


def relate(a, b, tolerance):
    """How two intervals stand, as the pages relate them: compare_placed of the two, a first."""
    placed = [Placed("a", a, None), Placed("b", b, None)]
    return compare_placed(placed, kind="quantity", unit="t", tolerance=tolerance).relation("a", "b")


# --- the worked examples from DESIGN.md -------------------------------------------------------


def test_it_finds_russias_reserves_rest_on_one_origin_repeated():
    # Seed 000: "about 28.5 million t" (Ministry of Natural Resources, under the government);
    # seed 002: "28.5 million t" (government figures, via The Moscow Times).
    government = origin_of(speaker=("government-of-russia", "Government of Russia")).key
    ministry = Figure("000-reserves", "about", Decimal("28.5"), unit="Mt", origin=government)
    figures = Figure("002-reserves", "exact", Decimal("28.5"), unit="Mt", origin=government)

    result = compare_question([ministry, figures], kind="quantity", unit="t")

    # The two figures overlap, but one origin repeated confirms nothing.
    assert result.verdict == Verdict.SINGLE
    assert result.standings["000-reserves"].relation == Verdict.SINGLE
    assert result.consistent == {"actor:government-of-russia": True}
    assert result.relation("000-reserves", "002-reserves") == Relation.AGREE
    assert result.independent_origins == 1
    assert result.origins == {"actor:government-of-russia": ["000-reserves", "002-reserves"]}
    assert result.intervals["002-reserves"] == Interval(28_500_000, 28_500_000)
    assert result.intervals["000-reserves"] == Interval(27_075_000, 29_925_000)
    assert result.standings["000-reserves"].echoes == ("002-reserves",)
    # They agree, but an echo is not confirmation.
    assert result.standings["000-reserves"].agrees == 1
    assert result.standings["000-reserves"].independent_agrees == 0


def test_it_finds_fifth_and_second_largest_reserves_conflict():
    fifth = Figure("000-rank", value=5)  # a bare number: a rank question needs no unit
    second = Figure("002-rank", value=2, unit="rank", origin="actor:government-of-russia")

    result = compare_question([fifth, second], kind="rank", unit="")

    assert result.verdict == Verdict.CONFLICT
    assert result.unit == "rank"
    assert result.intervals == {"000-rank": Interval(5, 5), "002-rank": Interval(2, 2)}
    assert result.standings["000-rank"].conflicts_with == ("002-rank",)


def test_it_finds_imports_more_than_98_and_90_percent_conflict():
    result = compare_pct(
        pct("000-imports", 98, "more_than"),
        pct("002-imports", 90, origin="source:nezavisimaia-gazeta"),
        tolerance=2,
    )

    assert result.verdict == Verdict.CONFLICT
    assert result.intervals["000-imports"] == Interval(98, INF, low_open=True)


def test_it_finds_china_mining_around_70_and_59_percent_conflict():
    result = compare_pct(
        pct("000-mining", 70, "about"), pct("002-mining", 59, origin="source:iea"), tolerance=2
    )

    assert result.verdict == Verdict.CONFLICT
    assert result.intervals["000-mining"] == Interval(66.5, 73.5)


def test_it_finds_china_refining_nearly_90_and_91_percent_close_not_conflict():
    result = compare_pct(
        pct("000-refining", 90, "nearly"), pct("002-refining", 91, origin="source:iea"), tolerance=2
    )

    # "Nearly 90" is [85.5, 90]: 1 point short of 91, within the tolerance of 2.
    assert result.verdict == Verdict.CLOSE
    assert result.verdict != Verdict.CONFLICT


def test_it_finds_china_magnets_93_and_94_percent_close():
    result = compare_pct(
        pct("000-magnets", 93), pct("002-magnets", 94, origin="source:iea"), tolerance=2
    )

    assert result.verdict == Verdict.CLOSE
    assert result.standings["000-magnets"].close_to == ("002-magnets",)


def test_it_finds_no_and_no_final_decisions_on_technology_sharing_agree():
    manturov = Figure("000-technology", answer="no", origin="actor:government-of-russia")
    interfax = Figure("002-technology", answer="no", origin="source:interfax")

    result = compare_question([manturov, interfax], kind="boolean", unit="")

    assert result.verdict == Verdict.AGREE
    assert result.independent_origins == 2
    assert result.intervals == {"000-technology": None, "002-technology": None}
    assert result.spread is None
    assert result.consensus == Consensus(
        origins=2, refs=("000-technology", "002-technology"), answer="no"
    )


def test_it_never_compares_a_multiple_with_tonnes():
    # DESIGN.md's trap: "tripling production by 2030" is a multiple, not tonnes.
    tripling = Figure("002-tripling", value=3, unit="x", as_of="2030")
    target = Figure("002-target", value=3000, unit="t", as_of="2030")

    result = compare_question([tripling, target], kind="quantity", unit="t")

    assert result.intervals["002-tripling"] is None
    assert result.relation("002-tripling", "002-target") == Relation.NOT_COMPARABLE
    assert result.verdict == Verdict.SINGLE


# --- qualifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("", Interval(90, 90)),
        ("exact", Interval(90, 90)),
        ("about", Interval(85.5, 94.5)),
        ("nearly", Interval(85.5, 90)),
        ("more_than", Interval(90, INF, low_open=True)),
        ("at_least", Interval(90, INF)),
        ("less_than", Interval(-INF, 90, high_open=True)),
        ("at_most", Interval(-INF, 90)),
        ("between", Interval(90, 95)),
    ],
)
def test_it_turns_each_qualifier_into_its_interval(qualifier, expected):
    figure = Figure("c", qualifier, Decimal(90), value_high=Decimal(95), unit="%")

    assert to_interval(figure, "%") == expected


def test_it_covers_every_qualifier_choice():
    assert QUALIFIERS == (
        "exact",
        "about",
        "nearly",
        "more_than",
        "at_least",
        "less_than",
        "at_most",
        "between",
    )
    assert dict(QUALIFIER_CHOICES)["about"] == "about / around"
    assert dict(QUALIFIER_CHOICES)["more_than"] == "more than"


def test_it_reads_about_as_a_relative_band():
    assert ABOUT_BAND == 0.05
    assert to_interval(Figure("c", "about", 1000, unit="t"), "t") == Interval(950, 1050)


def test_it_keeps_low_below_high_for_negative_values():
    assert to_interval(Figure("c", "about", -100, unit="count"), "count") == Interval(-105, -95)
    assert to_interval(Figure("c", "nearly", -100, unit="count"), "count") == Interval(-100, -95)


def test_it_ignores_the_upper_value_unless_between():
    figure = Figure("c", "about", Decimal(70), value_high=Decimal(99), unit="%")

    assert to_interval(figure, "%") == Interval(66.5, 73.5)


def test_it_rejects_between_with_bounds_backwards():
    figure = Figure("c", "between", Decimal(3), value_high=Decimal(2), unit="%")

    assert to_interval(figure, "%") is None


def test_it_rejects_between_without_an_upper_value():
    assert to_interval(Figure("c", "between", Decimal(3), unit="%"), "%") is None


def test_it_accepts_between_with_equal_bounds_as_a_point():
    figure = Figure("c", "between", Decimal(3), value_high=Decimal(3), unit="%")

    assert to_interval(figure, "%") == Interval(3, 3)


def test_it_cannot_place_an_unknown_qualifier():
    assert to_interval(Figure("c", "roughly", Decimal(3), unit="%"), "%") is None


@pytest.mark.parametrize("value", [None, math.nan, math.inf, Decimal("NaN"), Decimal("-Infinity")])
def test_it_cannot_place_a_figure_without_a_finite_value(value):
    assert to_interval(Figure("c", value=value, unit="%"), "%") is None


def test_it_accepts_floats_ints_and_decimals_alike():
    for value in (90, 90.0, Decimal("90"), Decimal("90.000")):
        assert to_interval(Figure("c", value=value, unit="%"), "%") == Interval(90, 90)


# --- units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "claim_unit", "question_unit", "expected"),
    [
        (Decimal("28.5"), "Mt", "t", 28_500_000),
        (Decimal("28.5"), "Mt", "kt", 28_500),
        (Decimal("3"), "kt", "t", 3_000),
        (Decimal("500"), "kt", "Mt", 0.5),
        (Decimal("3000"), "t", "kt", 3),
        (Decimal("1"), "t", "Mt", 0.000001),
        (0.3, "kt", "t", 300),  # a float 0.3 is read as 0.3, not 0.29999...
        (Decimal("42"), "%", "%", 42),
        (Decimal("3"), "x", "x", 3),
        (Decimal("17"), "count", "count", 17),
    ],
)
def test_it_converts_units_of_one_dimension(value, claim_unit, question_unit, expected):
    figure = Figure("c", value=value, unit=claim_unit)

    assert to_interval(figure, question_unit) == Interval(expected, expected)


def test_it_offers_every_unit_as_a_choice():
    assert [code for code, _ in UNIT_CHOICES] == list(UNITS)
    assert UNITS["Mt"] == ("mass", 1e6)


@pytest.mark.parametrize(
    ("claim_unit", "question_unit"),
    [("%", "t"), ("t", "%"), ("x", "t"), ("rank", "%"), ("count", "t"), ("t", "rank")],
)
def test_it_cannot_compare_units_of_other_dimensions(claim_unit, question_unit):
    assert to_interval(Figure("c", value=90, unit=claim_unit), question_unit) is None


@pytest.mark.parametrize(("claim_unit", "question_unit"), [("lb", "t"), ("t", "lb"), ("T", "t")])
def test_it_cannot_compare_unknown_units(claim_unit, question_unit):
    assert to_interval(Figure("c", value=90, unit=claim_unit), question_unit) is None


def test_it_does_not_guess_a_blank_unit_on_a_quantity_question():
    # "3,000" could be tonnes or a count: better not compared than compared wrongly.
    assert to_interval(Figure("c", value=3000), "t") is None
    assert to_interval(Figure("c", value=3000), "") is None


def test_it_reads_a_blank_unit_as_a_rank_on_a_rank_question():
    assert to_interval(Figure("c", value=5), "rank") == Interval(5, 5)
    result = compare_question(
        [Figure("a", value=2), Figure("b", value=2, unit="rank")], kind="rank", unit=""
    )
    assert result.verdict == Verdict.AGREE


def test_it_applies_qualifiers_to_ranks_too():
    # "among the top three" is at most third.
    result = compare_question(
        [Figure("a", "at_most", 3), Figure("b", value=2), Figure("c", value=5)],
        kind="rank",
        unit="rank",
    )

    assert result.relation("a", "b") == Relation.AGREE
    assert result.relation("a", "c") == Relation.CONFLICT


def test_it_never_reports_a_conflict_across_dimensions():
    share = Figure("share", value=Decimal(90), unit="%")
    tonnes = Figure("tonnes", value=Decimal(1_000_000), unit="t")

    result = compare_question([share, tonnes], kind="quantity", unit="%")

    assert result.relation("share", "tonnes") == Relation.NOT_COMPARABLE
    assert result.verdict == Verdict.SINGLE
    assert result.standings["tonnes"].relation == Verdict.NOT_COMPARABLE
    assert result.standings["share"].relation == Verdict.SINGLE
    assert result.conflicting_pairs == []


# --- relate -----------------------------------------------------------------------------------


def test_it_agrees_when_intervals_overlap():
    assert relate(Interval(1, 5), Interval(4, 9), 0) == Relation.AGREE


def test_it_agrees_when_closed_ends_touch():
    assert relate(Interval(1, 5), Interval(5, 9), 0) == Relation.AGREE


def test_it_agrees_when_a_point_lies_inside():
    assert relate(Interval(90, INF, low_open=True), Interval(91, 91), 0) == Relation.AGREE


def test_it_agrees_when_both_run_off_the_same_way():
    assert relate(Interval(98, INF, True), Interval(1, INF), 0) == Relation.AGREE
    assert relate(Interval(-INF, 5, high_open=True), Interval(-INF, 1), 0) == Relation.AGREE


def test_it_finds_more_than_90_and_exactly_90_close_not_agreeing():
    more_than = Interval(90, INF, low_open=True)
    exactly = Interval(90, 90)

    # They share no point, but the gap between them is 0: close even with no tolerance.
    assert relate(more_than, exactly, 0) == Relation.CLOSE
    assert relate(exactly, more_than, 0) == Relation.CLOSE


def test_it_finds_less_than_10_and_exactly_10_close_not_agreeing():
    assert relate(Interval(-INF, 10, high_open=True), Interval(10, 10), 0) == Relation.CLOSE


def test_it_finds_at_most_10_and_exactly_10_agree():
    assert relate(Interval(-INF, 10), Interval(10, 10), 0) == Relation.AGREE


def test_it_finds_two_open_ends_at_one_point_close():
    assert relate(Interval(-INF, 5, high_open=True), Interval(5, INF, low_open=True), 0) == (
        Relation.CLOSE
    )


def test_it_measures_the_gap_from_the_finite_end_of_an_open_interval():
    at_most = Interval(-INF, 10)
    at_least = Interval(13, INF)

    assert relate(at_most, at_least, 3) == Relation.CLOSE
    assert relate(at_most, at_least, 2.9) == Relation.CONFLICT


def test_it_counts_a_gap_equal_to_the_tolerance_as_close():
    assert relate(Interval(93, 93), Interval(95, 95), 2) == Relation.CLOSE
    assert relate(Interval(93, 93), Interval(95.01, 95.01), 2) == Relation.CONFLICT


def test_it_conflicts_on_any_gap_with_no_tolerance():
    assert relate(Interval(93, 93), Interval(94, 94), 0) == Relation.CONFLICT


def test_it_does_not_let_float_rounding_turn_close_into_conflict():
    # 94.1 - 93.1 is 1.0000000000000142 in floats.
    assert relate(Interval(93.1, 93.1), Interval(94.1, 94.1), 1) == Relation.CLOSE
    assert relate(Interval(93.1, 93.1), Interval(94.2, 94.2), 1) == Relation.CONFLICT


def test_it_accepts_a_decimal_tolerance():
    assert relate(Interval(93, 93), Interval(94, 94), Decimal("1.0")) == Relation.CLOSE


@pytest.mark.parametrize("tolerance", [-1, math.nan, Decimal("-0.5")])
def test_it_rejects_a_bad_tolerance(tolerance):
    with pytest.raises(ValueError, match="tolerance"):
        relate(Interval(1, 1), Interval(2, 2), tolerance)


# --- intervals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [(5, 4), (5, 5, True, False), (5, 5, False, True), (math.nan, 1), (INF, INF), (-INF, -INF)],
)
def test_it_refuses_empty_or_malformed_intervals(args):
    with pytest.raises(ValueError):
        Interval(*args)


def test_it_writes_intervals_as_a_reader_would():
    assert str(Interval(28_500_000, 28_500_000)) == "28,500,000"
    assert str(Interval(90, INF, low_open=True)) == "(90, ∞)"
    assert str(Interval(-INF, 90)) == "(-∞, 90]"
    assert str(Interval(66.5, 73.5)) == "[66.5, 73.5]"


# --- as-of years and series -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "year"),
    [("2025", 2025), ("2025-11", 2025), ("2025-11-04", 2025), (" 2030 ", 2030), ("", None)],
)
def test_it_reads_the_year_of_a_partial_date(as_of, year):
    assert as_of_year(as_of) == year


@pytest.mark.parametrize("as_of", ["25", "2025/11", "November 2025", "2025-11-04-01"])
def test_it_treats_a_malformed_date_as_undated(as_of):
    assert as_of_year(as_of) is None


def test_it_compares_different_years_allowing_the_questions_drift():
    # 3,000 t now and 20,000 t in 2030: 17,000 t apart over five years.
    now = Figure("now", value=3000, unit="t", as_of="2025")
    target = Figure("target", value=20, unit="kt", as_of="2030")

    steady = compare_question([now, target], kind="quantity", unit="t")
    growing = compare_question([now, target], kind="quantity", unit="t", drift=3400)
    slower = compare_question([now, target], kind="quantity", unit="t", drift=3000, tolerance=2000)

    assert steady.relation("now", "target") == Relation.CONFLICT
    assert steady.verdict == Verdict.CONFLICT
    assert growing.relation("now", "target") == Relation.AGREE  # 3,400 t a year × 5
    assert slower.relation("now", "target") == Relation.CLOSE  # 15,000 + 2,000 ≥ 17,000
    assert steady.series is True
    assert steady.years == [2025, 2030]
    assert steady.consensus is None  # no consensus across different years
    assert steady.spread == (3000, 20_000)


def test_it_still_finds_a_conflict_within_one_year_of_a_series():
    result = compare_pct(
        pct("a", 60, as_of="2024"),
        pct("b", 70, as_of="2024-06"),
        pct("c", 90, as_of="2030"),
        tolerance=2,
        drift=5,
    )

    assert result.relation("a", "b") == Relation.CONFLICT
    assert result.relation("a", "c") == Relation.AGREE  # 30 points in six years, 5 a year
    assert result.verdict == Verdict.CONFLICT
    assert result.conflicting_pairs == [("a", "b")]


def test_it_compares_an_undated_claim_with_every_year():
    result = compare_pct(
        pct("undated", 70), pct("y2024", 70, as_of="2024"), pct("y2030", 90, as_of="2030"), drift=5
    )

    # An undated claim is read as of any year, so no drift is allowed it.
    assert result.relation("undated", "y2024") == Relation.AGREE
    assert result.relation("undated", "y2030") == Relation.CONFLICT
    assert result.relation("y2024", "y2030") == Relation.AGREE


def test_it_ignores_years_of_claims_it_cannot_compare():
    result = compare_pct(pct("a", 70, as_of="2024"), Figure("b", value=5, unit="t", as_of="2030"))

    assert result.series is False
    assert result.years == [2024]


# --- verdicts and standings -------------------------------------------------------------------


def test_it_gives_a_conflict_verdict_if_any_pair_conflicts():
    result = compare_pct(pct("a", 90), pct("b", 91), pct("c", 60), tolerance=2)

    assert result.verdict == Verdict.CONFLICT
    assert result.relation("a", "b") == Relation.CLOSE
    assert result.relation("b", "a") == Relation.CLOSE
    assert result.conflicting_pairs == [("a", "c"), ("b", "c")]


def test_it_sums_each_claims_standing():
    result = compare_pct(
        pct("a", 90), pct("b", 90), pct("c", 91), pct("d", 60), Figure("e"), tolerance=2
    )
    a = result.standings["a"]

    assert a.relation == Verdict.CONFLICT
    assert (a.agrees, a.close, a.conflicts) == (1, 1, 1)
    assert a.agrees_with == ("b",)
    assert a.close_to == ("c",)
    assert a.conflicts_with == ("d",)
    assert a.interval == Interval(90, 90)
    assert result.standings["d"].conflicts_with == ("a", "b", "c")
    assert result.standings["e"].relation == Verdict.NOT_COMPARABLE
    assert result.standings["e"].interval is None


def test_it_gives_a_standing_of_close_when_close_is_the_worst():
    result = compare_pct(pct("a", 90), pct("b", 90), pct("c", 91), tolerance=2)

    assert result.standings["a"].relation == Verdict.CLOSE
    assert result.standings["b"].relation == Verdict.CLOSE
    assert result.standings["c"].relation == Verdict.CLOSE


def test_it_gives_a_standing_of_agree_when_all_agree():
    result = compare_pct(pct("a", 90, "about"), pct("b", 91))

    assert result.standings["a"].relation == Verdict.AGREE
    assert result.verdict == Verdict.AGREE


def test_it_lets_a_standing_equal_the_matching_relation():
    # Pages may compare a standing with a Relation, or with the plain string.
    result = compare_pct(pct("a", 90), pct("b", 60))

    assert result.standings["a"].relation == Relation.CONFLICT == "conflict"


def test_it_gives_a_single_verdict_to_one_claim():
    result = compare_pct(pct("a", 90))

    assert result.verdict == Verdict.SINGLE
    assert result.standings["a"].relation == Verdict.SINGLE
    assert result.pairs == {}
    assert result.consensus == Consensus(origins=1, refs=("a",), interval=Interval(90, 90))


def test_it_gives_not_comparable_when_no_claim_can_be_placed():
    result = compare_pct(Figure("a", value=1, unit="t"), Figure("b"))

    assert result.verdict == Verdict.NOT_COMPARABLE
    assert result.spread is None
    assert result.consensus is None
    assert result.independent_origins == 0


def test_it_gives_not_comparable_to_a_question_without_claims():
    result = compare_pct()

    assert result.verdict == Verdict.NOT_COMPARABLE
    assert result.standings == {}


def test_it_stores_pairs_in_both_orders():
    result = compare_pct(pct("a", 90), pct("b", 60), pct("c", 61), tolerance=1)

    assert set(result.pairs) == {
        ("a", "b"),
        ("b", "a"),
        ("a", "c"),
        ("c", "a"),
        ("b", "c"),
        ("c", "b"),
    }
    assert all(result.pairs[a, b] == result.pairs[b, a] for a, b in result.pairs)


def test_it_refuses_duplicate_refs():
    with pytest.raises(ValueError, match="repeated: a"):
        compare_pct(pct("a", 90), pct("a", 91))


def test_it_refuses_an_unknown_kind():
    assert KINDS == ("quantity", "rank", "boolean")
    with pytest.raises(ValueError, match="kind"):
        compare_question([pct("a", 90)], kind="number", unit="%")


# --- yes/no questions -------------------------------------------------------------------------


def test_it_finds_yes_and_no_conflict():
    result = compare_question(
        [Figure("a", answer="yes"), Figure("b", answer="no")], kind="boolean", unit=""
    )

    assert result.verdict == Verdict.CONFLICT
    assert result.consensus is None  # one origin each way: a tie


def test_it_cannot_compare_a_blank_answer():
    assert ANSWERS == ("yes", "no")
    result = compare_question(
        [Figure("a", answer="yes"), Figure("b", answer=""), Figure("c", value=1, unit="%")],
        kind="boolean",
        unit="",
    )

    assert result.relation("a", "b") == Relation.NOT_COMPARABLE
    assert result.relation("a", "c") == Relation.NOT_COMPARABLE
    assert result.verdict == Verdict.SINGLE


def test_it_treats_yes_no_answers_of_other_years_as_a_series():
    result = compare_question(
        [Figure("a", answer="no", as_of="2024"), Figure("b", answer="yes", as_of="2025")],
        kind="boolean",
        unit="",
    )

    assert result.relation("a", "b") == Relation.SERIES
    assert result.verdict == Verdict.SINGLE


def test_it_finds_the_answer_most_origins_give():
    result = compare_question(
        [
            Figure("a", answer="no", origin="actor:x"),
            Figure("b", answer="no", origin="actor:x"),
            Figure("c", answer="yes", origin="actor:y"),
            Figure("d", answer="yes", origin="actor:z"),
        ],
        kind="boolean",
        unit="",
    )

    # Two claims say "no", but they are echoes of one origin; "yes" has two origins.
    assert result.consensus == Consensus(origins=2, refs=("c", "d"), answer="yes")


# --- origins and echoes -----------------------------------------------------------------------


def test_it_takes_the_speakers_top_actor_as_the_origin_first():
    origin = origin_of(
        speaker=("government-of-russia", "Government of Russia"),
        cited_publisher=("iea", "International Energy Agency"),
        cited_source=("iea-2025", "Critical Minerals Outlook"),
        publisher=("jamestown", "The Jamestown Foundation"),
        source=("s", "An article"),
    )

    assert origin == ("actor:government-of-russia", "Government of Russia")


def test_it_falls_back_through_the_cited_publisher_cited_source_publisher_and_source():
    iea, jamestown = ("iea", "International Energy Agency"), ("jamestown", "Jamestown")
    cited, source = ("iea-2025", "Outlook 2025"), ("seed-002", "An article")

    assert origin_of(
        cited_publisher=iea, cited_source=cited, publisher=jamestown, source=source
    ) == (
        "actor:iea",
        "International Energy Agency",
    )
    assert origin_of(cited_source=cited, publisher=jamestown, source=source).key == (
        "source:iea-2025"
    )
    assert origin_of(publisher=jamestown, source=source).key == "actor:jamestown"
    assert origin_of(source=source) == ("source:seed-002", "An article")
    assert origin_of() == ("", "")


def test_it_gives_each_unattributed_claim_an_origin_of_its_own_that_is_not_independent():
    origin = origin_of(
        ref="002-brazil", unattributed=True, speaker=("brazil", "Brazil"), source=("s", "S")
    )

    assert origin == ("unattributed:002-brazil", "unnamed reports")
    assert not independent(origin.key)
    assert independent("actor:brazil") and independent("source:s") and independent("claim:x")


def test_it_groups_echoes_by_origin():
    result = compare_pct(
        pct("a", 91, origin="source:iea"),
        pct("b", 91, origin="source:iea"),
        pct("c", 90, "nearly", origin="actor:ministry"),
        pct("d", 91),
    )

    assert result.origins == {
        "source:iea": ["a", "b"],
        "actor:ministry": ["c"],
        "claim:d": ["d"],
    }
    assert result.independent_origins == 3
    assert result.standings["a"].echoes == ("b",)
    assert result.standings["c"].echoes == ()
    assert result.standings["d"].origin == "claim:d"
    # d agrees with a and b, which are one origin: one independent confirmation.
    assert result.standings["d"].agrees == 2
    assert result.standings["d"].independent_agrees == 1


def test_echoes_that_agree_are_single_and_stand_single():
    result = compare_pct(pct("a", 91, origin="actor:iea"), pct("b", 91, origin="actor:iea"))

    assert result.verdict == Verdict.SINGLE
    assert result.standings["a"].relation == Verdict.SINGLE
    assert result.standings["a"].agrees_with == ("b",)
    assert result.standings["a"].echoes == ("b",)
    assert result.standings["a"].independent_agrees == 0
    assert result.independent_origins == 1
    assert result.consistent == {"actor:iea": True}


def test_echoes_that_differ_count_close_and_conflict_and_are_inconsistent():
    close = compare_pct(
        pct("a", 91, origin="actor:iea"), pct("b", 93, origin="actor:iea"), tolerance=2
    )
    conflict = compare_pct(pct("a", 5, origin="actor:usgs"), pct("b", 6, origin="actor:usgs"))

    assert close.verdict == Verdict.CLOSE
    assert close.standings["a"].relation == Verdict.CLOSE
    assert close.consistent == {"actor:iea": False}
    assert conflict.verdict == Verdict.CONFLICT
    assert conflict.standings["b"].conflicts_with == ("a",)
    assert conflict.consistent == {"actor:usgs": False}


def test_a_claim_agreeing_only_with_its_echoes_stands_single_beside_independent_agreement():
    # Answers of different years are not compared: a and b stand apart from c and d.
    result = compare_question(
        [
            Figure("a", answer="yes", origin="actor:iea", as_of="2024"),
            Figure("b", answer="yes", origin="actor:iea", as_of="2024"),
            Figure("c", answer="no", origin="actor:usgs", as_of="2025"),
            Figure("d", answer="no", origin="actor:cgs", as_of="2025"),
        ],
        kind="boolean",
        unit="",
    )

    assert result.verdict == Verdict.AGREE
    assert result.standings["a"].relation == Verdict.SINGLE
    assert result.standings["c"].relation == Verdict.AGREE
    assert result.standings["c"].independent_agrees == 1


def test_unattributed_claims_never_make_agreement_but_still_conflict():
    unnamed = origin_of(ref="u1", unattributed=True).key
    other_unnamed = origin_of(ref="u2", unattributed=True).key
    agreeing = compare_pct(
        pct("u1", 91, origin=unnamed),
        pct("u2", 91, origin=other_unnamed),
        pct("a", 91, origin="actor:iea"),
    )
    conflicting = compare_pct(pct("u1", 50, origin=unnamed), pct("a", 91, origin="actor:iea"))

    assert agreeing.verdict == Verdict.SINGLE
    assert agreeing.standings["a"].relation == Verdict.SINGLE
    assert agreeing.standings["u1"].relation == Verdict.SINGLE
    assert agreeing.independent_origins == 1
    assert conflicting.verdict == Verdict.CONFLICT
    assert conflicting.standings["u1"].relation == Verdict.CONFLICT


def test_it_does_not_count_origins_of_claims_it_cannot_compare():
    result = compare_pct(pct("a", 90, origin="actor:x"), Figure("b", origin="actor:y"))

    assert result.independent_origins == 1
    assert result.origins == {"actor:x": ["a"], "actor:y": ["b"]}


# --- spread and consensus ---------------------------------------------------------------------


def test_it_spreads_from_the_lowest_to_the_highest_finite_end():
    result = compare_pct(pct("a", 59), pct("b", 70, "about"), pct("c", 93))

    assert result.spread == (59, 93)
    assert result.spread_open == (False, False)


def test_it_spreads_over_the_finite_end_of_an_open_interval():
    result = compare_pct(pct("a", 98, "more_than"), pct("b", 90))

    # "More than 98" adds its 98, not infinity: the page draws 90 – 98+.
    assert result.spread == (90, 98)
    assert result.spread_open == (False, True)


def test_it_spreads_a_lone_open_interval_over_its_one_end():
    result = compare_pct(pct("a", 5, "less_than"))

    assert result.spread == (5, 5)
    assert result.spread_open == (True, False)


def test_it_finds_the_range_the_most_origins_support():
    result = compare_pct(
        pct("ministry", 90, "nearly", origin="actor:x"),  # [85.5, 90]
        pct("iea", 88, "at_least", origin="source:iea"),  # [88, inf)
        pct("usgs", 60, origin="source:usgs"),
    )

    assert result.consensus == Consensus(
        origins=2, refs=("ministry", "iea"), interval=Interval(88, 90)
    )


def test_it_counts_echoes_once_in_the_consensus():
    result = compare_pct(
        pct("a", 60, origin="source:iea"),
        pct("b", 60, origin="source:iea"),
        pct("c", 60, origin="source:iea"),
        pct("d", 90, origin="actor:x"),
        pct("e", 90, "about", origin="actor:y"),
    )

    assert result.consensus.origins == 2
    assert result.consensus.interval == Interval(90, 90)
    assert result.consensus.refs == ("d", "e")


def test_it_respects_open_ends_in_the_consensus():
    result = compare_pct(
        pct("a", 98, "more_than", origin="actor:x"),
        pct("b", 99, "at_most", origin="actor:y"),
        pct("c", 98, "between", value_high=100, origin="actor:w"),
        pct("d", 97, origin="actor:z"),
    )

    # At 98 itself only b and c meet: "more than 98" leaves 98 out. Just above it, a joins them.
    assert result.consensus == Consensus(
        origins=3, refs=("a", "b", "c"), interval=Interval(98, 99, low_open=True)
    )


def test_it_finds_an_open_ended_consensus():
    result = compare_pct(
        pct("a", 98, "more_than", origin="actor:x"),
        pct("b", 99, "at_least", origin="actor:y"),
    )

    assert result.consensus == Consensus(origins=2, refs=("a", "b"), interval=Interval(99, INF))


def test_it_finds_no_consensus_when_two_ranges_tie():
    result = compare_pct(pct("a", 60, origin="actor:x"), pct("b", 90, origin="actor:y"))

    assert result.consensus is None


def test_it_finds_no_consensus_when_different_pairs_of_origins_tie():
    result = compare_pct(
        pct("x", 1, "between", value_high=3, origin="actor:x"),
        pct("y", 2, "between", value_high=5, origin="actor:y"),
        pct("z", 4, "between", value_high=6, origin="actor:z"),
    )

    # x+y share [2, 3] and y+z share [4, 5]: no one range has more origins.
    assert result.consensus is None


def test_it_lists_every_claim_of_the_consensus_origins():
    result = compare_pct(
        pct("a", 88, "between", value_high=91, origin="actor:x"),
        pct("b", 90, origin="actor:x"),
        pct("c", 89, "between", value_high=93, origin="actor:y"),
    )

    # x (through two echoes) and y share [89, 91]; both of x's claims support it.
    assert result.consensus == Consensus(origins=2, refs=("a", "b", "c"), interval=Interval(89, 91))


def test_it_finds_no_consensus_when_one_origin_gives_two_figures():
    result = compare_pct(
        pct("a", 90, origin="actor:x"),
        pct("b", 92, origin="actor:x"),
        pct("c", 88, "between", value_high=93, origin="actor:y"),
    )

    # x and y meet at 90 and again at 92, but x never says anything in between.
    assert result.consensus is None


# --- properties -------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
tolerances = st.floats(min_value=0, max_value=1e4, allow_nan=False)


@st.composite
def intervals(draw):
    low, high = sorted((draw(finite), draw(finite)))
    low = draw(st.sampled_from([low, low, -INF]))
    high = draw(st.sampled_from([high, high, INF]))
    point = low == high
    low_open = not point and math.isfinite(low) and draw(st.booleans())
    high_open = not point and math.isfinite(high) and draw(st.booleans())
    return Interval(low, high, low_open, high_open)


@st.composite
def widened(draw, interval):
    """The same interval or a wider one: ends pushed out, open ends possibly closed."""
    low = interval.low - draw(st.sampled_from([0, 0, 1, 1e3, INF]))
    high = interval.high + draw(st.sampled_from([0, 0, 1, 1e3, INF]))
    low_open = interval.low_open and low == interval.low and draw(st.booleans())
    high_open = interval.high_open and high == interval.high and draw(st.booleans())
    return Interval(low, high, low_open and math.isfinite(low), high_open and math.isfinite(high))


_ORDER = {Relation.AGREE: 0, Relation.CLOSE: 1, Relation.CONFLICT: 2}


@given(intervals(), intervals(), tolerances)
def test_it_relates_symmetrically(a, b, tolerance):
    assert relate(a, b, tolerance) == relate(b, a, tolerance)


@examples(0.5)
@given(intervals(), tolerances)
def test_it_agrees_an_interval_with_itself(a, tolerance):
    assert relate(a, a, tolerance) == Relation.AGREE


@given(st.data(), intervals(), intervals(), tolerances)
def test_it_never_gives_a_worse_relation_to_a_wider_interval(data, a, b, tolerance):
    wider = data.draw(widened(a))

    assert _ORDER[relate(wider, b, tolerance)] <= _ORDER[relate(a, b, tolerance)]
    if relate(a, b, tolerance) == Relation.AGREE:
        assert relate(wider, b, tolerance) == Relation.AGREE


@given(intervals(), intervals(), tolerances, tolerances)
def test_it_never_turns_close_into_conflict_with_a_larger_tolerance(a, b, t1, t2):
    smaller, larger = sorted((t1, t2))
    if relate(a, b, smaller) == Relation.CLOSE:
        assert relate(a, b, larger) == Relation.CLOSE


@given(st.sampled_from(["exact", "about", "nearly", "at_least", "at_most", "between"]), finite)
def test_it_keeps_the_stated_value_inside_its_interval(qualifier, value):
    figure = Figure("c", qualifier, value, value_high=value + 1, unit="t")

    interval, stated = to_interval(figure, "t"), float(Decimal(repr(value)))
    # Inside, an end it sits on closed.
    assert interval.low < stated or (interval.low == stated and not interval.low_open)
    assert stated < interval.high or (stated == interval.high and not interval.high_open)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "about", "more_than", "at_most"]),
            finite,
            st.sampled_from(list(UNITS)),
        ),
        max_size=6,
    )
)
def test_it_never_reports_a_conflict_with_a_claim_of_another_dimension(rows):
    figures = [Figure(f"c{i}", q, v, unit=u) for i, (q, v, u) in enumerate(rows)]
    result = compare_question(figures, kind="quantity", unit="%")

    for (a, b), relation in result.pairs.items():
        if figures[int(a[1:])].unit != "%" or figures[int(b[1:])].unit != "%":
            assert relation == Relation.NOT_COMPARABLE


@examples(0.5)
@given(st.lists(st.tuples(intervals(), st.sampled_from("xyz")), min_size=1, max_size=6))
def test_it_puts_the_consensus_where_its_origins_overlap(rows):
    figures = []
    for i, (iv, origin) in enumerate(rows):
        assume(math.isfinite(iv.low) or math.isfinite(iv.high))
        figures.append(_figure_for(f"c{i}", iv, origin))
    result = compare_pct(*figures)
    consensus = result.consensus
    if consensus is None:
        return

    supporting = {result.standings[ref].origin for ref in consensus.refs}
    assert len(supporting) == consensus.origins
    for ref in consensus.refs:
        assert relate(result.intervals[ref], consensus.interval, 0) == Relation.AGREE


def _figure_for(ref, iv, origin):
    """A figure whose interval is close to `iv` (closed ends; open ends become more/less than)."""
    if iv.low == -INF:
        return pct(ref, iv.high, "at_most", origin=origin)
    if iv.high == INF:
        return pct(ref, iv.low, "at_least", origin=origin)
    return pct(ref, iv.low, "between", value_high=Decimal(repr(iv.high)), origin=origin)


@st.composite
def figures_for_summary(draw):
    """Claims of any shape: qualifiers, units of two dimensions, years, answers and origins."""
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["", *QUALIFIERS]),
                st.one_of(st.none(), st.sampled_from([0, 1, 2, 5, 70, 90, 91, 98, 100]), finite),
                st.sampled_from([0, 1, 3]),
                st.sampled_from(["%", "%", "t", ""]),
                st.sampled_from(["", "", "2024", "2025-11", "2030"]),
                st.sampled_from(["", "yes", "no"]),
                st.sampled_from(["", "x", "y", "unattributed:u", "unattributed:v"]),
            ),
            max_size=7,
        )
    )
    figures = []
    for i, (qualifier, value, width, unit, as_of, answer, origin) in enumerate(rows):
        high = value + width if qualifier == "between" and value is not None else None
        figures.append(Figure(f"c{i}", qualifier, value, high, unit, as_of, answer, origin))
    return figures


@examples(4)
@given(
    figures_for_summary(),
    st.sampled_from(["quantity", "rank", "boolean"]),
    st.sampled_from([0, 0.5, 2, 10]),
)
def test_the_summary_says_what_the_full_comparison_says(figures, kind, tolerance):
    unit = "" if kind != "quantity" else "%"
    full = compare_question(figures, kind=kind, unit=unit, tolerance=tolerance)

    summary = summarise_placed(place_figures(figures, kind=kind, unit=unit), tolerance=tolerance)

    assert summary.verdict == full.verdict
    assert summary.series == full.series
    assert summary.spread == full.spread
    assert summary.spread_open == full.spread_open
    assert summary.independent_origins == full.independent_origins


@examples(1)
@given(
    figures_for_summary(),
    st.sampled_from(["quantity", "rank", "boolean"]),
    st.sampled_from([0, 2]),
)
def test_the_verdict_never_says_agree_without_two_independent_origins(figures, kind, tolerance):
    unit = "" if kind != "quantity" else "%"
    result = compare_question(figures, kind=kind, unit=unit, tolerance=tolerance)

    if result.verdict == Verdict.AGREE:
        agreeing = {
            (result.standings[a].origin, result.standings[b].origin)
            for (a, b), relation in result.pairs.items()
            if relation == Relation.AGREE
        }
        assert any(a != b and independent(a) and independent(b) for a, b in agreeing)
    for standing in result.standings.values():
        if standing.relation == Verdict.AGREE:
            assert standing.independent_agrees >= 1 and independent(standing.origin)


def test_the_summary_of_the_rank_example_is_a_conflict():
    fifth = Figure("fifth", value=5, unit="rank", origin="edm")
    second = Figure("second", value=2, unit="rank", origin="moscow-times")

    placed = place_figures([fifth, second], kind="rank", unit="rank")
    summary = summarise_placed(placed, tolerance=1)

    assert summary.verdict == Verdict.CONFLICT
    assert summary.independent_origins == 2


@st.composite
def questions_with_a_focus(draw):
    """(figures, kind, unit, tolerance, focus): a question's claims and some of them to focus on."""
    figures = draw(figures_for_summary())
    kind = draw(st.sampled_from(["quantity", "rank", "boolean"]))
    refs = [figure.ref for figure in figures]
    focus = draw(st.lists(st.sampled_from(refs), unique=True) if refs else st.just([]))
    unit = "%" if kind == "quantity" else ""
    return figures, kind, unit, draw(st.sampled_from([0, 2])), focus


@examples(3)
@given(questions_with_a_focus())
def test_a_focused_comparison_gives_the_focused_claims_their_full_standing(question):
    figures, kind, unit, tolerance, focus = question
    full = compare_question(figures, kind=kind, unit=unit, tolerance=tolerance)

    focused = compare_question(figures, kind=kind, unit=unit, tolerance=tolerance, focus=focus)

    assert set(focused.standings) == set(focus)
    for ref in focus:
        assert focused.standings[ref] == full.standings[ref]
    assert focused.verdict == full.verdict
    assert (focused.spread, focused.consensus, focused.origins, focused.series) == (
        full.spread,
        full.consensus,
        full.origins,
        full.series,
    )
    assert all(full.pairs[pair] == relation for pair, relation in focused.pairs.items())


@examples(3)
@given(questions_with_a_focus())
def test_claims_placed_once_and_kept_as_json_compare_as_the_figures_do(question):
    # QuestionSummary keeps placed claims as JSON; the source page compares what it reads back.
    figures, kind, unit, tolerance, focus = question
    placed = place_figures(figures, kind=kind, unit=unit)
    kept = json.loads(json.dumps([placed_record(claim) for claim in placed], allow_nan=False))

    read_back = [placed_from_record(record) for record in kept]

    assert read_back == placed
    assert compare_placed(
        read_back, kind=kind, unit=unit, tolerance=tolerance, focus=focus
    ) == compare_question(figures, kind=kind, unit=unit, tolerance=tolerance, focus=focus)


@given(intervals(), st.sampled_from([None, 2025]))
def test_a_placed_interval_reads_back_exactly_with_its_open_and_infinite_ends(interval, year):
    placed = Placed("c1", interval, year, "actor:x")
    # allow_nan=False: strict JSON, as PostgreSQL's jsonb takes it (no Infinity).
    kept = json.loads(json.dumps(placed_record(placed), allow_nan=False))

    assert placed_from_record(kept) == placed


def test_unnamed_reports_support_no_consensus():
    unnamed = [pct(f"u{i}", 21, origin=f"unattributed:u{i}") for i in range(3)]

    result = compare_pct(*unnamed, pct("a", 50, "at_least", origin="actor:iea"))

    assert result.consensus == Consensus(origins=1, refs=("a",), interval=Interval(50, INF))
