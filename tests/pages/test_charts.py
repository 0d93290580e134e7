import math

import pytest

from claims.comparison import Interval
from pages.charts import (
    LABEL_CHARS,
    MIN_BAR,
    ChartRow,
    format_tick,
    interval_chart,
    nice_ticks,
    wrap,
)

SHARE = (0.0, 100.0)  # comparison.scale_bounds for a share of a whole
RANK = (1.0, math.inf)  # and for a rank


def _row(label, low, high=None, relation="conflict", **fields):
    return ChartRow(
        label=label,
        interval=Interval(low, low if high is None else high),
        relation=relation,
        **fields,
    )


def _plot(chart):
    """The values' part of the plot, between the room left for arrow heads."""
    return chart.ticks[0].x, chart.ticks[-1].x


def test_it_draws_nothing_without_intervals():
    assert interval_chart([ChartRow(label="yes", interval=None, relation="agree")]) is None
    assert interval_chart([]) is None


def test_it_places_points_left_to_right_within_the_plot():
    chart = interval_chart([_row("A: #5", 5), _row("B: #2", 2)], unit="rank", bounds=RANK)
    five, two = chart.bars
    assert five.point and two.point
    assert chart.plot_left < two.x1 < five.x1 < chart.plot_right
    assert five.css == "conflict" and five.badge == "conflict"


def test_a_rank_axis_has_whole_number_ticks_from_one():
    # 2 and 3 once gave ticks of #1.8 and #2.1 and an axis starting before #1.
    chart = interval_chart([_row("A: #2", 2), _row("B: #3", 3)], unit="rank", bounds=RANK)
    labels = [tick.label for tick in chart.ticks]
    assert labels == ["#1", "#2", "#3", "#4"]
    # #1 is the end of the scale: a wall, nothing drawn to its left.
    assert [wall.x for wall in chart.walls] == [chart.ticks[0].x]
    assert chart.bounds_text == "the scale starts at #1"


def test_a_close_pair_looks_close():
    # 93 % and 94 % with a tolerance of 2 once filled the whole width, as if far apart.
    chart = interval_chart(
        [_row("A: 93%", 93, relation="close"), _row("B: 94%", 94, relation="close")],
        unit="%",
        bounds=SHARE,
        tolerance=2,
    )
    a, b = chart.bars
    assert [tick.label for tick in chart.ticks] == ["90%", "95%", "100%"]
    assert chart.walls[-1].text == "the scale ends at 100%"
    # The axis spans three tolerances either side, 87-100 once clipped at 100: the values' 86 % of
    # the width hold 13 points, and the pair is one point apart.
    per_point = (chart.ticks[1].x - chart.ticks[0].x) / 5
    assert per_point == pytest.approx(86 / 13, abs=0.01)
    assert b.x1 - a.x1 == pytest.approx(per_point, abs=0.01)
    band = chart.tolerance
    assert band.x < a.x1 < b.x1 < band.x + band.width


def test_without_a_tolerance_the_figures_fill_the_plot():
    chart = interval_chart([_row("A: 93%", 93), _row("B: 94%", 94)], unit="%", bounds=SHARE)
    a, b = chart.bars
    # Padded by a tenth of the spread only: the two sit well apart.
    assert b.x1 - a.x1 > 60
    assert chart.tolerance is None


def test_the_tolerance_band_is_around_the_median_figure_without_a_consensus():
    chart = interval_chart(
        [_row("A: 10%", 10), _row("B: 20%", 20), _row("C: 90%", 90)],
        unit="%",
        bounds=SHARE,
        tolerance=2,
    )
    a, b, c = chart.bars
    band = chart.tolerance
    # 20 ± 2: the outlier at 90 does not move it, as it would move a mean.
    per_point = (c.x1 - a.x1) / 80
    assert band.x == pytest.approx(b.x1 - 2 * per_point, abs=0.02)
    assert band.width == pytest.approx(4 * per_point, abs=0.02)
    assert band.text == "within 2% of the median figure"


def test_across_years_the_band_says_the_drift_allowed():
    rows = [_row("A", 10, year=2024), _row("B", 20, year=2025)]
    chart = interval_chart(rows, unit="%", tolerance=2, drift=1)
    assert chart.tolerance.text == (
        "within 2% of the median figure; across years, 1% more for each year apart"
    )
    # Within one year the drift plays no part.
    same_year = interval_chart(rows[:1], unit="%", tolerance=2, drift=1)
    assert same_year.tolerance.text == "within 2% of the median figure"


