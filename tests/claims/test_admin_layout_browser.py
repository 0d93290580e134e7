"""The claim list and a source's page as a curator uses them, in real headless Chromium.

At a 1,400 px window (the admin's navigation sidebar open) the claim list of the demo data fits
without scrolling sideways, its question filter is picked from a searchable list, and three claims
go into a source in a row without retyping its source, speaker or question. Screenshots go to
test-artifacts/ (see tests/pages/test_browser.py for what the browser tests need).
"""

import pytest
from django.test import Client

from claims.models import Claim
from sources.models import Source
from tests.conftest import make_user
from tests.pages import test_browser
from tests.pages.test_browser import ARTIFACTS, browser, demo  # noqa: F401 (fixtures)

pytestmark = test_browser.pytestmark
WINDOW = {"width": 1400, "height": 900}
SOURCE = "eurasian-times-2025-09-palve"  # the demo's source with the most claims

# How far right each column of the first row of the list ends, and how wide the page, the list's
# scrolling box and the window are.
MEASURE = """() => {
  const results = document.querySelector("#changelist .results");
  const row = document.querySelector("#result_list tbody tr");
  const ends = Object.fromEntries([...row.querySelectorAll("td, th")].map(
    (cell) => [cell.className.split(" ")[0], cell.getBoundingClientRect().right]));
  return {
    window: document.documentElement.clientWidth,
    page: document.documentElement.scrollWidth,
    results: results.scrollWidth, box: results.clientWidth, ends,
  };
}"""


@pytest.fixture
def curator_page(live_server, browser):  # noqa: F811 (the fixture)
    """A browser tab logged in as a curator (the session made by Django's test client)."""
    client = Client()
    client.force_login(make_user("curator"))
    context = browser.new_context(viewport=WINDOW)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"admin-{name}.png", full_page=True)


def _assert_list_fits(page):
    size = page.evaluate(MEASURE)
    assert size["page"] <= size["window"] <= WINDOW["width"], size
    assert size["results"] <= size["box"], size  # the list's own box does not scroll either
    for column in ["field-ref", "field-figure", "field-status", "field-quote_found"]:
        assert size["ends"][column] <= size["window"], (column, size)


def test_the_claim_list_fits_a_1400_px_window(live_server, demo, curator_page):  # noqa: F811
    page = curator_page
    page.goto(live_server.url + "/admin/claims/claim/")
    _shot(page, "claims-1400")
    _assert_list_fits(page)
    assert page.locator("#result_list tbody tr").count() == 50


def test_the_question_filter_is_picked_from_a_searchable_list(live_server, demo, curator_page):  # noqa: F811
    page = curator_page
    page.goto(live_server.url + "/admin/claims/claim/")
    page.locator('details[data-filter-title="question"] .select2-selection').click()
    page.locator(".select2-search__field").fill("processing")
    page.locator(".select2-results__option", has_text="processing and refining").click()

    page.wait_for_url("**/admin/claims/claim/?question=china-share-ree-processing")
    _shot(page, "claims-by-question")
    refs = page.locator("#result_list tbody .field-ref").all_inner_texts()
    expected = Claim.objects.filter(question__slug="china-share-ree-processing")
    assert sorted(refs) == sorted(expected.values_list("ref", flat=True))
    chosen = page.locator('details[data-filter-title="question"] .select2-selection__rendered')
    assert "processing and refining" in chosen.inner_text()
    # The long title chosen is cut short in the sidebar, which does not widen over the list.
    _assert_list_fits(page)


def test_three_claims_go_into_a_source_in_a_row(live_server, demo, curator_page):  # noqa: F811
    page = curator_page
    source = Source.objects.get(slug=SOURCE)
    last = source.claims.order_by("-pk").select_related("speaker", "question").first()
    page.goto(live_server.url + f"/admin/sources/source/{source.pk}/change/")
    _shot(page, "source-page")
    # The table of its claims fits the window too.
    width = page.evaluate(
        """() => [document.documentElement.scrollWidth, document.documentElement.clientWidth,
          document.querySelector("#claims-group .tabular").scrollWidth,
          document.querySelector("#claims-group .tabular").clientWidth]"""
    )
    assert width[0] <= width[1] and width[2] <= width[3], width
    page.get_by_role("link", name="Add a claim to this source").click()

    for n in (1, 2, 3):
        page.wait_for_selector("#claim_form")
        # Filled in: the source, and the speaker and question of the source's last claim.
        assert page.locator("#id_source").input_value() == str(source.pk)
        assert page.locator("#id_question").input_value() == str(last.question_id or "")
        assert page.locator("#id_speaker").input_value() == str(last.speaker_id or "")
        page.fill("#id_ref", f"browser-claim-{n}")
        page.fill("#id_quote", f"Quote number {n}.")
        if n < 3:
            page.get_by_role("button", name="Save and add another").click()
        else:
            _shot(page, "third-claim")
            page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(f"**/admin/claims/claim/?source={SOURCE}")
    added = Claim.objects.filter(ref__startswith="browser-claim-").order_by("ref")
    assert [(c.source_id, c.speaker_id, c.question_id) for c in added] == [
        (source.pk, last.speaker_id, last.question_id)
    ] * 3


@pytest.mark.parametrize("model", ["question", "metal"])
def test_the_question_and_metal_lists_fit_a_1400_px_window(
    live_server,
    demo,  # noqa: F811
    curator_page,
    model,
):
    page = curator_page
    page.goto(live_server.url + f"/admin/claims/{model}/")
    _shot(page, f"{model}s-1400")
    size = page.evaluate(MEASURE)
    assert size["page"] <= size["window"] and size["results"] <= size["box"], size
