"""Geometry for the question page's chart: each claim's interval on one horizontal axis.

Pure on purpose, like claims/comparison.py: plain values in, coordinates out, so it is tested without a
database and the template only draws what it is given (inline SVG, no JavaScript).

Layout, top to bottom: one row per claim (a label, then its bar), then the value axis with ticks.
When the claims' as-of years differ, rows are ordered by year and a time axis in the left gutter
labels each year's rows: a series reads downwards in time instead of passing for a contradiction.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from claims.comparison import Interval

from . import display

WIDTH = 480
ROW_HEIGHT = 42
TOP = 8
AXIS_HEIGHT = 34
YEAR_GUTTER = 52
SIDE = 10
ARROW = 9
POINT_RADIUS = 5


@dataclass(frozen=True)
class ChartRow:
    """One claim to draw: its interval in the question's unit and how it stands."""

    label: str
    interval: Interval | None
    relation: str  # a Verdict value: agree, close, conflict, single, not comparable
    year: int | None = None
    title: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    title: str
    relation: str
    css: str
    text_x: float
    text_y: float
    y: float
    x1: float
    x2: float
    point: bool
    arrow_low: str  # SVG polygon points of the arrow head at an open low end, or ""
    arrow_high: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class YearMark:
    label: str
    y: float  # where the label sits
    line_y: float  # the rule above the year's first row


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    axis_y: float
    bars: list[Bar]
    ticks: list[Tick]
    years: list[YearMark]
    consensus: tuple[float, float] | None  # x and width of the shaded consensus band
    plot_top: float

    @property
    def plot_height(self):
        return self.axis_y - self.plot_top

    @property
    def tick_end(self):
        return self.axis_y + 5

    @property
    def tick_label_y(self):
        return self.axis_y + 20


def interval_chart(
    rows: Sequence[ChartRow],
    *,
    unit: str = "",
    consensus: Interval | None = None,
    series: bool = False,
) -> Chart | None:
    """Coordinates for `rows`; None when no row has an interval to draw.

    1. The value domain covers every finite end (and the consensus), padded a little; a single
       point gets a band around it so it does not sit on the edge.
    2. Open ends (−∞, +∞) run to the edge of the plot and end in an arrow head.
    3. For a series, rows are sorted by year and each year is labelled in the gutter.
    """
    drawable = [row for row in rows if row.interval is not None]
    if not drawable:
        return None
    if series:
        drawable.sort(key=lambda row: (row.year is None, row.year or 0))
    low, high = _domain([row.interval for row in drawable] + ([consensus] if consensus else []))
    # Room for open ends: “more than 98” needs some length before its arrow to read as a bar.
    span = high - low
    if any(row.interval.high == math.inf for row in drawable):
        high += span * 0.25
    if any(row.interval.low == -math.inf for row in drawable):
        low = max(low - span * 0.25, 0.0) if low >= 0 else low - span * 0.25
    plot_left = float(YEAR_GUTTER if series else SIDE)
    plot_right = float(WIDTH - SIDE)
    inner_left, inner_right = plot_left + ARROW + 2, plot_right - ARROW - 2

    def x_of(value):
        return inner_left + (value - low) / (high - low) * (inner_right - inner_left)

    bars, years = [], []
    previous_year = object()
    for index, row in enumerate(drawable):
        top = TOP + index * ROW_HEIGHT
        if series and row.year != previous_year:
            label = str(row.year) if row.year is not None else "undated"
            years.append(YearMark(label=label, y=top + 30, line_y=top))
            previous_year = row.year
        bars.append(_bar(row, top, x_of, plot_left, plot_right))

    axis_y = TOP + len(drawable) * ROW_HEIGHT + 4
    return Chart(
        width=WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=axis_y,
        bars=bars,
        ticks=[
            Tick(x=round(x_of(value), 1), label=format_tick(value, unit))
            for value in nice_ticks(low, high)
        ],
        years=years,
        consensus=_band(consensus, x_of, plot_left, plot_right),
        plot_top=TOP,
    )


def _bar(row, top, x_of, plot_left, plot_right):
    interval = row.interval
    y = top + 30
    open_low = interval.low == -math.inf
    open_high = interval.high == math.inf
    x1 = plot_left + ARROW if open_low else x_of(interval.low)
    x2 = plot_right - ARROW if open_high else x_of(interval.high)
    point = not (open_low or open_high) and x2 - x1 < 2 * POINT_RADIUS
    if point:
        x1 = x2 = (x1 + x2) / 2
    return Bar(
        label=row.label,
        title=row.title or row.label,
        relation=row.relation,
        css=row.relation.replace(" ", "-"),
        text_x=plot_left,
        text_y=top + 15,
        y=y,
        x1=round(x1, 1),
        x2=round(x2, 1),
        point=point,
        arrow_low=_arrow(plot_left + ARROW, y, -1) if open_low else "",
        arrow_high=_arrow(plot_right - ARROW, y, 1) if open_high else "",
    )


def _arrow(x, y, direction):
    """A triangle whose base is at x and whose tip points left (-1) or right (1)."""
    tip = x + direction * ARROW
    return f"{x:.1f},{y - 6:.1f} {tip:.1f},{y:.1f} {x:.1f},{y + 6:.1f}"


def _band(consensus, x_of, plot_left, plot_right):
    if consensus is None:
        return None
    x1 = plot_left if consensus.low == -math.inf else x_of(consensus.low)
    x2 = plot_right if consensus.high == math.inf else x_of(consensus.high)
    # A point consensus still gets a visible band.
    if x2 - x1 < 4:
        x1, x2 = (x1 + x2) / 2 - 2, (x1 + x2) / 2 + 2
    return round(x1, 1), round(x2 - x1, 1)


def _domain(intervals):
    ends = [end for iv in intervals for end in (iv.low, iv.high) if math.isfinite(end)]
    if not ends:
        return 0.0, 1.0
    low, high = min(ends), max(ends)
    # A lone point gets a band of 10 % around it (1 around zero), so it is not on the edge.
    pad = (high - low) * 0.1 if high > low else abs(low) * 0.1 or 1.0
    # Figures that are all positive never need a negative axis.
    floor = 0.0 if low >= 0 else -math.inf
    return max(low - pad, floor), high + pad


def nice_ticks(low, high, count=5):
    """Round values (steps of 1, 2 or 5 times a power of ten) from `low` to `high`."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return []
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def format_tick(value, unit=""):
    """A short axis label: 27,000,000 t → “27M t”, 90 % → “90%”, rank 2 → “#2”, factor 3 → “3 x”.

    Six significant digits at most once shortened, and a factor's “x” apart: as the ticks have
    always read (the figures beside the chart write “3×”, display.with_unit).
    """
    if unit == "rank":
        return display.number(value, unit, grouping=False, digits=6)
    magnitude = abs(value)
    if magnitude >= 1e9:
        text = display.number(value / 1e9, grouping=False, digits=6) + "bn"
    elif magnitude >= 1e6:
        text = display.number(value / 1e6, grouping=False, digits=6) + "M"
    elif magnitude >= 1e4:
        text = display.number(value / 1e3, grouping=False, digits=6) + "k"
    else:
        text = display.number(value)
    return display.with_unit(text, unit, times=" x")