def test_the_tolerance_band_is_around_the_consensus_when_there_is_one():
    chart = interval_chart(
        [_row("A: 20–30%", 20, 30, "agree"), _row("B: 25%", 25, relation="agree")],
        unit="%",
        tolerance=2,
        consensus=Interval(25, 25),
    )
    point = chart.bars[1].x1
    x, width = chart.consensus
    assert x <= point <= x + width
    bar = chart.bars[0]
    per_point = (bar.x2 - bar.x1) / 10
    assert chart.tolerance.x == pytest.approx(point - 2 * per_point, abs=0.02)
    assert chart.tolerance.text == "within 2% of the consensus"


def test_superseded_claims_do_not_move_the_median():
    rows = [_row("A", 10), _row("B", 20), _row("old C", 90, relation="superseded")]
    chart = interval_chart(rows, unit="%", tolerance=2)
    per_point = (chart.bars[1].x1 - chart.bars[0].x1) / 10
    # The median of 10 and 20 is 15 (of all three, 20): the band starts at 13, 3 points past A.
    assert chart.tolerance.x == pytest.approx(chart.bars[0].x1 + 3 * per_point, abs=0.02)
    assert chart.bars[2].css == "superseded"


def test_it_draws_open_ends_as_arrows_to_the_edge():
    chart = interval_chart(
        [
            ChartRow(label="more than 98", interval=Interval(98, math.inf, True), relation="c"),
            ChartRow(
                label="less than 5", interval=Interval(-math.inf, 5, False, True), relation="c"
            ),
            _row("90", 90, relation="c"),
        ],
        unit="t",
    )
    more, less, ninety = chart.bars
    assert more.arrow_high and not more.arrow_low
    assert chart.plot_left < more.x2 < chart.plot_right and not more.point
    assert less.arrow_low and not less.arrow_high
    assert chart.plot_left < less.x1
    assert not ninety.arrow_low and not ninety.arrow_high
    assert less.x2 < ninety.x1 < more.x1
    assert chart.arrows and chart.walls == []


def test_a_bounded_scale_never_draws_past_its_bounds():
    # As the comparison clips them: "more than 98 %" is (98, 100], "about 98 %" [93.1, 100] and
    # "less than 5 %" [0, 5): finite intervals, drawn as bars to the bound, not arrows.
    chart = interval_chart(
        [
            ChartRow(label="more than 98%", interval=Interval(98, 100, True), relation="c"),
            _row("about 98%", 93.1, 100, "c"),
            ChartRow(label="less than 5%", interval=Interval(0, 5, False, True), relation="c"),
        ],
        unit="%",
        bounds=SHARE,
        tolerance=2,
    )
    more, about, less = chart.bars
    low_wall, high_wall = chart.walls
    assert not chart.arrows
    assert more.x2 == about.x2 == high_wall.x and less.x1 == low_wall.x
    # A short range stays a bar: a dot would read as one figure.
    assert not more.point and more.x1 < more.x2
    assert all(low_wall.x <= tick.x <= high_wall.x for tick in chart.ticks)
    assert chart.ticks[0].label == "0%" and chart.ticks[-1].label == "100%"
    assert chart.tolerance.x >= low_wall.x
    assert chart.tolerance.x + chart.tolerance.width <= high_wall.x + 0.01
    assert chart.bounds_text == "the scale runs 0 – 100%"


def test_an_axis_not_at_a_bound_has_no_wall():
    chart = interval_chart([_row("A", 40), _row("B", 60)], unit="%", bounds=SHARE)
    assert chart.walls == [] and chart.bounds_text == ""
    assert chart.ticks[0].label != "0%"


def test_a_very_narrow_range_stays_visible():
    chart = interval_chart([_row("A", 10, 10.001), _row("B", 90)], unit="t")
    narrow = chart.bars[0]
    assert not narrow.point
    assert narrow.x2 - narrow.x1 == pytest.approx(MIN_BAR)


