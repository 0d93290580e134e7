"""Every public page: valid HTML, fit for a phone, no JavaScript, everything escaped."""

import io
import json

import html5lib
import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimLink, Metal
from tests.conftest import make_actor, make_claim, make_question, make_source

PAYLOAD = "<script>alert('x')</script>"

DEMO_URLS = [
    "/",
    "/questions/",
    "/questions/russia-ree-reserves-world-rank/",
    "/questions/russia-ree-reserves/",
    "/questions/russia-ree-import-share/",
    "/questions/china-shares-extraction-technology-with-russia/",
    "/questions/russia-rare-metals-production-growth-2030/",
    "/sources/",
    "/sources/eurasian-times-2025-09-palve/",
    "/sources/edm-2026-02-russia-struggling-prc-rare-earth/",
    "/compare/",
    "/compare/?a=eurasian-times-2025-09-palve&b=edm-2026-02-russia-struggling-prc-rare-earth",
    "/metals/",
    "/metals/Nd/",
    "/metals/REE/",
    "/actors/",
    "/actors/government-of-russia/",
    "/search/?q=reserves",
    "/claims/edm-china-share-ree-mining/",
    "/claims/edm-russia-ree-reserves/",
    "/claims/eat-russia-triple-production-ambition/",
    "/login/",
]


def _parse_strictly(html):
    # Raises on any parse error: unclosed or misnested tags, stray end tags, bad attributes ...
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)


@pytest.mark.django_db
def test_every_page_is_valid_html_for_a_phone_without_javascript(client):
    # One test for all pages: loading the demo data once is what takes the time.
    call_command("load_demo", stdout=io.StringIO())
    for url in DEMO_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        document = _parse_strictly(html)
        assert document.find(".//meta[@name='viewport']") is not None
        assert document.find(".//link[@rel='stylesheet']").get("href").endswith("site.css")
        assert "<script" not in html and " onclick=" not in html and " style=" not in html
        assert document.find(".//h1") is not None


@pytest.fixture
def hostile(db):
    """Every text a curator can type, set to a script tag."""
    actor = make_actor(name=PAYLOAD, aliases=PAYLOAD, description=PAYLOAD, slug="hostile")
    source = make_source(title=PAYLOAD, authors=PAYLOAD, notes=PAYLOAD, publisher=actor, slug="s1")
    other = make_source(title=PAYLOAD, slug="s2", publisher=actor)
    question = make_question(title=PAYLOAD, description=PAYLOAD, slug="q1")
    question.subjects.add(actor)
    nd = Metal.objects.get(symbol="Nd")
    for src, value in ((source, 10), (other, 50)):
        make_claim(
            ref=f"hostile-{value}",
            source=src,
            question=question,
            quote=PAYLOAD,
            paraphrase=PAYLOAD,
            speaker=actor,
            cited_source=other,
            about=[actor],
            metals=[nd],
            value=value,
            unit="%",
            status="disputed",
        )
    # A caveat with no figure, linked to both: the links name it by its quote.
    caveat = make_claim(source=other, quote=PAYLOAD, note=PAYLOAD, speaker=actor)
    for target in Claim.objects.filter(ref__startswith="hostile-"):
        ClaimLink.objects.create(claim=caveat, kind="qualifies", target=target)
    return question


HOSTILE_URLS = [
    "/",
    "/questions/",
    "/questions/q1/",
    "/sources/",
    "/sources/s1/",
    "/sources/s2/",
    "/compare/?a=s1&b=s2",
    "/metals/Nd/",
    "/actors/",
    "/actors/hostile/",
    "/search/?q=script",
    "/search/?q=" + PAYLOAD,
    "/claims/hostile-10/",
    "/claims/hostile-50/",
]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_text_from_the_database_is_escaped_in_html_and_svg(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    _parse_strictly(html)


def test_the_chart_escapes_labels(client, hostile):
    html = client.get("/questions/q1/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "&lt;script&gt;" in svg


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_text_from_the_database_is_inert_in_json_and_kept_in_csv(client, hostile, url):
    separator = "&" if "?" in url else "?"
    response = client.get(f"{url}{separator}format=json")
    assert b"<script" not in response.content
    json.loads(response.content)
    response = client.get(f"{url}{separator}format=csv")
    assert response["Content-Type"].startswith("text/csv")
