"""The question page's chart as a phone shows it, in real headless Chromium (see test_browser.py).

Measured, not assumed: the rendered size of every piece of chart text (its CSS size times the scale
the SVG is drawn at), that nothing runs off the chart, and where bars end against a bound. Each
chart is also saved to test-artifacts/ for a person to look at.
"""

import re

import pytest

from tests.conftest import make_claim, make_question
from tests.pages import test_browser
from tests.pages.test_browser import ARTIFACTS, browser, demo  # noqa: F401 (fixtures)

pytestmark = test_browser.pytestmark
PHONE = {"width": 390, "height": 844}

# Every <text> of the chart: its rendered font size in CSS px and its box, and the chart's box.
MEASURE = """() => {
  const svg = document.querySelector("svg.interval-chart");
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].map((text) => {
    const rect = text.getBoundingClientRect();
    return {
      text: text.textContent,
      size: parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a,
      height: rect.height, left: rect.left, right: rect.right,
    };
  });
  return {left: box.left, right: box.right, texts};
}"""


def _phone_chart(browser, url, name):  # noqa: F811 (the fixture)
    page = browser.new_page(viewport=PHONE, device_scale_factor=2)
    page.goto(url)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("figure.chart").screenshot(path=ARTIFACTS / f"chart-{name}-phone.png")
    return page


def _assert_legible(page):
    chart = page.evaluate(MEASURE)
    assert chart["texts"]
    for text in chart["texts"]:
        assert text["size"] >= 11, text
        assert text["height"] >= 11, text
        # Inside the chart: an SVG cuts off what runs past its edge.
        assert chart["left"] <= text["left"] and text["right"] <= chart["right"], text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _centre_x(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2


def test_the_magnets_chart_reads_close_on_a_phone(live_server, demo, browser):  # noqa: F811
    page = _phone_chart(browser, live_server.url + "/questions/china-share-ree-magnets/", "magnets")
    _assert_legible(page)
    chart = page.locator("svg.interval-chart")
    assert chart.locator("g.bar.close").count() == 2
    # 93 % and 94 % with a tolerance of 2: close, and drawn close, both within the tolerance band.
    dots = [_centre_x(dot) for dot in chart.locator("g.bar circle").all()]
    band = chart.locator("rect.tolerance").bounding_box()
    width = chart.bounding_box()["width"]
    assert abs(dots[0] - dots[1]) < width / 8
    assert all(band["x"] < x < band["x"] + band["width"] for x in dots)
    # The legend lists the one standing drawn.
    assert page.locator("figure.chart figcaption .badge").all_inner_texts() == ["close"]


def test_the_rank_chart_reads_on_a_phone(live_server, demo, browser):  # noqa: F811
    page = _phone_chart(
        browser, live_server.url + "/questions/russia-ree-reserves-world-rank/", "rank"
    )
    _assert_legible(page)
    ticks = page.locator("svg.interval-chart text.tick").all_text_contents()
    assert ticks and all(re.fullmatch(r"#\d+", tick) for tick in ticks)
    assert ticks[0] == "#1"
    assert page.locator("figure.chart figcaption .badge").all_inner_texts() == ["conflict"]


@pytest.fixture
def bounded_share():
    question = make_question(lower_bound=0, upper_bound=100, tolerance=2)
    make_claim(question=question, qualifier="more_than", value=98, unit="%", as_of="2023")
    make_claim(question=question, qualifier="about", value=98, unit="%", as_of="2024")
    make_claim(question=question, value=90, unit="%", as_of="2025")
    return question


def test_a_bounded_share_stops_at_its_bound_on_a_phone(live_server, bounded_share, browser):  # noqa: F811
    page = _phone_chart(browser, live_server.url + bounded_share.get_absolute_url(), "share")
    _assert_legible(page)
    chart = page.locator("svg.interval-chart")
    # Where lines end, in the chart's pixels (a box would add half the stroke on every side).
    wall, *ends = page.evaluate(
        """() => [...document.querySelectorAll("svg.interval-chart line.wall, g.bar line")]
          .map((line) => Math.max(line.x1.baseVal.value, line.x2.baseVal.value))"""
    )
    # “more than 98 %” and “about 98 %” are bars that end at 100 %, with no arrow past it.
    assert chart.locator("line.wall").count() == 1 and len(ends) == 2
    assert ends == [pytest.approx(wall, abs=0.5)] * 2
    assert chart.locator("svg.arrow").count() == 0
    assert chart.locator("text.tick").all_text_contents()[-1] == "100%"
    # Three years: a heading for each, in order.
    assert chart.locator("text.year").all_text_contents() == ["2023", "2024", "2025"]
    caption = page.locator("figure.chart figcaption").inner_text()
    assert "the scale runs" not in caption and "the scale ends at 100%" in caption
    assert "an arrow" not in caption
