"""The source page, and the list of sources."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim
from core import dataversion
from pages.views import sources as source_pages
from tests.conftest import (
    make_actor,
    make_claim,
    make_contested_question,
    make_question,
    make_source,
)
from tests.pages.linking import link_in_a_chain

EAT = "eurasian-times-2025-09-palve"


@pytest.mark.django_db
def test_it_shows_the_metadata_and_each_claim_against_other_sources(client):
    call_command("load_demo", stdout=io.StringIO())
    html = client.get(reverse("source_detail", args=[EAT])).content.decode()
    assert "Shubhangi Palve" in html and "The EurAsian Times" in html and "2025-09" in html
    rank = html[html.index("Russia’s world rank in rare-earth reserves</a>") :]
    rank = rank[: rank.index("</section>")]
    assert "#5" in rank
    assert 'class="badge conflict">conflict</span> <a href="/claims/edm-' in rank
    # Russia's own claim, only reported by EDM's publisher, is credited to Russia.
    assert "Government of Russia (in The Jamestown Foundation): #2" in rank
    reserves = html[html.index('id="claim-eat-russia-ree-reserves"') :].split("</article>")[0]
    # The Jamestown Foundation repeats the same government figure: an echo, not agreement.
    assert (
        'class="badge single">echo</span> <a href="/claims/edm-russia-ree-reserves/">'
        "Government of Russia (in The Jamestown Foundation): 28.5 Mt</a>"
    ) in reserves


@pytest.mark.django_db
def test_it_judges_each_claim_against_the_other_claims_as_they_are_now(client):
    question = make_question(tolerance=0)
    mine = make_claim(question=question, value=90, unit="%")
    theirs = make_claim(question=question, value=90, unit="%")
    url = mine.source.get_absolute_url()
    named = f'<a href="/claims/{theirs.ref}/">'
    assert f'class="badge agree">agree</span> {named}' in client.get(url).content.decode()

    theirs.value = 50
    theirs.save()

    assert f'class="badge conflict">conflict</span> {named}' in client.get(url).content.decode()
    make_claim(question=question, value=91, unit="%", status=Claim.Status.RETRACTED)
    theirs.delete()
    assert "No other source on this question yet." in client.get(url).content.decode()


@pytest.mark.django_db
def test_claims_are_grouped_by_question_with_unfiled_ones_last(client):
    source = make_source()
    question = make_question(title="A filed question")
    make_claim(source=source, question=question, value=1, unit="%")
    make_claim(source=source, quote="An unfiled remark.")
    html = client.get(source.get_absolute_url()).content.decode()
    assert html.index("A filed question") < html.index("Not yet filed under a question")
    assert html.index("Not yet filed under a question") < html.index("An unfiled remark.")
    assert "No other source on this question yet." in html


@pytest.mark.django_db
def test_it_lists_claims_elsewhere_that_cite_it(client):
    report = make_source(title="The agency report")
    make_claim(
        cited_source=report, source=make_source(title="A newspaper"), quote="Per the report."
    )
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Claims elsewhere attributed to this source" in html and "A newspaper" in html


@pytest.mark.django_db
def test_only_http_urls_are_links(client):
    safe = make_source(url="https://example.org/a")
    unsafe = make_source(url="javascript:alert(1)")
    assert 'href="https://example.org/a"' in client.get(safe.get_absolute_url()).content.decode()
    assert 'href="javascript:' not in client.get(unsafe.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_source_list_filters_by_kind_year_and_publisher(client):
    outlet = make_actor(slug="outlet")
    make_source(title="Report 2024", kind="report", published="2024-05", publisher=outlet)
    make_source(title="Article 2025", kind="article", published="2025")
    html = client.get(reverse("source_list"), {"kind": "report"}).content.decode()
    assert "Report 2024" in html and "Article 2025" not in html
    html = client.get(reverse("source_list"), {"year": "2025"}).content.decode()
    assert "Article 2025" in html and "Report 2024" not in html
    html = client.get(reverse("source_list"), {"actor": "outlet"}).content.decode()
    assert "Report 2024" in html and "Article 2025" not in html


@pytest.mark.django_db
def test_an_unknown_source_is_not_found(client):
    assert client.get(reverse("source_detail", args=["nope"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("claims", [3, 6])
def test_the_pages_run_the_same_queries_whatever_the_number_of_rows(
    client, django_assert_num_queries, claims
):
    question = make_contested_question(claims)
    source = question.claims.first().source
    for _ in range(claims):
        make_claim(source=source, question=make_question(), value=1, unit="%")
        make_claim(source=make_source(), cited_source=source)
    link_in_a_chain(Claim.objects.filter(source=source).order_by("ref"))
    # 1. the source and publisher, 2. the ids of the page of its public claims, 3. those claims
    # with question, speaker and cited source, 4-7. their links each way, with the claims at the
    # other ends, 8. the placed claims of their questions, 9-10. the other claims named beside
    # them and the actors of their origins, 11. the first claims citing it
    # Each page also reads the data version (core.dataversion): +1 below. Read it
    # once first, so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(12):
        assert client.get(source.get_absolute_url()).status_code == 200
    # The CSV and JSON have every claim, read as plain values: 1. the source and publisher,
    # 2-3. their links each way to and from public claims, with the corrections among them, 4.
    # every claim's figure and exported columns, 5. the actors its origin is read from, 6. their
    # questions, 7. the placed claims of those questions (+1: the data version)
    for export in ("csv", "json"):
        with django_assert_num_queries(8):
            response = client.get(source.get_absolute_url(), {"format": export})
        assert response.status_code == 200
    # 1. the page of sources with publishers and public claim counts (never a count of all)
    with django_assert_num_queries(2):
        assert client.get(reverse("source_list")).status_code == 200


@pytest.mark.django_db
def test_a_long_source_shows_its_claims_a_page_at_a_time(client, monkeypatch):
    monkeypatch.setattr(source_pages, "SOURCE_CLAIMS_PER_PAGE", 2)
    source = make_source()
    for ref in ("claim-a", "claim-b", "claim-c"):
        make_claim(ref=ref, source=source)
    url = source.get_absolute_url()

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert 'id="claim-claim-a"' in first and 'id="claim-claim-c"' not in first
    assert 'id="claim-claim-c"' in second and 'rel="prev"' in second
    assert 'rel="next"' in first and 'rel="next"' not in second
    assert client.get(url, {"page": 3}).status_code == 404
    # The data out has every claim.
    assert len(client.get(url, {"format": "json"}).json()["claims"]) == 3
