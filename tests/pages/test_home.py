"""The home page and the list of questions."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import dataversion
from tests.conftest import make_claim, make_contested_question, make_question, make_source


@pytest.mark.django_db
def test_it_lists_questions_most_contested_first_with_counts_and_badges(client):
    call_command("load_demo", stdout=io.StringIO())
    html = client.get(reverse("home")).content.decode()
    table = html[html.index('<table class="questions">') : html.index("</table>")]
    rows = table.split("<tr>")[2:]
    assert 'class="badge conflict"' in rows[0]
    world_rank = next(row for row in rows if "world rank in rare-earth reserves" in row)
    assert 'class="badge conflict">conflict<' in world_rank
    reserves = next(row for row in rows if "Russia’s rare-earth reserves<" in row)
    # Two claims from two sources, but both rest on the Russian government's figure.
    assert 'data-label="Claims" class="num">2<' in reserves
    assert 'data-label="Sources" class="num">2<' in reserves
    assert 'data-label="Independent origins" class="num">1<' in reserves
    assert 'class="badge single">one origin<' in reserves
    assert 'class="badge close">close<' in html


@pytest.mark.django_db
def test_it_shows_the_latest_sources_and_a_search_box(client):
    make_source(title="Older source", published="2020")
    make_source(title="Newest source", published="2026-01")
    html = client.get(reverse("home")).content.decode()
    assert html.index("Newest source") < html.index("Older source")
    assert 'action="/search/"' in html and 'name="q"' in html


@pytest.mark.django_db
def test_a_question_without_public_claims_says_so(client):
    question = make_question(title="Nobody has said anything")
    make_claim(question=question, status="draft", value=1, unit="%")
    html = client.get(reverse("home")).content.decode()
    assert "no claims</span>" in html


@pytest.mark.django_db
def test_the_question_list_filters_by_metal_and_actor(client, neodymium):
    about_nd = make_question(title="About neodymium")
    about_nd.metals.add(neodymium)
    make_question(title="About nothing")
    html = client.get(reverse("question_list"), {"metal": "Nd"}).content.decode()
    assert "About neodymium" in html and "About nothing" not in html
    # A group's questions show on its members' pages too: neodymium is a rare earth.
    html = client.get(reverse("question_list"), {"metal": "REE"}).content.decode()
    assert "About neodymium" in html
    assert client.get(reverse("question_list"), {"metal": "Zz"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 6])
def test_it_runs_the_same_queries_whatever_the_number_of_rows(
    client, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_contested_question(3)
    # Summaries are computed when claims are saved, not when pages are read: 1. the most
    # contested questions with their summaries, 2. how many questions there are, 3. the latest
    # sources with publishers
    # Each page also reads the data version (core.dataversion): +1 below. Read it
    # once first, so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(4) as home:
        assert client.get(reverse("home")).status_code == 200
    # 1. the page with summaries (never a count)
    with django_assert_num_queries(2) as questions:
        assert client.get(reverse("question_list")).status_code == 200
    # The lists read verdicts and counts, not every claim placed on each question's scale.
    sql = [query["sql"] for query in home.captured_queries + questions.captured_queries]
    assert sql and not any("placements" in statement for statement in sql)
