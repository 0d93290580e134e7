"""`?page=`: ASCII digits from 1 to MAX_PAGE name a page; anything else is a 404, never a 500."""

import pytest
from django.urls import reverse

from claims.models import Metal
from pages.pagination import MAX_PAGE, page_number
from tests.conftest import make_actor, make_claim, make_question, make_source

# isdigit() takes the first five and int() refuses the first two (they were a 500); "١٢" is 12 to
# int(); the huge ones overflowed the query's OFFSET (SQLite "datatype mismatch", PostgreSQL
# "bigint out of range"), and int() refuses a number of more than 4,300 digits outright.
NOT_PAGES = [
    "²",
    "①",
    "١٢",
    "99999999999999999999",
    "9" * 5000,
    str(MAX_PAGE + 1),
    "0",
    "-1",
    "+1",
    "01",
    " 1",
    "1\n",
    "1.0",
    "1e3",
    "x",
]


@pytest.mark.parametrize("text", NOT_PAGES)
def test_page_number_refuses_anything_but_a_plain_number_in_range(text):
    assert page_number(text) is None


@pytest.mark.parametrize(
    "text, number", [("1", 1), ("2", 2), ("25", 25), (str(MAX_PAGE), MAX_PAGE)]
)
def test_page_number_reads_plain_numbers(text, number):
    assert page_number(text) == number


@pytest.fixture
def paged(db):
    """A record of each kind with a public claim, so each paged view has a first page."""
    actor = make_actor(slug="paged-actor")
    source = make_source(slug="paged-source", publisher=actor)
    question = make_question(slug="paged-question")
    make_claim(
        source=source,
        question=question,
        speaker=actor,
        value=1,
        unit="%",
        metals=[Metal.objects.get(symbol="Nd")],
    )


PAGED = [
    ("question_list", []),
    ("question_detail", ["paged-question"]),
    ("source_list", []),
    ("source_detail", ["paged-source"]),
    ("metal_detail", ["Nd"]),
    ("actor_list", []),
    ("actor_detail", ["paged-actor"]),
]


@pytest.mark.parametrize("name, args", PAGED)
def test_each_paged_view_answers_404_for_a_page_number_that_names_no_page(
    client, paged, name, args
):
    url = reverse(name, args=args)
    assert client.get(url).status_code == 200
    assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"page": ""}).status_code == 200  # no number: the first page
    for text in NOT_PAGES:
        assert client.get(url, {"page": text}).status_code == 404, text
    # A number within the bound past the end of the list names no page either.
    assert client.get(url, {"page": str(MAX_PAGE)}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("changelist", ["claims_claim", "sources_source", "claims_question"])
@pytest.mark.parametrize("text", ["²", "①", "99999999999999999999", "-1", "0"])
def test_the_admin_changelists_never_fail_on_their_page_parameter(admin_client, changelist, text):
    # The admin reads `?p=` itself and checks it against its count (see core/paginators.py).
    make_claim()
    response = admin_client.get(reverse(f"admin:{changelist}_changelist"), {"p": text})
    assert response.status_code < 500
