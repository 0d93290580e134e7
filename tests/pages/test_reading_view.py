"""The reading view (sources/<slug>/text/): the source's stored text with each public claim's
quote highlighted and linked, anchored by its context so a re-extracted text keeps it; and the
"see in context" links of the question, source and compare pages."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.resources import ClaimResource
from claims.services import claims_quotes_refresh
from core import dataversion
from core.history import change_reason
from interchange.models import ImportBatch
from interchange.services import batch_undo, data_import
from sources.models import Source
from tests.conftest import make_claim, make_question, make_source, make_user

pytestmark = pytest.mark.django_db

QUOTE = "Russia holds 28.5 Mt of rare earths."
TEXT = (
    "Reserves matter.\n\nThe ministry said: Russia holds 28.5 Mt of rare earths. Others doubt it."
    "\n\nA later report repeats: Russia holds 28.5 Mt of rare earths. Nobody checked."
)


def _text_page(client, source, **params):
    return client.get(reverse("source_text", args=[source.slug]), params)


def _marked(html, ref):
    """The text of the first piece of the quote marked for `ref`."""
    found = re.search(rf'<mark class="quote" id="claim-{ref}">([^<]*)', html)
    return found and found.group(1)


def _offsets(client, source):
    anchors = _text_page(client, source, format="json").json()["anchors"]
    return {row["ref"]: (row["start"], row["end"], row["found"]) for row in anchors}


def test_highlighted_quotes_link_to_their_claim_and_question(client):
    source = make_source(text=TEXT)
    question = make_question(title="Russia's rare-earth reserves")
    claim = make_claim(source=source, question=question, quote=QUOTE, value=28.5, unit="Mt")
    html = _text_page(client, source).content.decode()
    assert _marked(html, claim.ref) == QUOTE
    assert f'href="{claim.get_absolute_url()}"' in html
    assert f'href="{question.get_absolute_url()}"' in html
    start, end, found = _offsets(client, source)[claim.ref]
    assert (TEXT[start:end], found) == (QUOTE, True)
    assert TEXT.index(QUOTE) == start  # no context yet told them apart: the first


def test_a_re_extracted_text_keeps_the_anchor_where_its_words_are_unchanged(client):
    source = make_source(text=TEXT)
    claim = make_claim(source=source, quote=QUOTE)
    # The curator's claim is the second occurrence: its context is stored with it.
    second = TEXT.rindex(QUOTE)
    Claim.objects.filter(pk=claim.pk).update(
        quote_prefix=TEXT[second - 32 : second], quote_suffix=TEXT[second + len(QUOTE) :][:32]
    )
    # Re-extracted: words changed elsewhere, line breaks moved, a duplicate sentence added
    # before both, so every occurrence moved.
    source.text = (
        "Preface. Some say Russia holds 28.5 Mt of rare earths. Reserves matter a lot.\n\n"
        "The ministry said: Russia holds 28.5 Mt of rare earths. Others doubt it.\n\nA later "
        "report repeats: Russia holds\n28.5 Mt of rare earths. Nobody checked."
    )
    source.save()
    start, end, _ = _offsets(client, source)[claim.ref]
    assert start == source.text.rindex("Russia holds\n28.5")
    assert source.text[start:end] == "Russia holds\n28.5 Mt of rare earths."
    claim.refresh_from_db()
    assert claim.quote_prefix.endswith("report repeats: ")  # updated to the new text


def test_a_changed_quote_updates_the_anchor(client):
    source = make_source(text=TEXT)
    claim = make_claim(source=source, quote=QUOTE)
    claim.quote = "Others doubt it."
    claim.save()
    claim.refresh_from_db()
    assert claim.quote_prefix.endswith("rare earths. ")
    start, end, found = _offsets(client, source)[claim.ref]
    assert (TEXT[start:end], found) == ("Others doubt it.", True)


def test_a_quote_not_found_is_listed_as_such(client):
    source = make_source(text=TEXT)
    claim = make_claim(source=source, quote="Russia holds 30 Mt.")
    html = _text_page(client, source).content.decode()
    assert "Not found in the stored text" in html
    assert f'id="claim-{claim.ref}"' not in html
    assert _offsets(client, source)[claim.ref] == (None, None, False)


def test_drafts_never_appear(client):
    source = make_source(text=TEXT)
    draft = make_claim(source=source, quote=QUOTE, status=Claim.Status.DRAFT)
    missing = make_claim(source=source, quote="Never said.", status=Claim.Status.DRAFT)
    html = _text_page(client, source).content.decode()
    assert draft.ref not in html and missing.ref not in html
    assert _offsets(client, source) == {}


def test_overlapping_and_nested_quotes_stay_well_formed(client):
    source = make_source(text=TEXT)
    outer = make_claim(source=source, quote="The ministry said: Russia holds 28.5 Mt")
    inner = make_claim(source=source, quote="28.5 Mt")
    crossing = make_claim(source=source, quote="Mt of rare earths. Others doubt it.")
    html = _text_page(client, source).content.decode()
    body = html[html.index('<div class="source-text">') :]
    assert body.count("<mark") == body.count("</mark>")
    assert _marked(html, outer.ref) == "The ministry said: Russia holds "
    assert _marked(html, inner.ref) == "28.5 "  # the crossing quote starts inside it
    assert _marked(html, crossing.ref) == "Mt"  # cut where the others end


def test_a_source_without_text_says_so(client):
    source = make_source(text="")
    make_claim(source=source, quote=QUOTE)
    response = _text_page(client, source)
    assert response.status_code == 200
    assert "No text of this source is stored" in response.content.decode()
    detail = client.get(source.get_absolute_url()).content.decode()
    assert reverse("source_text", args=[source.slug]) not in detail


def test_the_csv_gives_the_anchors(client):
    source = make_source(text=TEXT)
    claim = make_claim(source=source, quote=QUOTE)
    rows = _text_page(client, source, format="csv").content.decode("utf-8-sig").splitlines()
    start = TEXT.index(QUOTE)
    assert rows == ["ref,start,end,found", f"{claim.ref},{start},{start + len(QUOTE)},true"]


@pytest.mark.parametrize("count", [1, 30])
def test_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    source = make_source(text=TEXT)
    question = make_question()
    for n in range(count):
        make_claim(source=source, question=question, quote=QUOTE if n % 2 else "Not there.")
    # The page's two queries and the data version (core.dataversion), read once
    # first so that the version of the writes above is not counted.
    dataversion.current()
    with django_assert_num_queries(3):
        response = _text_page(client, source)
    assert response.content.decode().count('id="claim-') == count // 2


def test_see_in_context_links_on_the_claim_question_source_and_compare_pages(client):
    source = make_source(text=TEXT)
    other = make_source(text="Nothing relevant.")
    question = make_question(unit="Mt")
    found = make_claim(source=source, question=question, quote=QUOTE, value=28.5, unit="Mt")
    not_found = make_claim(source=other, question=question, quote="Thirty Mt.", value=30, unit="Mt")
    link = f"{reverse('source_text', args=[source.slug])}#claim-{found.ref}"
    pages = [
        found.get_absolute_url(),
        question.get_absolute_url(),
        source.get_absolute_url(),
        f"{reverse('compare')}?a={source.slug}&b={other.slug}",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert f'href="{link}"' in html, url
        assert f"#claim-{not_found.ref}" not in html, url
    assert reverse("source_text", args=[source.slug]) + '"' in client.get(pages[2]).content.decode()


def test_the_refresh_of_a_text_reanchors_in_bulk(django_assert_num_queries):
    source = make_source(text=TEXT)
    claims = [make_claim(source=source, quote=QUOTE) for _ in range(5)]
    Source.objects.filter(pk=source.pk).update(text=TEXT.replace("ministry", "minister"))
    # One query for the claims, one for the texts, one bulk update.
    with django_assert_num_queries(3):
        claims_quotes_refresh(sources=[source.pk])
    assert {c.quote_prefix for c in Claim.objects.filter(pk__in=[c.pk for c in claims])} == {
        "Reserves matter. The minister said: "[-32:]
    }


def test_an_import_anchors_its_claims_with_their_stored_context(client):
    user = make_user("curator", "alice")
    source = make_source(text=TEXT)
    claim = make_claim(source=source, quote="Nobody checked.")
    second = TEXT.rindex(QUOTE)
    Claim.objects.filter(pk=claim.pk).update(quote_suffix=TEXT[second + len(QUOTE) :])
    with change_reason("import of claims.csv", user=user):
        result = ClaimResource().import_rows(
            ["ref", "source", "quote", "status"], [(2, [claim.ref, source.slug, QUOTE, "checked"])]
        )
    assert not result.problems, result.problems
    claim.refresh_from_db()
    assert (claim.quote_found, claim.quote_suffix) == (True, " Nobody checked.")
    assert claim.quote_prefix == " ".join(TEXT[:second].split())[-31:] + " "
    assert _offsets(client, source)[claim.ref][0] == second


def test_an_undo_puts_the_anchor_back_where_it_was(client, tmp_path):
    user = make_user("curator", "alice")
    source = make_source(slug="report", text=TEXT)
    # Saved with the context of the second occurrence (its history row records it).
    make_claim(
        ref="reserves",
        source=source,
        quote=QUOTE,
        quote_prefix="A later report repeats: ",
        quote_suffix=" Nobody checked.",
    )
    second = TEXT.rindex(QUOTE)
    path = tmp_path / "claims.csv"
    path.write_text("ref,source,quote\nreserves,report,Russia holds 30 Mt.\n", encoding="utf-8")
    assert data_import(paths=[path], user=user).ok
    assert _offsets(client, source)["reserves"] == (None, None, False)
    # The quote put back is found again, where it was.
    batch_undo(batch=ImportBatch.objects.get(), user=user)
    assert _offsets(client, source)["reserves"] == (second, second + len(QUOTE), True)
