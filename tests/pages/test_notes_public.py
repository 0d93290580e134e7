"""Notes on sources and claims are the team's analysis and public: on every page that shows the
record and in the pages' CSV and JSON, for public records only."""

import csv
import io
import json

import pytest
from django.urls import reverse

from claims.models import Claim, Metal
from sources.models import Source
from tests.conftest import make_actor, make_claim, make_question, make_source

SOURCE_NOTE = "Figures from the 2019 survey, restated."
CLAIM_NOTE = "Counts oxides, not metal content."
OTHER_NOTE = "Rounded by the outlet."
DRAFT_NOTE = "Still to be checked against the PDF."


@pytest.fixture
def noted(db):
    """Two sources on one question, each claim with a note; a draft claim whose note is private
    because the claim is."""
    nd = Metal.objects.get(symbol="Nd")
    actor = make_actor(slug="noted-actor", name="Noted actor")
    question = make_question(slug="noted-question", title="Noted question")
    a = make_source(slug="noted-a", title="Noted A", notes=SOURCE_NOTE, publisher=actor)
    b = make_source(slug="noted-b", title="Noted B")
    common = {"question": question, "speaker": actor, "metals": [nd], "unit": "%"}
    make_claim(source=a, value=90, note=CLAIM_NOTE, quote="Noted ninety.", **common)
    make_claim(source=b, value=91, note=OTHER_NOTE, quote="Noted ninety-one.", **common)
    make_claim(source=a, quote="Noted remark.", note=OTHER_NOTE, speaker=actor, metals=[nd])
    make_claim(source=a, value=50, note=DRAFT_NOTE, quote="Noted draft.", status="draft", **common)


def _html(client, name, args=(), **params):
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_source_page_shows_the_source_notes_and_each_claims_note(client, noted):
    html = _html(client, "source_detail", ["noted-a"])
    assert f"Team's note:</span> {SOURCE_NOTE}" in html
    quote = html[html.index("Noted ninety.") :]
    assert quote.index(CLAIM_NOTE) < quote.index("</article>")
    assert OTHER_NOTE in html  # the unfiled claim's
    assert DRAFT_NOTE not in html


def test_the_question_page_shows_each_claims_note_in_its_row(client, noted):
    html = _html(client, "question_detail", ["noted-question"])
    for quote, note in (("Noted ninety.", CLAIM_NOTE), ("Noted ninety-one.", OTHER_NOTE)):
        row = html[html.index(quote) :].split("</tr>")[0]
        assert note in row
    assert DRAFT_NOTE not in html


def test_the_compare_page_shows_the_notes_of_shared_and_single_claims(client, noted):
    html = _html(client, "compare", a="noted-a", b="noted-b")
    shared = html[html.index("Questions both address") : html.index("Only in A")]
    assert CLAIM_NOTE in shared and OTHER_NOTE in shared
    assert OTHER_NOTE in html[html.index("Only in A") :]
    assert DRAFT_NOTE not in html


@pytest.mark.parametrize(
    "name, args, params",
    [
        ("metal_detail", ["Nd"], {}),
        ("actor_detail", ["noted-actor"], {}),
        ("search", [], {"q": "Noted"}),
    ],
)
def test_claim_lists_show_each_claims_note(client, noted, name, args, params):
    html = _html(client, name, args, **params)
    assert CLAIM_NOTE in html and OTHER_NOTE in html
    assert DRAFT_NOTE not in html


@pytest.mark.parametrize(
    "name, args",
    [
        ("question_detail", ["noted-question"]),
        ("source_detail", ["noted-a"]),
        ("metal_detail", ["Nd"]),
        ("actor_detail", ["noted-actor"]),
    ],
)
def test_claim_exports_have_a_note_column(client, noted, name, args):
    url = reverse(name, args=args)
    claims = json.loads(client.get(url, {"format": "json"}).content)["claims"]
    notes = {claim["quote"]: claim["note"] for claim in claims}
    assert notes["Noted ninety."] == CLAIM_NOTE
    assert DRAFT_NOTE not in notes.values()
    rows = list(
        csv.DictReader(io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    assert {row["quote"]: row["note"] for row in rows}["Noted ninety."] == CLAIM_NOTE


def test_the_compare_exports_give_each_refs_note(client, noted):
    url = reverse("compare")
    params = {"a": "noted-a", "b": "noted-b"}
    rows = json.loads(client.get(url, {**params, "format": "json"}).content)["rows"]
    shared = next(row for row in rows if row["question"] == "noted-question")
    assert (shared["a_notes"], shared["b_notes"]) == ([CLAIM_NOTE], [OTHER_NOTE])
    only = next(row for row in rows if row["verdict"] == "only a")
    assert only["a_notes"] == [OTHER_NOTE]
    text = client.get(url, {**params, "format": "csv"}).content.decode()
    assert "a_notes,b_notes" in text.splitlines()[0] and CLAIM_NOTE in text
    assert DRAFT_NOTE not in text


def test_the_source_list_exports_have_a_notes_column(client, noted):
    url = reverse("source_list")
    sources = json.loads(client.get(url, {"format": "json"}).content)["sources"]
    assert {s["slug"]: s["notes"] for s in sources}["noted-a"] == SOURCE_NOTE
    rows = csv.DictReader(
        io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig"))
    )
    assert {row["slug"]: row["notes"] for row in rows}["noted-b"] == ""


def test_a_draft_claims_note_is_on_no_page_and_in_no_export(client, noted):
    for name, args in (
        ("home", []),
        ("question_list", []),
        ("question_detail", ["noted-question"]),
        ("source_list", []),
        ("source_detail", ["noted-a"]),
        ("metal_detail", ["Nd"]),
        ("actor_detail", ["noted-actor"]),
    ):
        for fmt in ("html", "csv", "json"):
            response = client.get(reverse(name, args=args), {"format": fmt})
            assert DRAFT_NOTE not in response.content.decode(), (name, fmt)


def test_the_help_texts_tell_curators_that_notes_are_shown_to_readers():
    assert "shown to readers" in Source._meta.get_field("notes").help_text
    assert "shown to readers" in Claim._meta.get_field("note").help_text
