"""Every page's CSV and JSON say what the page says: its verdict words, its open ends ("more than
90 %" is not 90–90), the question's title, unit and verdict on each of its rows, quotes exactly as
stored, and public CSV downloads that Excel opens as UTF-8 (a byte-order mark); the interchange
files (the admin's export, export_data) stay as their imports read them."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from claims.models import Claim
from pages.respond import BOM
from tests.conftest import make_actor, make_claim, make_question, make_source
from tests.import_helpers import run
from tests.interchange.test_admin_import_export import export, upload
from tests.pages.test_serialisers import _pages

pytestmark = pytest.mark.django_db


def _csv(client, url, **params):
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200, url
    assert response.content.startswith(BOM.encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _json(client, url, **params):
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200, url
    return json.loads(response.content)


def _more_than_90(**fields):
    """A question whose one claim says "more than 90 %"."""
    question = make_question(**fields)
    claim = make_claim(question=question, qualifier="more_than", value=Decimal(90), unit="%")
    return question, claim


# Open ends.


def test_a_question_lists_csv_and_json_keep_an_open_spread(client):
    question, _ = _more_than_90()
    for url in (reverse("home"), reverse("question_list")):
        assert "90+%" in client.get(url).content.decode()
        [row] = [r for r in _csv(client, url) if r["slug"] == question.slug]
        assert (row["spread_low"], row["spread_high"]) == ("90.0", "90.0")
        assert (row["spread_open_low"], row["spread_open_high"]) == ("false", "true")
        [item] = [q for q in _json(client, url)["questions"] if q["slug"] == question.slug]
        assert (item["spread_low"], item["spread_high"]) == (90, 90)
        assert (item["spread_open_low"], item["spread_open_high"]) == (False, True)


def test_a_question_without_a_spread_has_no_open_flags(client):
    question = make_question()
    [row] = [r for r in _csv(client, reverse("question_list")) if r["slug"] == question.slug]
    assert [
        row[c] for c in ("spread_low", "spread_high", "spread_open_low", "spread_open_high")
    ] == [
        "",
        "",
        "",
        "",
    ]


def test_a_question_pages_csv_and_json_keep_open_ends_as_its_json_always_has(client):
    question, claim = _more_than_90()
    url = reverse("question_detail", args=[question.slug])
    data = _json(client, url)
    assert data["spread"] == {"low": 90, "high": 90, "open_low": False, "open_high": True}
    [item] = data["claims"]
    assert (item["low"], item["high"]) == (90, None)
    assert (item["low_excluded"], item["high_excluded"]) == (True, None)
    assert item["normalised"] == "> 90%"
    [row] = _csv(client, url)
    assert (row["low"], row["high"], row["low_excluded"], row["high_excluded"]) == (
        "90.0",
        "",
        "true",
        "",
    )


def test_at_least_is_told_from_more_than_and_a_closed_end_is_not_excluded(client):
    question = make_question()
    make_claim(question=question, qualifier="at_least", value=Decimal(90), unit="%")
    make_claim(question=question, qualifier="at_most", value=Decimal(95), unit="%")
    items = _json(client, reverse("question_detail", args=[question.slug]))["claims"]
    ends = {(i["low"], i["high"], i["low_excluded"], i["high_excluded"]) for i in items}
    assert ends == {(90, None, False, None), (None, 95, None, False)}


def test_claim_lists_on_metal_actor_and_source_pages_keep_what_the_claim_states(client, neodymium):
    speaker = make_actor()
    source = make_source()
    make_claim(
        question=make_question(),
        source=source,
        speaker=speaker,
        metals=[neodymium],
        qualifier="more_than",
        value=Decimal(90),
        unit="%",
    )
    for url in (
        reverse("metal_detail", args=["Nd"]),
        reverse("actor_detail", args=[speaker.slug]),
        reverse("source_detail", args=[source.slug]),
    ):
        assert "more than 90%" in client.get(url).content.decode(), url
        [row] = _csv(client, url)
        assert (row["stated"], row["qualifier"], row["value"], row["value_high"]) == (
            "more than 90%",
            "more_than",
            "90",
            "",
        ), url
        [item] = _json(client, url)["claims"]
        assert (item["qualifier"], item["value"], item["value_high"]) == ("more_than", 90, None)
    [item] = _json(client, reverse("source_detail", args=[source.slug]))["claims"]
    assert (item["low"], item["high"], item["low_excluded"]) == (90, None, True)


# Verdict words.


def test_a_question_with_no_claims_says_no_claims_on_the_page_and_in_the_data(client):
    question = make_question()
    for url in (reverse("home"), reverse("question_list")):
        assert "no claims" in client.get(url).content.decode()
        [row] = [r for r in _csv(client, url) if r["slug"] == question.slug]
        assert (row["verdict"], row["verdict_label"]) == ("no claims", "no claims")
        [item] = [q for q in _json(client, url)["questions"] if q["slug"] == question.slug]
        assert (item["verdict"], item["verdict_label"]) == ("no claims", "no claims")
    url = reverse("question_detail", args=[question.slug])
    page = client.get(url)
    assert page.context["badge"][1] == "no claims"
    data = _json(client, url)
    assert (data["verdict"], data["verdict_label"], data["claims"]) == (
        "no claims",
        "no claims",
        [],
    )
    assert _csv(client, url) == []


def test_filters_that_leave_no_claim_say_no_claims_too(client):
    question, _ = _more_than_90()
    url = reverse("question_detail", args=[question.slug])
    assert client.get(url, {"year": 1901}).context["badge"][1] == "no claims"
    assert _json(client, url, year=1901)["verdict"] == "no claims"


def test_the_lists_verdict_label_is_the_pages_badge(client):
    question, _ = _more_than_90()
    rows = {row.question.slug: row for row in client.get(reverse("question_list")).context["rows"]}
    [item] = [
        q
        for q in _json(client, reverse("question_list"))["questions"]
        if q["slug"] == question.slug
    ]
    assert item["verdict_label"] == rows[question.slug].badge[1]
    assert item["verdict"] == str(rows[question.slug].verdict)


def test_each_row_of_a_question_csv_names_its_question_and_the_pages_verdict(client):
    question = make_question(title="Share of Nd refined in China", unit="%")
    make_claim(question=question, value=Decimal(90), unit="%")
    make_claim(question=question, value=Decimal(50), unit="%")
    url = reverse("question_detail", args=[question.slug])
    page = client.get(url)
    data = _json(client, url)
    assert data["verdict"] == str(page.context["outcome"].verdict) == "conflict"
    assert data["verdict_label"] == page.context["badge"][1]
    rows = _csv(client, url)
    assert len(rows) == 2
    for row in rows:
        assert row["question_title"] == "Share of Nd refined in China"
        assert row["question_unit"] == "%"
        assert row["verdict"] == "conflict"
    for item in data["claims"]:
        assert (item["question_title"], item["question_unit"], item["verdict"]) == (
            "Share of Nd refined in China",
            "%",
            "conflict",
        )


def test_the_source_pages_rows_carry_their_questions_verdict(client):
    question = make_question()
    mine = make_source()
    make_claim(question=question, source=mine, value=Decimal(90), unit="%")
    make_claim(question=question, value=Decimal(50), unit="%")
    [row] = _csv(client, reverse("source_detail", args=[mine.slug]))
    assert (row["question"], row["question_title"], row["verdict"]) == (
        question.slug,
        question.title,
        _json(client, reverse("question_detail", args=[question.slug]))["verdict"],
    )


def test_the_compare_pages_verdict_label_is_its_badge(client):
    question = make_question()
    a, b = make_source(), make_source()
    make_claim(source=a, question=question, value=Decimal(10), unit="%")
    make_claim(source=b, question=question, value=Decimal(50), unit="%")
    params = {"a": a.slug, "b": b.slug}
    page = client.get(reverse("compare"), params)
    [shared] = page.context["result"]["shared"]
    [row] = _csv(client, reverse("compare"), **params)
    [item] = _json(client, reverse("compare"), **params)["rows"]
    assert (row["verdict"], row["verdict_label"]) == (shared["verdict"], shared["badge"][1])
    assert (item["verdict"], item["verdict_label"]) == (shared["verdict"], shared["badge"][1])


def test_every_verdict_in_the_demos_data_is_the_pages(client, demo):
    for url in (reverse("home"), reverse("question_list")):
        rows = {row.question.slug: row for row in client.get(url).context["rows"]}
        for item in _json(client, url)["questions"]:
            assert item["verdict_label"] == rows[item["slug"]].badge[1]
    for slug in rows:
        url = reverse("question_detail", args=[slug])
        badge = client.get(url).context["badge"]
        data = _json(client, url)
        assert data["verdict_label"] == badge[1], slug
        assert {row["verdict"] for row in _csv(client, url)} <= {data["verdict"]}, slug


# The files themselves.


def test_every_public_csv_starts_with_a_byte_order_mark_and_keeps_its_accents(client, demo):
    make_source(slug="accents", title="Ré-exportations de néodyme")
    for url, _ in [*_pages(), ("/sources/", "sources")]:
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}format=csv")
        assert response["Content-Type"] == "text/csv; charset=utf-8", url
        assert response.content.startswith(b"\xef\xbb\xbf"), url
        assert not response.content[3:].startswith(b"\xef\xbb\xbf"), url
        assert not client.get(f"{url}{separator}format=json").content.startswith(b"\xef\xbb\xbf")
    text = client.get("/sources/?format=csv").content.decode("utf-8-sig")
    assert "Ré-exportations de néodyme" in text


@pytest.mark.parametrize(
    "quote",
    [
        "“We would be happy to supply them,” he said.",
        "He said: “more than 90 %”",
        '"Difficult to verify"',
        'The "official" figure',
    ],
)
def test_quotes_are_exported_as_stored_without_added_marks(client, quote):
    question = make_question()
    make_claim(question=question, quote=quote, value=Decimal(90), unit="%")
    url = reverse("question_detail", args=[question.slug])
    [row] = _csv(client, url)
    assert row["quote"] == quote
    [item] = _json(client, url)["claims"]
    assert item["quote"] == quote
    raw = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    assert "““" not in raw and "””" not in raw
    if '"' not in quote:
        assert quote in raw  # written as it is, with no quotation marks of the CSV's own around it


def test_the_admins_export_still_re_imports_unchanged(admin_client):
    make_claim(ref="accented", quote="“Ré-export”, he said.", value=Decimal(90), unit="%")
    exported = export(admin_client, Claim)
    preview = upload(admin_client, Claim, exported.content, name="claims.csv")
    # The module's demo data (loaded once for its tests) is exported and re-read with it.
    unchanged = f"0 to create, 0 to update, {Claim.objects.count()} unchanged."
    assert unchanged.encode() in preview.content


def test_export_data_files_still_import_unchanged(demo, tmp_path):
    _, err, error = run("export_data", tmp_path)
    assert error is None, err
    out, err, error = run("import_data", tmp_path, "--dry-run")
    assert error is None, err
    count = Claim.objects.count()
    assert f"claims.csv: 0 created, 0 updated, {count} unchanged, 0 errors" in out
