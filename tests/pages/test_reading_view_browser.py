"""The reading view (sources/<slug>/text/) in real headless Chromium: from a question page, a claim
row's "see in context" lands on the source's text scrolled to the claim's highlighted quote, and
the claim's link below its paragraph leads to the claim's page (see tests/pages/test_browser.py
for what the browser tests need)."""

from claims.models import Claim
from tests.pages import test_browser
from tests.pages.test_browser import browser, demo  # noqa: F401 (the fixtures)

pytestmark = test_browser.pytestmark

# site.css: mark.quote's yellow, and the outline of the one the address points to (:target).
HIGHLIGHT = "rgb(255, 243, 176)"
TARGET_OUTLINE = "rgb(217, 72, 15)"


def _deepest_quote():
    """The public claim on a question whose quote stands furthest into its source's text: the one
    a reader could only reach by scrolling, so landing on it shows the page scrolled there."""
    claims = (
        Claim.objects.filter(status="checked", quote_found=True, question__isnull=False)
        .exclude(quote="")
        .select_related("source", "question")
    )
    return max(claims, key=lambda c: c.source.text.find(c.quote) / max(1, len(c.source.text)))


def test_see_in_context_lands_on_the_highlighted_quote_and_links_to_its_claim(
    live_server,
    demo,  # noqa: F811
    browser,  # noqa: F811
):
    claim = _deepest_quote()
    page = browser.new_page(viewport={"width": 1280, "height": 700})

    page.goto(live_server.url + claim.question.get_absolute_url())
    page.locator(f'a.in-context[href$="#claim-{claim.ref}"]').click()

    page.wait_for_url(f"**/sources/{claim.source.slug}/text/#claim-{claim.ref}")
    mark = page.locator(f"mark#claim-{claim.ref}")
    assert claim.quote.startswith(mark.inner_text()[:40])
    assert page.evaluate("document.querySelector(':target').id") == f"claim-{claim.ref}"
    # The browser scrolled to it: the quote is in the viewport, the page's top is not.
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] <= 700 - box["height"]
    assert page.evaluate("window.scrollY") > 0
    style = mark.evaluate(
        "m => { const s = getComputedStyle(m); return [s.backgroundColor, s.outlineColor]; }"
    )
    assert style == [HIGHLIGHT, TARGET_OUTLINE]

    # Below its paragraph, the "↑" back to the quote and the claim's link on the same line.
    row = page.locator("ul.in-text li", has=page.locator(f'a[href="#claim-{claim.ref}"]'))
    row.locator(f'a[href="{claim.get_absolute_url()}"]').click()
    page.wait_for_url(f"**{claim.get_absolute_url()}")
    assert claim.ref in page.content()
    page.close()
