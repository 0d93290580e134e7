import math

from claims.comparison import Interval
from pages.charts import ChartRow, format_tick, interval_chart, nice_ticks


def test_it_draws_nothing_without_intervals():
    assert interval_chart([ChartRow(label="yes", interval=None, relation="agree")]) is None
    assert interval_chart([]) is None


def test_it_places_points_left_to_right_within_the_plot():
    chart = interval_chart(
        [
            ChartRow(label="A: #5", interval=Interval(5, 5), relation="conflict"),
            ChartRow(label="B: #2", interval=Interval(2, 2), relation="conflict"),
        ],
        unit="rank",
    )
    five, two = chart.bars
    assert five.point and two.point
    assert chart.plot_left < two.x1 < five.x1 < chart.plot_right
    assert five.css == "conflict"
    assert [tick.label for tick in chart.ticks][:1] == ["#2"]


def test_it_draws_open_ends_as_arrows_to_the_edge():
    chart = interval_chart(
        [
            ChartRow(label="more than 98%", interval=Interval(98, math.inf, True), relation="c"),
            ChartRow(
                label="less than 5%", interval=Interval(-math.inf, 5, False, True), relation="c"
            ),
            ChartRow(label="90%", interval=Interval(90, 90), relation="c"),
        ],
        unit="%",
    )
    more, less, ninety = chart.bars
    assert more.arrow_high and not more.arrow_low
    assert more.x2 < chart.plot_right and not more.point
    assert less.arrow_low and not less.arrow_high
    assert less.x1 > chart.plot_left
    assert not ninety.arrow_low and not ninety.arrow_high
    assert less.x2 < ninety.x1 < more.x1


def test_a_range_is_a_bar_and_the_consensus_a_band():
    chart = interval_chart(
        [
            ChartRow(
                label="about 28.5 Mt", interval=Interval(27.075e6, 29.925e6), relation="agree"
            ),
            ChartRow(label="28.5 Mt", interval=Interval(28.5e6, 28.5e6), relation="agree"),
        ],
        unit="t",
        consensus=Interval(28.5e6, 28.5e6),
    )
    bar, point = chart.bars
    assert not bar.point and bar.x1 < point.x1 < bar.x2
    x, width = chart.consensus
    assert x <= point.x1 <= x + width
    assert all(tick.label.endswith("M t") for tick in chart.ticks)


def test_a_series_gets_a_time_axis_in_year_order():
    chart = interval_chart(
        [
            ChartRow(label="2030 target", interval=Interval(3, 3), relation="single", year=2030),
            ChartRow(label="2025", interval=Interval(1, 1), relation="single", year=2025),
        ],
        series=True,
    )
    assert [year.label for year in chart.years] == ["2025", "2030"]
    assert [bar.label for bar in chart.bars] == ["2025", "2030 target"]
    assert chart.plot_left > 0 and chart.years[0].y < chart.years[1].y


def test_no_time_axis_when_years_agree():
    chart = interval_chart([ChartRow(label="a", interval=Interval(1, 2), relation="agree")])
    assert chart.years == []
    assert chart.height > chart.axis_y


def test_nice_ticks_are_round():
    assert nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(85.5, 91) == [86, 88, 90]
    assert nice_ticks(5, 5) == []


def test_format_tick():
    assert format_tick(27_000_000, "t") == "27M t"
    assert format_tick(90, "%") == "90%"
    assert format_tick(2, "rank") == "#2"
    assert format_tick(3000, "t") == "3,000 t"
    assert format_tick(7, "count") == "7"
