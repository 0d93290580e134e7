"""The question page: every claim side by side, with its standing, and the chart."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim, ClaimLink
from core import dataversion
from pages import pagination
from tests.conftest import (
    make_actor,
    make_claim,
    make_contested_question,
    make_question,
    make_source,
)
from tests.pages.linking import link_in_a_chain

WORLD_RANK = "russia-ree-reserves-world-rank"


def _chart(html):
    return html[html.index("<svg") : html.index("</svg>")]


def _table(html):
    return html[html.index('<table class="claims compared">') : html.index("</table>")]


@pytest.mark.django_db
def test_it_shows_the_two_seed_sources_conflict_in_the_table_and_the_chart(client):
    call_command("load_demo", stdout=io.StringIO())
    response = client.get(reverse("question_detail", args=[WORLD_RANK]))
    html = response.content.decode()
    assert "The sources conflict." in html
    table = _table(html)
    assert table.count('class="badge conflict">conflict<') == 2
    # Russia's own claim, which EDM (The Jamestown Foundation) only reports, is credited to it.
    assert "conflicts with Government of Russia (in The Jamestown Foundation): #2" in table
    assert "conflicts with The EurAsian Times: #5" in table
    chart = _chart(html)
    assert chart.count('class="bar conflict"') == 2
    assert "The EurAsian Times: #5" in chart
    assert "Government of Russia (in The Jamestown Foundation): #2" in chart


@pytest.mark.django_db
def test_echoes_are_grouped_under_their_origin(client):
    call_command("load_demo", stdout=io.StringIO())
    html = client.get(reverse("question_detail", args=["russia-ree-reserves"])).content.decode()
    assert "The sources agree." not in html
    assert 'class="badge single">one origin<' in html
    assert (
        "One origin (Government of Russia), repeated by 2 sources — not independently confirmed."
        in html
    )
    assert "Origin: <a" in html and "Government of Russia</a> <span" in html
    assert "2 claims repeat this origin (echoes, counted once)" in html
    # One independent origin, however many sources repeat it.
    assert "<dt>Independent origins</dt><dd>1</dd>" in html


@pytest.mark.django_db
def test_echoes_that_differ_are_explained_and_the_json_lists_each_origin(client):
    usgs = make_actor(slug="usgs", name="USGS")
    question = make_question(kind="rank", unit="rank")
    fifth = make_claim(question=question, speaker=usgs, value=5, unit="rank")
    sixth = make_claim(question=question, speaker=usgs, value=6, unit="rank")
    other = make_claim(question=question, value=5, unit="rank")

    html = client.get(question.get_absolute_url()).content.decode()
    document = client.get(question.get_absolute_url(), {"format": "json"}).json()

    assert "Echoes of USGS differ: #5 vs #6." in html
    # Echoes that differ still conflict, and the standings say so.
    assert f"conflicts with USGS (in {fifth.source.title}): #5" in html
    assert f"conflicts with USGS (in {sixth.source.title}): #6" in html
    assert document["origins"] == [
        {
            "key": "actor:usgs",
            "label": "USGS",
            "claims": [fifth.ref, sixth.ref],
            "consistent": False,
        },
        {
            "key": f"source:{other.source.slug}",
            "label": other.source.title,
            "claims": [other.ref],
            "consistent": True,
        },
    ]
    claims = {claim["ref"]: claim for claim in document["claims"]}
    assert (claims[fifth.ref]["origin_label"], claims[fifth.ref]["echoes"]) == ("USGS", [sixth.ref])
    assert (claims[other.ref]["origin_label"], claims[other.ref]["echoes"]) == (
        other.source.title,
        [],
    )


@pytest.mark.django_db
def test_unnamed_reports_are_their_own_origin_and_confirm_nothing(client):
    question = make_question()
    named = make_claim(question=question, value=21, unit="%")
    unnamed = make_claim(question=question, value=21, unit="%", unattributed=True)

    html = client.get(question.get_absolute_url()).content.decode()

    assert 'class="badge single">one origin<' in html
    assert "Origin: unnamed reports" in html
    assert f"agrees with unnamed reports (in {unnamed.source.title}): 21%" in html
    assert f"agrees with {named.source.title}: 21%" in html
    assert "<dt>Independent origins</dt><dd>1</dd>" in html


@pytest.mark.django_db
def test_it_shows_each_figure_as_stated_and_normalised(client):
    question = make_question(unit="t")
    make_claim(question=question, qualifier="about", value=28.5, unit="Mt")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "about 28.5 Mt" in html
    assert "27,075,000 – 29,925,000 t" in html


@pytest.mark.django_db
def test_drafts_and_retracted_claims_are_not_shown_and_disputed_ones_are_marked(client):
    question = make_question()
    make_claim(question=question, quote="Checked quote.", value=1, unit="%")
    make_claim(question=question, quote="Disputed quote.", value=1, unit="%", status="disputed")
    make_claim(question=question, quote="Draft quote.", value=50, unit="%", status="draft")
    make_claim(question=question, quote="Retracted quote.", value=50, unit="%", status="retracted")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Checked quote." in html and "Disputed quote." in html
    assert "Draft quote." not in html and "Retracted quote." not in html
    assert 'class="badge disputed"' in html and "is-disputed" in html
    # The draft's 50 % would be a conflict; unpublished, it changes nothing.
    assert "The sources agree." in html


@pytest.mark.django_db
def test_figures_of_different_years_are_compared_and_the_page_says_how(client):
    question = make_question()
    make_claim(question=question, value=10, unit="%", as_of="2025")
    make_claim(question=question, value=30, unit="%", as_of="2030")
    url = question.get_absolute_url()

    html = client.get(url).content.decode()

    # No drift allowed: 10% and 30% five years apart conflict as they would within a year.
    assert "The sources conflict." in html and "a series" not in html
    assert (
        "Figures of different years compared as if of one year (no drift allowed): they must "
        "overlap to agree."
    ) in html
    chart = _chart(html)
    assert ">2025<" in chart and ">2030<" in chart

    question.drift = 5  # percentage points a year: 25 over the five years, more than the gap
    question.save()
    html = client.get(url).content.decode()

    assert "The sources agree." in html
    assert "Figures of different years compared allowing a drift of 5% a year." in html


@pytest.mark.django_db
def test_figures_of_one_year_need_no_word_on_time(client):
    question = make_question(drift=1)
    make_claim(question=question, value=10, unit="%", as_of="2025")
    make_claim(question=question, value=11, unit="%", as_of="2025-06")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "Figures of different years" not in html


@pytest.mark.django_db
def test_yes_no_answers_of_different_years_are_a_series_not_compared(client):
    question = make_question(kind="boolean", unit="")
    make_claim(question=question, answer="no", as_of="2024")
    make_claim(question=question, answer="yes", as_of="2025")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "The answers refer to different years: a series, not a contradiction." in html
    assert 'class="badge series">series<' in html
    assert (
        "The answers are of several years: only answers of the same year are compared, since an "
        "answer may change."
    ) in html


@pytest.mark.django_db
def test_a_claim_without_an_as_of_date_shows_the_year_it_is_compared_as(client):
    question = make_question()
    make_claim(question=question, value=10, unit="%", source=make_source(published="2024-05"))
    cited = make_source(published="2019")
    make_claim(question=question, value=10, unit="%", cited_source=cited)
    table = _table(client.get(question.get_absolute_url()).content.decode())
    assert "compared as 2024 (the date of its source)" in table
    assert "compared as 2019 (the date of the source it cites)" in table


@pytest.mark.django_db
def test_a_yes_no_question_tallies_the_answers(client):
    question = make_question(kind="boolean", unit="")
    make_claim(question=question, answer="no", speaker=make_actor(name="Manturov"))
    make_claim(question=question, answer="no")
    html = client.get(question.get_absolute_url()).content.decode()
    assert "<svg" not in html
    assert 'class="answer answer-no">no</span> — 2 independent origins' in html


@pytest.mark.django_db
def test_filters_narrow_the_claims_compared(client):
    question = make_question()
    make_claim(question=question, value=10, unit="%", source=make_source(kind="report"))
    make_claim(question=question, value=90, unit="%", source=make_source(kind="article"))
    url = question.get_absolute_url()
    assert "The sources conflict." in client.get(url).content.decode()
    html = client.get(url, {"kind": "report"}).content.decode()
    assert "Only one source" in html
    assert client.get(url, {"status": "draft"}).status_code == 400
    assert client.get(url, {"metal": "Xx"}).status_code == 400


@pytest.mark.django_db
def test_an_unknown_question_is_not_found(client):
    assert client.get(reverse("question_detail", args=["nope"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("claims", [3, 6])
def test_it_runs_the_same_queries_whatever_the_number_of_claims(
    client, django_assert_num_queries, claims
):
    question = make_contested_question(claims)
    link_in_a_chain(question.claims.order_by("ref"), kind=ClaimLink.Kind.CORRECTS)
    url = question.get_absolute_url()
    # 1. the question, 2. its subjects, 3. its metals, 4. the corrections among its claims,
    # 5. every public claim's figure, source title and publisher, 6. the actors its origin is
    # read from, 7. the page's claims with source, publisher, speaker chain and cited source,
    # 8-11. their links each way, with the claims at the other ends, 12. its verdict changes
    # Each page also reads the data version (core.dataversion): +1 below. Read it
    # once first, so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200
    assert Claim.objects.count() == claims
    # The CSV and JSON have every claim, read as plain values: 1. the question, 2-3. their
    # links each way to and from public claims, with the corrections among them, 4. every
    # claim's figure and exported columns, 5. the actors its origin is read from (+1: the data
    # version)
    with django_assert_num_queries(6):
        client.get(url, {"format": "csv"})
    # The JSON too, and 6. the question's verdict changes
    with django_assert_num_queries(7):
        client.get(url, {"format": "json"})


@pytest.mark.django_db
def test_a_long_question_shows_its_claims_a_page_at_a_time_and_judges_them_all(client, monkeypatch):
    monkeypatch.setattr(pagination, "CLAIMS_PER_PAGE", 2)
    question = make_question(tolerance=0)
    for ref, value in [("a-90", 90), ("b-90", 90), ("c-90", 90), ("d-10", 10)]:
        make_claim(ref=ref, question=question, value=value, unit="%")
    url = question.get_absolute_url()

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    # The conflict is with the last claim, which is on page 2: page 1 still says so.
    assert 'id="claim-a-90"' in first and 'id="claim-d-10"' not in first
    assert 'id="claim-d-10"' in second and 'id="claim-a-90"' not in second
    for html in (first, second):
        assert "The sources conflict." in html
        assert "of 4, a page at a time" in html
    assert "conflicts with" in first  # a-90's standing counts d-10, on the other page
    assert client.get(url, {"page": 3}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404


def test_the_filters_markup_is_django_s_and_follows_the_values_given():
    """pages.forms keeps the filters' markup per form and values: each set of values gets its own,
    the same as Django's widgets write, and a hostile value stays escaped."""
    from django.http import QueryDict

    from pages.forms import ClaimFilters, SourceFilters

    def rendered(form_class, query):
        form = form_class(QueryDict(query))
        form.is_valid()
        fresh = "".join(f"\n    <label>{field.label} {field}</label>\n    " for field in form)
        return form.as_labels(), fresh

    for form_class, query in (
        (ClaimFilters, ""),
        (ClaimFilters, "year=2020&kind=report"),
        (ClaimFilters, "year=2021&kind=report"),
        (SourceFilters, "year=2020"),
    ):
        kept, fresh = rendered(form_class, query)
        assert kept == fresh
        assert rendered(form_class, query)[0] is kept  # written once
    assert 'value="2020"' in rendered(ClaimFilters, "year=2020&kind=report")[0]
    assert 'value="2021"' in rendered(ClaimFilters, "year=2021&kind=report")[0]
    hostile = rendered(SourceFilters, "actor=%22%3E%3Cscript%3E")[0]
    assert "<script>" not in hostile and "&quot;&gt;&lt;script&gt;" in hostile
