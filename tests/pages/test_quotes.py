"""Quotes between quotation marks, once: a quote stored with its own marks is never shown in two
pairs (““We would be happy…””), on any page."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from pages.display import quoted
from tests.conftest import make_claim, make_question, make_source

PUTIN = "eat-putin-happy-to-work-with-american-partners"  # stored as “We would be happy …”


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("Reserves are large.", "“Reserves are large.”"),
        ("“We would be happy to work with you.”", "“We would be happy to work with you.”"),
        ('"Straight marks."', "“Straight marks.”"),
        ("„Deutsche Zeichen.“", "“Deutsche Zeichen.”"),
        ("  “Spaced.”  ", "“Spaced.”"),
        # Marks inside a quotation become single ones, as a quotation within a quotation takes.
        (
            "“These are costly,” he said. “We would be happy.”",
            "“‘These are costly,’ he said. ‘We would be happy.’”",
        ),
        ("He called it “a disaster”.", "“He called it ‘a disaster’.”"),
        ('He said "no".', "“He said 'no'.”"),
        ("“Unclosed", "“‘Unclosed”"),
        ("Unopened”", "“Unopened’”"),
        # Guillemets and single marks are no double marks: kept as they are.
        ("«Da», he said.", "“«Da», he said.”"),
        ("It’s ‘difficult to verify’.", "“It’s ‘difficult to verify’.”"),
        ("“", "“‘”"),
        ("", "“”"),
    ],
)
def test_a_quote_gets_one_pair_of_marks(stored, shown):
    assert quoted(stored) == shown


def test_a_long_quote_is_cut_inside_its_marks():
    assert quoted("“We would be happy to work with any partners.”", 12) == "“We would be…”"
    assert quoted("Short.", 12) == "“Short.”"


def _doubled(html):
    """Two opening or two closing double marks in the text, with nothing but tags or spaces
    between them."""
    return re.findall(r"“(?:\s|<[^>]*>)*[“„]|”(?:\s|<[^>]*>)*”", html)


@pytest.mark.django_db
def test_no_page_of_the_demo_doubles_a_quotes_marks(client, demo):
    putin = Claim.objects.get(ref=PUTIN)
    assert putin.quote.startswith("“") and putin.quote.endswith("”")
    urls = [
        putin.get_absolute_url(),
        putin.source.get_absolute_url(),
        putin.question.get_absolute_url(),
        reverse("search") + "?q=happy",
        reverse("compare")
        + "?a=eurasian-times-2025-09-palve&b=edm-2026-02-russia-struggling-prc-rare-earth",
        reverse("actor_detail", args=["vladimir-putin"]),
        reverse("metal_detail", args=["REE"]),
    ]
    urls += [claim.get_absolute_url() for claim in Claim.objects.public()]
    for url in urls:
        html = client.get(url).content.decode()
        assert _doubled(html) == [], url
    page = client.get(putin.get_absolute_url()).content.decode()
    assert "<blockquote>“We would be happy to work with any foreign partners" in page


@pytest.mark.django_db
def test_every_template_that_quotes_shows_a_marked_quote_once(client):
    question = make_question()
    a, b = make_source(), make_source()
    stored = "“We would be happy to help.”"
    mine = make_claim(source=a, question=question, value=1, unit="%", quote=stored)
    make_claim(source=b, question=question, value=1, unit="%", quote="Reserves differ.")
    make_claim(source=a, question=make_question(), value=2, unit="%", quote=stored)
    shown = "“We would be happy to help.”"
    for url in [
        mine.get_absolute_url(),
        a.get_absolute_url(),
        question.get_absolute_url(),
        reverse("search") + "?q=happy",
        reverse("compare") + f"?a={a.slug}&b={b.slug}",
    ]:
        html = client.get(url).content.decode()
        assert shown in html and "““" not in html and "””" not in html, url
    # The search box's words too, in the page's title.
    html = client.get(reverse("search"), {"q": "“happy”"}).content.decode()
    assert "<title>“happy” · Search" in html
