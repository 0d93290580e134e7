"""Data out: CSV and JSON for every page, safe in a spreadsheet and in a browser."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from pages import respond
from tests.conftest import make_claim, make_question, make_source

WORLD_RANK = "russia-ree-reserves-world-rank"


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_safe_cell_neutralises_formulas():
    assert respond.safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert respond.safe_cell("+1") == "'+1"
    # A plain number is not a formula (interchange.formats.neutralise, the one guard).
    assert respond.safe_cell("-1") == "-1"
    # An apostrophe already in front gets one more, so an import gives the text back whole.
    assert respond.safe_cell("'=1") == "''=1"
    assert respond.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert respond.safe_cell("\t=1") == "'\t=1"
    assert respond.safe_cell("plain") == "plain"
    # Numbers are numbers, not formulas.
    assert respond.safe_cell(-5) == -5
    assert respond.safe_cell(None) == ""
    assert respond.safe_cell(["a", "b"]) == "a|b"


def test_unknown_format_is_a_bad_request():
    request = RequestFactory().get("/", {"format": "xml"})
    with pytest.raises(respond.BadRequest):
        respond.requested_format(request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/questions/", "/sources/", "/metals/", "/actors/", "/search/?q=x", "/compare/"],
)
def test_every_list_page_answers_csv_and_json(client, url):
    separator = "&" if "?" in url else "?"
    csv_response = client.get(f"{url}{separator}format=csv")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "attachment" in csv_response["Content-Disposition"]
    json_response = client.get(f"{url}{separator}format=json")
    assert json_response.status_code == 200
    assert json_response["Content-Type"].startswith("application/json")
    json.loads(json_response.content)
    assert client.get(f"{url}{separator}format=pdf").status_code == 400


@pytest.mark.django_db
def test_the_question_json_has_the_verdict_and_each_claims_interval(client):
    call_command("load_demo", stdout=io.StringIO())
    response = client.get(reverse("question_detail", args=[WORLD_RANK]), {"format": "json"})
    data = json.loads(response.content)
    assert data["question"] == {
        "slug": WORLD_RANK,
        "title": "Russia’s world rank in rare-earth reserves",
        "kind": "rank",
        "unit": "rank",
        "tolerance": 0,
        # A rank starts at #1 without a stored bound; figures of different years must overlap.
        "lower_bound": None,
        "upper_bound": None,
        "drift": 0,
        "url": f"http://testserver/questions/{WORLD_RANK}/",
    }
    assert data["verdict"] == "conflict"
    claims = {claim["ref"]: claim for claim in data["claims"]}
    assert claims["eat-russia-ree-reserves-rank"]["source"] == "eurasian-times-2025-09-palve"
    assert claims["eat-russia-ree-reserves-rank"]["standing"] == "conflict"
    assert (
        claims["eat-russia-ree-reserves-rank"]["low"],
        claims["eat-russia-ree-reserves-rank"]["high"],
    ) == (5, 5)
    assert claims["edm-russia-ree-reserves-rank"]["low"] == 2


@pytest.mark.django_db
def test_open_ends_are_null_in_json_and_blank_in_csv(client):
    question = make_question()
    make_claim(question=question, ref="more-than-98", qualifier="more_than", value=98, unit="%")
    url = reverse("question_detail", args=[question.slug])
    claim = json.loads(client.get(url, {"format": "json"}).content)["claims"][0]
    assert (claim["low"], claim["high"], claim["standing"]) == (98, None, "single")
    row = _csv(client.get(url, {"format": "csv"}))[0]
    assert (row["low"], row["high"], row["normalised"]) == ("98.0", "", "> 98%")


@pytest.mark.django_db
def test_the_question_csv_is_the_table(client):
    call_command("load_demo", stdout=io.StringIO())
    response = client.get(reverse("question_detail", args=[WORLD_RANK]), {"format": "csv"})
    assert response["Content-Disposition"] == f'attachment; filename="question-{WORLD_RANK}.csv"'
    rows = _csv(response)
    assert {row["stated"]: row["standing"] for row in rows} == {"#5": "conflict", "#2": "conflict"}


@pytest.mark.django_db
def test_csv_cells_that_look_like_formulas_are_neutralised(client):
    question = make_question()
    make_claim(
        question=question, quote="=cmd|' /C calc'!A0", paraphrase="@SUM(1)", value=1, unit="%"
    )
    row = _csv(client.get(reverse("question_detail", args=[question.slug]), {"format": "csv"}))[0]
    assert row["quote"] == "'=cmd|' /C calc'!A0"
    assert row["paraphrase"] == "'@SUM(1)"


@pytest.mark.django_db
def test_json_escapes_markup(client):
    source = make_source(title="<script>alert(1)</script>")
    response = client.get(reverse("source_list"), {"format": "json"})
    assert b"<script>" not in response.content
    assert json.loads(response.content)["sources"][0]["title"] == source.title


@pytest.mark.django_db
def test_filters_are_kept_in_the_data_links(client):
    make_source(kind="report", published="2025")
    response = client.get(reverse("source_list"), {"kind": "report", "year": "2025", "page": "1"})
    html = response.content.decode()
    assert "?kind=report&amp;year=2025&amp;format=csv" in html
    rows = _csv(client.get(reverse("source_list"), {"kind": "report", "format": "csv"}))
    assert len(rows) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "99999"},
        {"kind": "novel"},
        {"actor": "no-such-actor"},
        {"actor": "<script>"},
    ],
)
def test_malformed_filters_are_bad_requests(client, query):
    assert client.get(reverse("source_list"), query).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/questions/?metal=%00",
        "/questions/x/?actor=%00",
        "/metals/Nd/?metal=N%00d",
        "/search/?q=%00",
        "/compare/?a=%00&b=x",
        "/?format=%00",
    ],
)
def test_nul_bytes_are_bad_requests_not_database_errors(client, url):
    # PostgreSQL refuses NUL in text; the forms refuse it first.
    assert client.get(url).status_code in (400, 404)


@pytest.mark.django_db
def test_a_page_beyond_the_last_is_not_found(client):
    assert client.get(reverse("source_list"), {"page": "x"}).status_code == 404
    assert client.get(reverse("source_list"), {"page": "99"}).status_code == 404


def test_json_writes_every_infinity_and_nan_as_null_wherever_it_is():
    # Encoded without a walk unless the encoder meets one (pages.respond.json_response).
    data = {"a": [1.5, float("inf")], "b": {"c": -float("inf"), "d": float("nan")}, "e": 2.0}
    assert json.loads(respond.json_response("x", data).content) == {
        "a": [1.5, None],
        "b": {"c": None, "d": None},
        "e": 2.0,
    }
    assert respond.json_response("x", {"e": 2.0}).content.decode() == '{"e":2.0}'
