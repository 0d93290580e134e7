"""The actor and source lists a curator works in: their queries, their columns, their filters
picked from searchable lists, and (in real Chromium) their fitting a 1,400 px window."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.conftest import make_actor, make_claim, make_source

ACTORS = reverse("admin:sources_actor_changelist")
SOURCES = reverse("admin:sources_source_changelist")
LONG_TITLE = (
    "Russia's rare-earth ambitions: reserves, imports from China, the 2030 production target and "
    "what the Ministry of Natural Resources and Environment says about all of them, in full"
)
LONG_SLUG = "ministry-of-natural-resources-and-environment-of-the-russian-federation-moscow"

try:  # the browser's fixtures, when Chromium and playwright are there (see test_browser.py)
    from tests.claims.test_admin_layout_browser import MEASURE, WINDOW, curator_page  # noqa: F401
    from tests.pages import test_browser
    from tests.pages.test_browser import ARTIFACTS, browser  # noqa: F401

    BROWSER_MARKS = test_browser.pytestmark
except pytest.skip.Exception as missing:
    BROWSER_MARKS = [pytest.mark.skip(reason=str(missing))]


def browser_test(test):
    for mark in BROWSER_MARKS:
        test = mark(test)
    return test


def cells(html, column):
    """The text of each row's cell in `column` (tags stripped)."""
    found = re.findall(rf'<t[dh] class="field-{column}[^"]*">(.*?)</t[dh]>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


def make_rows(n):
    for _ in range(n):
        publisher = make_actor(parent=make_actor())
        make_claim(source=make_source(publisher=publisher), speaker=publisher)


@pytest.mark.django_db
def test_the_actor_list_runs_a_known_number_of_queries(admin_client, django_assert_num_queries):
    make_rows(3)  # six actors, three with a parent
    # 1. session, 2. user, 3. count of the page (no full count: show_full_result_count is off),
    # 4. the page of actors joined with their parents, 5. the countries for the country filter
    with django_assert_num_queries(5):
        response = admin_client.get(ACTORS)
    assert response.content.count(b'class="action-select"') == 6


@pytest.mark.django_db
def test_the_source_list_runs_a_known_number_of_queries(admin_client, django_assert_num_queries):
    make_rows(3)
    # 1. session, 2. user, 3. count of the page, 4. the page of sources joined with their
    # publishers and counting their claims, 5. the languages for the language filter
    with django_assert_num_queries(5):
        response = admin_client.get(SOURCES)
    assert response.content.count(b'class="action-select"') == 3


@pytest.mark.django_db
def test_the_source_list_shortens_long_titles_and_keeps_the_whole_one_in_the_tooltip(
    admin_client,
):
    make_source(title=LONG_TITLE)
    html = admin_client.get(SOURCES).content.decode()
    (shown,) = cells(html, "short_title")
    assert shown.endswith("…") and len(shown) == 90 and LONG_TITLE.startswith(shown[:-1])
    assert f'title="{LONG_TITLE}"'.replace("'", "&#x27;") in html


@pytest.mark.django_db
def test_the_lists_shorten_long_names_of_publishers_and_parents(admin_client):
    name = "Ministry of Natural Resources and Environment of the Russian Federation"
    ministry = make_actor(name=name)
    make_actor(name="Department", parent=ministry)
    make_source(publisher=ministry)
    for url, column in [(SOURCES, "publisher_name"), (ACTORS, "parent_name")]:
        html = admin_client.get(url).content.decode()
        (shown,) = [cell for cell in cells(html, column) if cell != "-"]
        assert shown.endswith("…") and len(shown) == 40 and name.startswith(shown[:-1])
        assert f'title="{name}"' in html


@pytest.mark.django_db
def test_the_source_list_filters_by_a_publisher_picked_by_its_slug(admin_client):
    iea = make_actor(slug="iea", name="IEA")
    make_source(title="By the IEA", publisher=iea)
    make_source(title="By someone else", publisher=make_actor())
    html = admin_client.get(SOURCES, {"publisher": "iea"}).content.decode()
    assert cells(html, "short_title") == ["By the IEA"]
    # The filter is the searchable list, showing the chosen publisher by its name.
    assert 'data-filter-title="publisher"' in html and ">IEA</option>" in html


@pytest.mark.django_db
def test_the_actor_list_filters_by_a_parent_picked_by_its_slug(admin_client):
    government = make_actor(slug="government-of-russia", name="Government of Russia")
    make_actor(name="Ministry", parent=government)
    make_actor(name="Elsewhere", parent=make_actor())
    html = admin_client.get(ACTORS, {"parent": "government-of-russia"}).content.decode()
    assert cells(html, "name") == ["Ministry"]


@browser_test
@pytest.mark.parametrize("model", ["actor", "source"])
def test_the_list_fits_a_1400_px_window(live_server, curator_page, model):  # noqa: F811
    # Rows as long as the fields allow in practice: a long title, a long slug, long names.
    for n in range(3):
        publisher = make_actor(
            name=f"Ministry of Natural Resources and Environment of the Russian Federation {n}",
            slug=f"{LONG_SLUG}-{n}",
            parent=make_actor(name=f"Government of the Russian Federation {n}"),
            wikidata_id=f"Q{4_000_000 + n}",
        )
        make_source(title=f"{LONG_TITLE} {n}", publisher=publisher, language="ru")
    page = curator_page
    page.goto(live_server.url + f"/admin/sources/{model}/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"admin-{model}s-1400.png", full_page=True)
    size = page.evaluate(MEASURE)

    assert size["page"] <= size["window"] <= WINDOW["width"], size
    assert size["results"] <= size["box"], size  # the list's own box does not scroll either
    assert all(end <= size["window"] for end in size["ends"].values()), size


@browser_test
def test_a_curator_merges_two_actors_from_the_list_in_a_browser(live_server, curator_page):  # noqa: F811
    iea = make_actor(name="IEA", slug="iea")
    long = make_actor(name="International Energy Agency", slug="international-energy-agency")
    claim = make_claim(speaker=long)
    page = curator_page
    page.goto(live_server.url + ACTORS)
    for actor in (iea, long):
        page.locator(f'input.action-select[value="{actor.pk}"]').check()
    page.select_option("select[name=action]", "merge_selected")
    page.get_by_role("button", name="Go").click()

    page.wait_for_selector("table.merge-records")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "admin-merge-actors.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WINDOW["width"]
    page.get_by_label("keep “IEA”").check()
    page.get_by_role("button", name="Merge").click()

    page.wait_for_url(f"**/admin/sources/actor/{iea.pk}/change/")
    assert "Merged “International Energy Agency" in page.locator(".messagelist").inner_text()
    claim.refresh_from_db()
    assert claim.speaker_id == iea.pk
