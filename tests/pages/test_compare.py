"""Comparing two sources: the questions both address, then what only one of them says."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim
from core import dataversion
from pages.views import compare as compare_page
from tests.conftest import make_claim, make_question, make_source
from tests.pages.linking import link_in_a_chain

EAT = "eurasian-times-2025-09-palve"
EDM = "edm-2026-02-russia-struggling-prc-rare-earth"


@pytest.mark.django_db
def test_it_shows_the_seed_sources_side_by_side(client):
    call_command("load_demo", stdout=io.StringIO())
    html = client.get(reverse("compare"), {"a": EAT, "b": EDM}).content.decode()
    # Reserves, the US partnership and the negotiations are the Russian government's figures,
    # repeated by both: one origin, not agreement. The two "no"s on sharing extraction technology
    # are of 2025 and 2026: an answer may change, so answers of different years are a series.
    assert "3 conflict, 2 close, 0 agree" in html
    shared = html[html.index('<table class="compare">') : html.index("</table>")]
    sharing = shared[shared.index("agreed to share") :].split("</tr>")[0]
    assert 'class="badge series">series<' in sharing
    rank = shared[shared.index("world rank in rare-earth reserves") :].split("</tr>")[0]
    # Each figure credited to who said it: Russia's own claim, only reported by EDM's publisher.
    assert '<a href="/claims/eat-russia-ree-reserves-rank/">The EurAsian Times: #5</a>' in rank
    russia = "Government of Russia (in The Jamestown Foundation): #2"
    assert f'<a href="/claims/edm-russia-ree-reserves-rank/">{russia}</a>' in rank
    # Unnamed reports dispute Russia's claim: the link shows beside it.
    assert 'disputed by <a href="/claims/edm-brazil-ree-reserves-rank/">unnamed reports' in rank
    assert 'class="badge conflict">conflict<' in rank
    only_b = html[html.index("Only in B") :]
    assert "Brazil’s world rank in rare-earth reserves" in only_b


@pytest.mark.django_db
def test_it_splits_shared_and_own_questions(client):
    shared, only_a = make_question(title="Shared question"), make_question(title="Only A's")
    a, b = make_source(), make_source()
    make_claim(source=a, question=shared, value=10, unit="%")
    make_claim(source=b, question=shared, value=10, unit="%")
    make_claim(source=a, question=only_a, value=1, unit="%", quote="A alone says this.")
    html = client.get(reverse("compare"), {"a": a.slug, "b": b.slug}).content.decode()
    assert "1 question in common: 0 conflict, 0 close, 1 agree." in html
    only = html[html.index("Only in A") : html.index("Only in B")]
    assert "A alone says this." in only
    assert "Nothing." in html[html.index("Only in B") :]


@pytest.mark.django_db
def test_the_form_lists_sources_and_keeps_the_choice(client):
    a = make_source(title="Source Alpha")
    make_source(title="Source Beta")
    html = client.get(reverse("compare"), {"a": a.slug}).content.decode()
    assert f'<option value="{a.slug}" selected>Source Alpha</option>' in html
    assert "Source Beta" in html


@pytest.mark.django_db
def test_bad_choices(client):
    a = make_source()
    assert client.get(reverse("compare"), {"a": a.slug, "b": "nope"}).status_code == 404
    same = client.get(reverse("compare"), {"a": a.slug, "b": a.slug})
    assert same.status_code == 400 and b"Pick two different sources" in same.content
    assert client.get(reverse("compare"), {"a": "not a slug!"}).status_code == 400


@pytest.mark.django_db
def test_the_comparison_as_csv(client):
    question = make_question()
    a, b = make_source(), make_source()
    make_claim(source=a, question=question, value=10, unit="%")
    make_claim(source=b, question=question, value=50, unit="%")
    response = client.get(reverse("compare"), {"a": a.slug, "b": b.slug, "format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "question,title,verdict,verdict_label,a_says,b_says,a_refs,b_refs,a_notes,b_notes"
    )
    assert ",conflict,10%,50%," in lines[1]


@pytest.mark.django_db
@pytest.mark.parametrize("questions", [3, 6])
def test_it_runs_the_same_queries_whatever_the_number_of_rows(
    client, django_assert_num_queries, questions
):
    a, b = make_source(), make_source()
    for _ in range(questions):
        question = make_question()
        make_claim(source=a, question=question, value=1, unit="%")
        make_claim(source=b, question=question, value=2, unit="%")
        make_claim(source=a, question=make_question(), value=1, unit="%")
    link_in_a_chain(Claim.objects.order_by("ref"))
    # 1. the sources for the pickers, 2. the two sources, 3. their public claims with related
    # rows, 4-7. their links each way, with the claims at the other ends
    # Each page also reads the data version (core.dataversion): +1 below. Read it
    # once first, so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(8):
        assert client.get(reverse("compare"), {"a": a.slug, "b": b.slug}).status_code == 200


@pytest.mark.django_db
def test_past_a_few_hundred_sources_the_pickers_ask_for_slugs(client, monkeypatch):
    monkeypatch.setattr(compare_page, "PICKER_LIMIT", 2)
    a, b = make_source(title="First source"), make_source(title="Second source")
    make_source(title="Third source")

    html = client.get(reverse("compare"), {"a": a.slug, "b": b.slug}).content.decode()

    assert "<select" not in html
    assert f'name="a" required maxlength="120" value="{a.slug}"' in html
    assert "First source" in html and "Second source" in html  # the comparison itself


@pytest.mark.django_db
def test_only_the_first_claims_one_source_alone_makes_are_listed(client, monkeypatch):
    monkeypatch.setattr(compare_page, "ONLY_SHOWN", 2)
    a, b = make_source(), make_source()
    for n in range(5):
        make_claim(source=a, ref=f"only-a-{n}", question=make_question(), value=n, unit="%")

    html = client.get(reverse("compare"), {"a": a.slug, "b": b.slug}).content.decode()
    data = client.get(reverse("compare"), {"a": a.slug, "b": b.slug, "format": "json"}).json()

    assert html.count('<li><a href="/questions/') == 2
    assert "… and 3 more" in html
    assert len(data["rows"]) == 5  # the data out has every one
