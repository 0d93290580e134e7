"""Every public URL × every query parameter it reads × odd values: never a server error.

The URLs are all of pages/urls.py, with the keys of a small set of records; the parameters are
found by asking each page which ones it reads (so a parameter added later is fuzzed too). The test
client raises a view's exception instead of answering 500: either way the test fails, naming the
URL and the parameters. About a thousand requests, a few seconds.
"""

import pytest
from django.http import QueryDict
from django.urls import URLPattern, reverse

from claims.models import Metal
from pages.urls import urlpatterns
from tests.conftest import make_actor, make_claim, make_question, make_source

ODD_VALUES = [
    "",
    " ",
    "²",
    "①",
    "١٢",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
    "9" * 5000,
    "1e308",
    "NaN",
    "\x00",
    "x" * 10_000,
    "Nd/x",
    "../",
    "%00",
    "'\"<script>",
    "\u202e\ufeff",
    "🜨",
]


@pytest.fixture
def records(db):
    """A question with claims from two sources, an actor with a parent and a child, and a metal;
    (URL name -> positional args) for every URL, and the parameters some URLs need to get past
    their first check (compare needs two sources, search a word)."""
    nd = Metal.objects.get(symbol="Nd")
    parent = make_actor(slug="fuzz-parent")
    actor = make_actor(slug="fuzz-actor", parent=parent)
    make_actor(slug="fuzz-child", parent=actor)
    question = make_question(slug="fuzz-question", title="Fuzz question")
    question.subjects.add(actor)
    question.metals.add(nd)
    sources, claims = [], []
    for n, value in ((1, 10), (2, 50)):
        source = make_source(slug=f"fuzz-source-{n}", publisher=actor, published="2025-01")
        sources.append(source)
        claims.append(
            make_claim(source=source, question=question, speaker=actor, value=value, unit="%")
        )
        make_claim(source=source, quote="Fuzz remark.", metals=[nd], about=[actor], note="A note.")
    args = {
        "question_detail": [question.slug],
        "source_detail": [sources[0].slug],
        "source_text": [sources[0].slug],
        "claim_detail": [claims[0].ref],
        "metal_detail": [nd.symbol],
        "actor_detail": [actor.slug],
    }
    needs = {"compare": {"a": sources[0].slug, "b": sources[1].slug}, "search": {"q": "fuzz"}}
    return args, needs


NAMES = [pattern.name for pattern in urlpatterns if isinstance(pattern, URLPattern)]


def _parameters_read(client, url, base, monkeypatch):
    """The names the page looks up in its query string, found by recording each look-up."""
    read = set()
    for name in ("get", "getlist", "__getitem__", "__contains__"):
        original = getattr(QueryDict, name)

        def recording(self, key, *args, _original=original):
            read.add(key)
            return _original(self, key, *args)

        monkeypatch.setattr(QueryDict, name, recording)
    client.get(url, base)
    monkeypatch.undo()
    return read - {"csrfmiddlewaretoken"}


@pytest.mark.parametrize("name", NAMES)
def test_no_query_string_makes_a_public_page_fail(client, records, monkeypatch, name):
    args, needs = records
    url = reverse(name, args=args.get(name, []))
    base = needs.get(name, {})
    parameters = _parameters_read(client, url, base, monkeypatch)
    assert "format" in parameters  # every page is also data: the recording works
    failures = []
    for parameter in sorted(parameters):
        tries = [{parameter: value} for value in ODD_VALUES]
        # Repeated: Django reads the last; a view reading a list must cope with several.
        tries.append({parameter: ["1", "²", ""]})
        # The exports read the same parameters down another path.
        tries += [{parameter: value, "format": "json"} for value in ("-1", "\x00", "x" * 10_000)]
        for params in tries:
            query = {**base, **params}
            try:
                status = client.get(url, query).status_code
            except Exception as error:
                raise AssertionError(f"{url} {query!r:.200} raised {error!r}") from error
            if status >= 500:
                failures.append((url, repr(query)[:200], status))
    assert failures == []


@pytest.mark.parametrize("prefix", ["questions", "sources", "claims", "metals", "actors"])
def test_no_key_in_the_address_makes_a_detail_page_fail(client, records, prefix):
    # Keys the URL patterns refuse answer 404 before any view; the others reach one, and find
    # no record.
    for key in ["²", "%C2%B2", "Nd%2Fx", "%00", "x" * 2000, "-1", "99999999999999999999", "🜨"]:
        assert client.get(f"/{prefix}/{key}/").status_code in (400, 404), key
