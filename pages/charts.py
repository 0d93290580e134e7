"""Geometry for the question page's chart: each claim's interval on one horizontal axis.

Pure on purpose, like claims/comparison.py: plain values in, coordinates out, so it is tested without a
database and the template only draws what it is given (inline SVG, no JavaScript).

Layout, top to bottom: one row per claim (its label on one or two lines, then its bar), then the
value axis with ticks. Horizontal positions are percentages of the chart's width, vertical ones
pixels, and the SVG has no viewBox: its text keeps its CSS size on any screen (a viewBox scaled the
chart's 14 px text to 7-10 px on a phone) while the bars stretch with the width. Labels are wrapped
for the narrowest chart, about 340 px on a 390 px phone.
"""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from claims.comparison import NO_BOUNDS, VERDICT_ORDER, WHOLE_UNITS, Interval, Verdict

from . import display

# Vertical layout, in pixels.
TOP = 6
LINE = 16  # between the baselines of a label's lines
YEAR_HEIGHT = 24  # a year's heading, above its rows
AXIS_HEIGHT = 34
# Horizontal layout, in percent of the width. ROOM is kept between the plot's edge and the values
# for an arrow head (ARROW px long; ROOM is at least that on a 300 px chart).
SIDE = 4.0
ROOM = 3.0
ARROW = 9
# The shortest bar drawn, in percent of the width: a narrower range would vanish (a bar has flat
# ends, which do not run past a bound as round ones would).
MIN_BAR = 1.0
# Characters on one line of a label: 13 px text is about 6.7 px a character in Chromium, and a
# 340 px chart has about 320 px for it; a few to spare for wide letters.
LABEL_CHARS = 44
LABEL_LINES = 2
# The axis spans at least this many tolerances either side of the figures, so that two figures a
# tolerance apart ("close") look close rather than filling the width.
TOLERANCES = 3


@dataclass(frozen=True)
class ChartRow:
    """One claim to draw: its interval in the question's unit and how it stands."""

    label: str
    interval: Interval | None
    relation: str  # a Verdict value: agree, close, conflict, single, superseded
    year: int | None = None
    title: str = ""


@dataclass(frozen=True)
class Line:
    text: str
    y: float


@dataclass(frozen=True)
class Bar:
    lines: list[Line]  # the label, wrapped
    title: str
    css: str
    badge: str  # how its standing reads: "one origin" for single
    text_x: float
    y: float
    x1: float
    x2: float
    point: bool
    arrow_low: bool  # an arrow head at x1: the interval runs on to -∞
    arrow_high: bool  # at x2, to +∞


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class YearMark:
    label: str
    y: float  # the heading's baseline
    line_y: float  # the rule above it


@dataclass(frozen=True)
class Wall:
    """An end of the axis that is a bound of the scale: nothing lies beyond it."""

    x: float
    text: str  # “the scale ends at 100%”


@dataclass(frozen=True)
class Band:
    """The values within the tolerance of a reference figure: x and width, and what it reads."""

    x: float
    width: float
    text: str  # “within 2% of the consensus”


