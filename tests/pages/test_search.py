"""Search across claim quotes and paraphrases, source titles, actor names and aliases.

Full-text search on PostgreSQL, every-word substring match on SQLite: the words used here match
either way.
"""

import pytest
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from core import dataversion
from tests.conftest import make_actor, make_claim, make_source
from tests.pages.linking import link_in_a_chain


def _search(client, q, **params):
    return client.get(reverse("search"), {"q": q, **params}).content.decode()


@pytest.mark.django_db
def test_it_finds_claims_sources_and_actors(client):
    make_claim(quote="Russia holds vast reserves of rare earths.", ref="quote-match")
    make_claim(quote="Nothing here.", paraphrase="Reserves are large.", ref="paraphrase-match")
    make_source(title="A report on reserves")
    make_actor(name="Ministry of Reserves")
    make_actor(name="State Committee", aliases="Reserves Office")
    html = _search(client, "reserves")
    assert "Russia holds vast reserves" in html and "Nothing here." in html
    assert "A report on reserves" in html
    assert "Ministry of Reserves" in html and "State Committee" in html


@pytest.mark.django_db
def test_every_word_must_match(client):
    make_claim(quote="China processes rare earths.")
    make_claim(quote="China mines tungsten.")
    html = _search(client, "china tungsten")
    assert "China mines tungsten." in html and "China processes" not in html


@pytest.mark.django_db
def test_drafts_are_not_found(client):
    make_claim(quote="A draft about reserves.", status="draft")
    assert "A draft about reserves." not in _search(client, "reserves")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q", ["%", "_", "'", "100%", "a_b", "'; DROP TABLE claims_claim; --", '"', "\\"]
)
def test_sql_and_like_characters_are_searched_as_text(client, q):
    make_claim(quote="Plain quote.")
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    assert "Plain quote." not in response.content.decode()
    assert Claim.objects.count() == 1


@pytest.mark.django_db
def test_a_percent_sign_is_not_a_wildcard():
    make_claim(quote="Imports cover 100% of demand.")
    make_claim(quote="Imports cover 1000 tonnes.")
    found = list(Claim.objects.search("100%").values_list("quote", flat=True))
    if connection.vendor == "sqlite":
        assert found == ["Imports cover 100% of demand."]
    else:
        # PostgreSQL's parser reads “100%” as the word “100”: never a wildcard, never an error.
        assert found == ["Imports cover 100% of demand."]


@pytest.mark.django_db
def test_an_empty_query_shows_only_the_form(client):
    make_claim(quote="Anything.")
    html = _search(client, "   ")
    assert "Anything." not in html and 'name="q"' in html


@pytest.mark.django_db
def test_results_as_csv(client):
    make_source(title="=Reserves report")
    response = client.get(reverse("search"), {"q": "reserves", "format": "csv"})
    assert response.content.decode().splitlines()[1].startswith("source,")
    assert ",'=Reserves report," in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 6])
def test_it_runs_the_same_queries_whatever_the_number_of_results(
    client, django_assert_num_queries, rows
):
    for i in range(rows):
        publisher = make_actor(name=f"Reserves outlet {i}")
        make_claim(
            quote="Reserves are large.",
            source=make_source(title="Reserves", publisher=publisher),
            speaker=publisher,
        )
    link_in_a_chain(Claim.objects.order_by("ref"))
    # 1. the best matching claims' ids, 2. those claims with source, publisher, question and
    # speaker, 3-6. their links each way, with the claims at the other ends, 7. sources with
    # publishers, 8. actors with parents
    # Each page also reads the data version (core.dataversion): +1 below. Read it
    # once first, so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(9):
        assert client.get(reverse("search"), {"q": "reserves"}).status_code == 200


@pytest.mark.django_db
def test_on_postgresql_the_claim_search_reads_its_gin_index():
    if connection.vendor != "postgresql":
        pytest.skip("GIN indexes are PostgreSQL's; SQLite searches without one")
    with connection.cursor() as cursor:
        # Only an index on exactly the expression the query computes can serve it.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Claim.objects.search("reserves").explain()

    assert "claim_search_idx" in plan
