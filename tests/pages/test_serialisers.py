"""The records of the CSV and JSON: one table per kind of record names its columns once."""

import csv
import io
import json

import pytest
from django.urls import reverse

from pages import serialisers

WORLD_RANK = "russia-ree-reserves-world-rank"


def _pages():
    """Every kind of page with its records, on the demo data: (address, the JSON's key)."""
    from claims.models import Claim
    from sources.models import Source

    compared = Claim.objects.filter(question__slug=WORLD_RANK).values_list(
        "source__slug", flat=True
    )
    a, b = sorted(compared)[:2]
    only = Source.objects.exclude(slug__in=[a, b]).order_by("slug").first().slug
    return [
        ("/", "questions"),
        ("/questions/", "questions"),
        (reverse("question_detail", args=[WORLD_RANK]), "claims"),
        ("/sources/", "sources"),
        (reverse("source_detail", args=[a]), "claims"),
        ("/metals/", "metals"),
        (reverse("metal_detail", args=["Nd"]), "claims"),
        ("/actors/", "actors"),
        ("/search/?q=rare", "results"),
        (reverse("claim_detail", args=["edm-russia-ree-reserves-rank"]), "claim"),
        (reverse("claim_detail", args=["eat-putin-happy-to-work-with-american-partners"]), "claim"),
        (f"/compare/?a={a}&b={b}", "rows"),
        (f"/compare/?a={a}&b={only}", "rows"),
    ]


def test_the_csv_headers_keep_their_columns_and_order():
    claim = ["ref", "source", "source_title", "publisher", "published", "question"]
    claim += ["speaker", "cited_source", "stated"]
    rest = ["qualifier", "value", "value_high", "unit", "as_of", "year", "year_from", "answer"]
    rest += ["status", "quote", "paraphrase", "note", "links", "linked_from", "url"]
    standing = ["normalised", "low", "high", "low_excluded", "high_excluded", "standing"]
    standing += ["agrees_with", "close_to", "conflicts_with", "superseded_by", "origin"]
    standing += ["origin_label", "echoes"]
    assert claim + rest == serialisers.CLAIM_COLUMNS
    # The question's title, unit and verdict follow its slug; the standing follows what the claim
    # states.
    on_question = ["question_title", "question_unit", "verdict"]
    assert (
        claim[:6] + on_question + claim[6:] + standing + rest == serialisers.COMPARED_CLAIM_COLUMNS
    )
    assert serialisers.COMPARE_COLUMNS == [
        "question",
        "title",
        "verdict",
        "verdict_label",
        "a_says",
        "b_says",
        "a_refs",
        "b_refs",
        "a_notes",
        "b_notes",
    ]


@pytest.mark.django_db
def test_the_csv_header_and_the_json_records_name_the_same_columns(client, demo):
    for url, key in _pages():
        separator = "&" if "?" in url else "?"
        csv_text = client.get(f"{url}{separator}format=csv").content.decode("utf-8-sig")
        header = next(csv.reader(io.StringIO(csv_text)))
        records = json.loads(client.get(f"{url}{separator}format=json").content)[key]
        records = [records] if key == "claim" else records  # a claim's page is of one record
        assert records, url
        for record in records:
            assert set(record) <= set(header), url
        # On the source page a claim not filed under a question has no standing, and on the
        # compare page a claim only one source makes has its own side's columns only.
        if not url.startswith(("/sources/", "/compare/")) or url == "/sources/":
            assert all(sorted(record) == sorted(header) for record in records), url