@dataclass(frozen=True)
class Chart:
    height: int
    plot_left: float
    plot_right: float
    axis_y: float
    bars: list[Bar]
    ticks: list[Tick]
    years: list[YearMark]
    consensus: tuple[float, float] | None  # x and width of the shaded consensus band
    tolerance: Band | None
    walls: list[Wall]
    bounds_text: str  # what the walls say together: “the scale runs 0 – 100%”
    legend: list[tuple[str, str]]  # (css, label) of the standings drawn, worst first
    arrows: bool  # whether any bar runs open-ended
    plot_top: float = TOP

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
    bounds: tuple[float, float] = NO_BOUNDS,
    tolerance: float = 0.0,
    drift: float = 0.0,
    consensus: Interval | None = None,
) -> Chart | None:
    """Coordinates for `rows`; None when no row has an interval to draw.

    `bounds` are the question's scale (comparison.scale_bounds: -inf/inf for none); the intervals
    arrive clipped to them, so only an end with no bound on its side is infinite.

    1. The value domain covers every finite end and the consensus, padded by TOLERANCES tolerances
       (a tenth of the spread when that is more, and a whole step for whole units), then clipped
       to the bounds: a share's axis never runs past 100 %, a rank's never before #1. An end that
       reaches a bound is drawn as a wall.
    2. Open ends (−∞, +∞) run to the edge of the plot and end in an arrow head; nothing else does.
    3. The tolerance band: every value within the tolerance of the consensus, else of the median
       figure. The consensus is what most origins support, so "within the tolerance of it" is the
       question a reader asks of each other figure; when two origins tie there is none, and the
       median is the middle of what is said, which one outlier does not move. It is drawn for
       one year; across years the legend adds the drift the comparison allows.
    4. When the rows' years differ, rows are sorted by year under a heading for each year: a
       heading costs height where a gutter would take a sixth of a phone's width, and the value
       axis stays shared, so a change over time reads as the bars moving across, year after year.
    """
    drawable = [row for row in rows if row.interval is not None]
    if not drawable:
        return None
    whole = unit in WHOLE_UNITS  # whole-number ticks: no “#1.8”
    dated = {row.year for row in drawable if row.year is not None}
    by_year = len(dated) > 1
    if by_year:
        drawable.sort(key=lambda row: (row.year is None, row.year or 0))
    intervals = [row.interval for row in drawable]
    low, high = _domain(
        intervals + ([consensus] if consensus else []), tolerance=tolerance, whole=whole
    )
    low, high = max(low, bounds[0]), min(high, bounds[1])
    plot_left, plot_right = SIDE, 100 - SIDE
    inner_left, inner_right = plot_left + ROOM, plot_right - ROOM

    def x_of(value):
        return inner_left + (value - low) / (high - low) * (inner_right - inner_left)

    bars, years = [], []
    top = TOP
    previous_year = object()
    for row in drawable:
        if by_year and row.year != previous_year:
            label = str(row.year) if row.year is not None else "undated"
            years.append(YearMark(label=label, y=top + 17, line_y=top + 1))
            top += YEAR_HEIGHT
            previous_year = row.year
        bar = _bar(row, top, x_of, inner_left, inner_right)
        bars.append(bar)
        top = bar.y + 12

    axis_y = top + 4
    starts, ends = low == bounds[0], high == bounds[1]
    walls = [Wall(inner_left, f"the scale starts at {_value(low, unit)}")] if starts else []
    walls += [Wall(inner_right, f"the scale ends at {_value(high, unit)}")] if ends else []
    if starts and ends:
        bounds_text = f"the scale runs {display.interval_text(Interval(low, high), unit)}"
    else:
        bounds_text = walls[0].text if walls else ""
    return Chart(
        height=int(axis_y + AXIS_HEIGHT),
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=axis_y,
        bars=bars,
        ticks=[
            Tick(x=round(x_of(value), 2), label=format_tick(value, unit))
            for value in nice_ticks(low, high, whole=whole)
        ],
        years=years,
        consensus=_span(consensus, x_of, inner_left, inner_right) if consensus else None,
        tolerance=_tolerance_band(
            drawable, consensus, tolerance, unit, (low, high), x_of, drift if by_year else 0
        ),
        walls=walls,
        bounds_text=bounds_text,
        legend=_legend(drawable),
        arrows=any(bar.arrow_low or bar.arrow_high for bar in bars),
    )


def _bar(row, top, x_of, inner_left, inner_right):
    interval = row.interval
    lines = wrap(row.label)
    y = top + LINE * len(lines) + 12
    open_low = interval.low == -math.inf
    open_high = interval.high == math.inf
    x1 = inner_left if open_low else x_of(interval.low)
    x2 = inner_right if open_high else x_of(interval.high)
    # Only a single value is a dot: a short range, such as “more than 98%” on a 0-100 scale, stays a
    # bar, so that it does not read as one figure.
    point = interval.low == interval.high
    if not point and x2 - x1 < MIN_BAR:
        x1 = min(max((x1 + x2 - MIN_BAR) / 2, inner_left), inner_right - MIN_BAR)
        x2 = x1 + MIN_BAR
    css, badge = display.badge(row.relation)
    return Bar(
        lines=[Line(text, top + 14 + LINE * k) for k, text in enumerate(lines)],
        title=row.title or row.label,
        css=css,
        badge=badge,
        text_x=SIDE,
        y=y,
        x1=round(x1, 2),
        x2=round(x2, 2),
        point=point,
        arrow_low=open_low,
        arrow_high=open_high,
    )