def test_a_range_is_a_bar_and_the_consensus_a_band():
    chart = interval_chart(
        [
            _row("about 28.5 Mt", 27.075e6, 29.925e6, "agree"),
            _row("28.5 Mt", 28.5e6, relation="agree"),
        ],
        unit="t",
        consensus=Interval(28.5e6, 28.5e6),
    )
    bar, point = chart.bars
    assert not bar.point and bar.x1 < point.x1 < bar.x2
    x, width = chart.consensus
    assert x <= point.x1 <= x + width
    assert all(tick.label.endswith("M t") for tick in chart.ticks)


def test_the_legend_lists_only_the_standings_drawn_worst_first():
    chart = interval_chart(
        [
            _row("A", 1, relation="single"),
            _row("B", 2, relation="agree"),
            _row("C", 3, relation="conflict"),
            _row("D", 4, relation="conflict"),
        ]
    )
    assert chart.legend == [("conflict", "conflict"), ("agree", "agree"), ("single", "one origin")]
    lone = interval_chart([_row("A", 1, relation="single")])
    assert lone.legend == [("single", "one origin")]


def test_different_years_get_a_time_axis_in_year_order():
    chart = interval_chart(
        [
            _row("2030 target", 3, relation="single", year=2030),
            _row("undated", 2, relation="single"),
            _row("2025", 1, relation="single", year=2025),
            _row("2025 again", 1.5, relation="single", year=2025),
        ]
    )
    assert [year.label for year in chart.years] == ["2025", "2030", "undated"]
    assert [bar.lines[0].text for bar in chart.bars] == [
        "2025",
        "2025 again",
        "2030 target",
        "undated",
    ]
    first, second, third = chart.years
    # Each heading sits above its year's rows, and below the rows of the year before.
    assert first.y < chart.bars[0].lines[0].y
    assert chart.bars[1].y < second.line_y < second.y < chart.bars[2].lines[0].y
    assert chart.bars[2].y < third.line_y


def test_no_time_axis_when_years_agree():
    chart = interval_chart(
        [
            _row("a", 1, 2, relation="agree", year=2025),
            _row("b", 1, relation="agree", year=2025),
            _row("undated", 2, relation="agree"),
        ]
    )
    assert chart.years == []
    assert [bar.lines[0].text for bar in chart.bars] == ["a", "b", "undated"]
    assert chart.height > chart.axis_y


def test_long_labels_wrap_onto_two_lines_and_rows_make_room():
    label = "International Energy Agency (in The Jamestown Foundation): 94%"
    chart = interval_chart([_row(label, 94, title=label + " — in “EDM”"), _row("B: 93%", 93)])
    long, short = chart.bars
    # Broken between words, each line at most LABEL_CHARS long (44: 35 + " Jamestown" is over).
    assert [line.text for line in long.lines] == [
        "International Energy Agency (in The",
        "Jamestown Foundation): 94%",
    ]
    assert all(len(line.text) <= LABEL_CHARS for line in long.lines)
    assert len(long.lines) == 2 and len(short.lines) == 1
    assert long.lines[1].y < long.y < short.lines[0].y
    assert long.title == label + " — in “EDM”"


def test_wrap():
    assert wrap("The EurAsian Times: #5") == ["The EurAsian Times: #5"]
    assert wrap("aa bb cc dd", width=5) == ["aa bb", "cc dd"]
    assert wrap("aa bb cc dd ee", width=5) == ["aa bb", "cc d…"]
    # A word longer than a line is cut, not left to run off the chart.
    assert wrap("abcdefghij", width=5) == ["abcd…"]


def test_nice_ticks_are_round():
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(85.5, 91) == [86, 88, 90]
    assert nice_ticks(5, 5) == []
    assert nice_ticks(1, 3, whole=True) == [1, 2, 3]
    assert nice_ticks(1, 3) == [1, 1.5, 2, 2.5, 3]


def test_format_tick():
    assert format_tick(27_000_000, "t") == "27M t"
    assert format_tick(90, "%") == "90%"
    assert format_tick(2, "rank") == "#2"
    assert format_tick(3000, "t") == "3,000 t"
    assert format_tick(7, "count") == "7"


def test_rank_ticks_show_every_place_while_they_fit():
    assert nice_ticks(1, 12, whole=True) == list(range(1, 13))
    # Beyond fifteen places, round steps of whole numbers.
    assert nice_ticks(1, 60, whole=True) == [20, 40, 60]
