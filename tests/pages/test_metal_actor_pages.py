"""Metal and actor pages, and their lists."""

import pytest
from django.urls import reverse

from claims.models import Claim, Metal
from core import dataversion
from tests.conftest import (
    make_actor,
    make_claim,
    make_contested_question,
    make_question,
    make_source,
)
from tests.pages.linking import link_in_a_chain


@pytest.mark.django_db
def test_a_metal_page_shows_claims_about_the_metal_and_its_groups(client, neodymium):
    ree = Metal.objects.get(symbol="REE")
    make_claim(quote="About neodymium itself.", metals=[neodymium])
    make_claim(quote="About all rare earths.", metals=[ree])
    make_claim(quote="About tungsten.", metals=[Metal.objects.get(symbol="W")])
    html = client.get(reverse("metal_detail", args=["Nd"])).content.decode()
    assert "About neodymium itself." in html and "About all rare earths." in html
    assert "About tungsten." not in html
    assert "rare earth elements</a>" in html


@pytest.mark.django_db
def test_a_group_page_shows_claims_about_its_members(client, neodymium):
    make_claim(quote="About neodymium itself.", metals=[neodymium])
    html = client.get(reverse("metal_detail", args=["REE"])).content.decode()
    assert "About neodymium itself." in html
    assert ">Nd</a>" in html


@pytest.mark.django_db
def test_the_metal_list_counts_public_claims(client, neodymium):
    make_claim(metals=[neodymium])
    make_claim(metals=[neodymium], status="draft")
    html = client.get(reverse("metal_list")).content.decode()
    row = html[html.index(">neodymium</a>") :].split("</tr>")[0]
    assert 'class="num">1<' in row
    assert client.get(reverse("metal_detail", args=["Xx"])).status_code == 404


@pytest.mark.django_db
def test_an_actor_page_gathers_claims_by_and_about_it_its_parent_and_children(client):
    government = make_actor(name="Government")
    ministry = make_actor(name="Ministry", parent=government)
    minister = make_actor(name="Minister", parent=ministry)
    outlet = make_actor(name="Outlet")
    make_claim(quote="The ministry said so.", speaker=ministry)
    make_claim(quote="The government said so.", speaker=government)
    make_claim(quote="The minister said so.", speaker=minister)
    make_claim(quote="About the ministry.", about=[ministry])
    make_claim(quote="In the ministry's bulletin.", source=make_source(publisher=ministry))
    make_claim(quote="Someone else entirely.", speaker=outlet)
    html = client.get(reverse("actor_detail", args=[ministry.slug])).content.decode()
    for quote in (
        "The ministry said so.",
        "The government said so.",
        "The minister said so.",
        "About the ministry.",
        "In the ministry&#x27;s bulletin.",
    ):
        assert quote in html
    assert "Someone else entirely." not in html
    assert "said by Ministry" in html and "published by Ministry" in html
    assert "Part of</dt><dd><a" in html and ">Minister</a>" in html


@pytest.mark.django_db
def test_an_actor_page_filters_its_claims(client, neodymium):
    actor = make_actor()
    make_claim(quote="On neodymium.", speaker=actor, metals=[neodymium])
    make_claim(quote="On nothing in particular.", speaker=actor)
    html = client.get(actor.get_absolute_url(), {"metal": "Nd"}).content.decode()
    assert "On neodymium." in html and "On nothing in particular." not in html


@pytest.mark.django_db
def test_the_actor_list_filters_by_kind(client):
    make_actor(name="A person", kind="person")
    make_actor(name="A company", kind="company")
    html = client.get(reverse("actor_list"), {"kind": "person"}).content.decode()
    assert "A person" in html and "A company" not in html
    assert client.get(reverse("actor_list"), {"kind": "martian"}).status_code == 400
    assert client.get(reverse("actor_detail", args=["nobody"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 6])
def test_the_pages_run_the_same_queries_whatever_the_number_of_rows(
    client, django_assert_num_queries, neodymium, rows
):
    question = make_contested_question(rows)
    question.metals.add(neodymium)
    parent = make_actor()
    actor = make_actor(parent=parent)
    for _ in range(rows):
        make_actor(parent=actor)
        subject = make_question()
        subject.subjects.add(actor)
        make_claim(question=subject, speaker=actor, metals=[neodymium], value=1, unit="%")
    link_in_a_chain(Claim.objects.order_by("ref"))
    # 1. the metal, 2. related metals, 3. the questions about them with their summaries, 4. the
    # ids of the page of claims (one more row than shown, never a count), 5. those claims with
    # question, source, publisher and speaker, 6-9. their links each way, with the claims at the
    # other ends
    # Each page also reads the data version (core.dataversion): +1 below. Read it
    # once first, so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(10):
        assert client.get(reverse("metal_detail", args=["Nd"])).status_code == 200
    # 1. the actor and parent, 2. its children, 3. the questions about them with their
    # summaries, 4. the ids of the page of claims, 5. those claims with question, source,
    # publisher and speaker, 6-9. their links each way, with the claims at the other ends,
    # 10. the actors they are about (for roles)
    with django_assert_num_queries(11):
        assert client.get(actor.get_absolute_url()).status_code == 200
    # 1. metals with public claim counts, 2. the members of groups
    with django_assert_num_queries(3):
        assert client.get(reverse("metal_list")).status_code == 200
    # 1. the page of actors with parents (one more row than shown, never a count)
    with django_assert_num_queries(2):
        assert client.get(reverse("actor_list")).status_code == 200