def wrap(label, width=LABEL_CHARS, lines=LABEL_LINES):
    """`label` on at most `lines` lines of `width` characters, broken between words; what does
    not fit ends in “…” (the bar's tooltip has it whole)."""
    words, out = label.split(), [""]
    for word in words:
        joined = f"{out[-1]} {word}" if out[-1] else word
        if len(joined) <= width or not out[-1]:
            out[-1] = joined
        else:
            out.append(word)
    if len(out) > lines or len(out[-1]) > width:
        kept = out[:lines]
        kept[-1] = kept[-1][: width - 1].rstrip() + "…"
        return kept
    return out


def _span(interval, x_of, inner_left, inner_right):
    """x and width of `interval` across the plot; a point still gets a visible band."""
    x1 = inner_left if interval.low == -math.inf else x_of(interval.low)
    x2 = inner_right if interval.high == math.inf else x_of(interval.high)
    if x2 - x1 < 1:
        x1, x2 = (x1 + x2) / 2 - 0.5, (x1 + x2) / 2 + 0.5
    return round(x1, 2), round(x2 - x1, 2)


def _tolerance_band(rows, consensus, tolerance, unit, domain, x_of, drift):
    if not tolerance:
        return None
    if consensus is not None:
        reference, low, high = "the consensus", consensus.low, consensus.high
    else:
        # Superseded claims leave the comparison, so they do not move its middle either.
        counted = [row.interval for row in rows if row.relation != Verdict.SUPERSEDED]
        if not counted:
            return None
        low = high = statistics.median(_position(interval) for interval in counted)
        reference = "the median figure"
    low, high = max(low - tolerance, domain[0]), min(high + tolerance, domain[1])
    x1, x2 = x_of(low), x_of(high)
    text = f"within {display.tolerance_text(tolerance, unit)} of {reference}"
    if drift:
        text += f"; across years, {display.tolerance_text(drift, unit)} more for each year apart"
    return Band(x=round(x1, 2), width=round(x2 - x1, 2), text=text)


def _value(value, unit):
    return display.with_unit(display.number(value, unit), unit)


def _position(interval):
    """One value standing for an interval: its middle, or its finite end when it is open."""
    if interval.low == -math.inf:
        return interval.high
    if interval.high == math.inf:
        return interval.low
    return (interval.low + interval.high) / 2


def _legend(rows):
    relations = sorted(
        {row.relation for row in rows}, key=lambda relation: VERDICT_ORDER.get(relation, 9)
    )
    return [display.badge(relation) for relation in relations]


def _domain(intervals, *, tolerance, whole):
    ends = [end for iv in intervals for end in (iv.low, iv.high) if math.isfinite(end)]
    low, high = min(ends), max(ends)
    pad = max((high - low) * 0.1, TOLERANCES * tolerance)
    # A lone point with no tolerance gets a band of 10 % around it (1 around zero).
    pad = pad or abs(low) * 0.1 or 1.0
    if whole:
        pad = max(pad, 1.0)
    low, high = low - pad, high + pad
    # Room for open ends: “more than 98” needs some length before its arrow to read as a bar.
    span = high - low
    if any(iv.high == math.inf for iv in intervals):
        high += span * 0.25
    if any(iv.low == -math.inf for iv in intervals):
        low -= span * 0.25
    # Figures that are all positive never need a negative axis.
    if min(ends) >= 0:
        low = max(low, 0.0)
    if whole:
        low, high = math.floor(low), math.ceil(high)
    return low, high


def nice_ticks(low, high, count=5, *, whole=False):
    """Round values (steps of 1, 2 or 5 times a power of ten) from `low` to `high`; whole numbers
    only when `whole`."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return []
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    if whole:
        # Every rank while they fit (#2 to #12 shows each place, not just #5 and #10).
        step = 1 if high - low <= 15 else max(step, 1)
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
