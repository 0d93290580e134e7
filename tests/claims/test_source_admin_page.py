"""A source's admin page: its claims as a compact table, the link that adds the next claim with
the source, speaker and question filled in, and a fixed number of queries however many claims."""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from claims.admin import INLINE_CLAIMS
from claims.models import Claim
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user

pytestmark = pytest.mark.django_db


def source_page(source):
    return reverse("admin:sources_source_change", args=[source.pk])


def with_claims(count, **fields):
    """A source (with a publisher) and `count` claims in it, each with a question and speaker."""
    source = make_source(publisher=make_actor(), **fields)
    question = make_question()
    for _ in range(count):
        make_claim(source=source, question=question, speaker=make_actor(), value=70, unit="%")
    return source


class _FormFields(HTMLParser):
    """What a browser sends for the page's form: every named input, select and textarea."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") != "checkbox":
                self.data.append((name, attrs.get("value", "")))
            elif "checked" in attrs:
                self.data.append((name, attrs.get("value", "on")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            # A browser drops the one line break that follows <textarea>.
            self.data.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_data(html):
    form = re.search(r'<form [^>]*id="source_form".*?</form>', html, re.S).group(0)
    parser = _FormFields()
    parser.feed(form)
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


def test_the_claims_are_a_table_of_their_essential_fields_each_linked_to_its_page(admin_client):
    source = with_claims(2)
    html = admin_client.get(source_page(source)).content.decode()

    assert 'data-inline-type="tabular"' in html and 'data-inline-type="stacked"' not in html
    for name in ["quote", "question", "speaker", "status"]:
        assert html.count(f'name="claims-0-{name}"') == 1, name
    # The figure as stated (edited on the claim's page, with the ref, the metals, the actors).
    assert re.search(r'<td class="field-figure">\s*<p>70%</p>', html)
    for name in ["ref", "value", "unit", "about", "metals"]:
        assert f'name="claims-0-{name}"' not in html, name
    for claim in source.claims.all():
        assert reverse("admin:claims_claim_change", args=[claim.pk]) in html
        assert claim.ref in html
    # Claims are added on their own form (below), not as blank rows of the table.
    assert 'name="claims-__prefix__-quote"' not in html


@pytest.mark.parametrize("count", [3, 100])
def test_the_page_runs_a_fixed_number_of_queries_however_many_claims(
    admin_client, django_assert_num_queries, count
):
    source = with_claims(count)
    # 1. session, 2. user, 3. the source with its count of claims, 4. its publisher (to name it
    # in its autocomplete), 5. the speaker and question of its last claim (for the add link),
    # 6. its first claims, joined with their questions and speakers (which name themselves in
    # their autocompletes: no query per row).
    with django_assert_num_queries(6):
        response = admin_client.get(source_page(source))
    rows = re.findall(r'name="claims-\d+-id"', response.content.decode())
    assert len(rows) == min(count, INLINE_CLAIMS)


def test_beyond_a_few_dozen_the_table_links_to_all_the_claims_in_the_claim_list(admin_client):
    source = with_claims(INLINE_CLAIMS + 5, slug="big-source")
    html = admin_client.get(source_page(source)).content.decode()
    assert f"{INLINE_CLAIMS + 5} claims: the first {INLINE_CLAIMS}" in html
    listed = reverse("admin:claims_claim_changelist") + "?source=big-source"
    assert f'<a href="{listed}">All {INLINE_CLAIMS + 5} in the claim list</a>' in html
    # The first ones recorded, in that order.
    first = list(source.claims.order_by("pk").values_list("ref", flat=True)[:INLINE_CLAIMS])
    shown = re.findall(r'<td class="original">\s*<p>\s*([^\s<]+)', html)
    assert shown == first


def add_link(html):
    url = re.search(r'<a class="addlink" href="([^"]+)">Add a claim to this source</a>', html)
    return url.group(1).replace("&amp;", "&")


def test_the_add_link_fills_in_the_source_and_then_its_last_claims_speaker_and_question(
    admin_client,
):
    source = make_source(slug="s-new")
    first = add_link(admin_client.get(source_page(source)).content.decode())
    assert parse_qs(urlsplit(first).query) == {
        "source": [str(source.pk)],
        "_changelist_filters": ["source=s-new"],
    }

    make_claim(source=source, speaker=make_actor(), question=make_question())
    last = make_claim(source=source, speaker=make_actor(), question=make_question())
    then = add_link(admin_client.get(source_page(source)).content.decode())
    assert parse_qs(urlsplit(then).query) == {
        "source": [str(source.pk)],
        "speaker": [str(last.speaker_id)],
        "question": [str(last.question_id)],
        "_changelist_filters": ["source=s-new"],
    }

    form = admin_client.get(then).context["adminform"].form
    assert form.initial["source"] == str(source.pk)
    assert form.initial["speaker"] == str(last.speaker_id)
    assert form.initial["question"] == str(last.question_id)


def add_form_data(**fields):
    return {
        "ref": "",
        "quote": "",
        "status": "draft",
        "qualifier": "",
        "unit": "",
        "answer": "",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        **fields,
    }


def test_save_and_add_another_keeps_the_source_speaker_and_question(admin_client):
    source = make_source(slug="s-kept")
    speaker, question = make_actor(), make_question()
    url = add_link(admin_client.get(source_page(source)).content.decode())

    response = admin_client.post(
        url,
        add_form_data(
            ref="kept-1",
            quote="One.",
            source=source.pk,
            speaker=speaker.pk,
            question=question.pk,
            _addanother="1",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Claim.objects.get(ref="kept-1").source == source
    following = parse_qs(urlsplit(response["Location"]).query)
    assert following == {
        "source": [str(source.pk)],
        "speaker": [str(speaker.pk)],
        "question": [str(question.pk)],
        "_changelist_filters": ["source=s-kept"],
    }
    form = admin_client.get(response["Location"]).context["adminform"].form
    assert (form.initial["source"], form.initial["speaker"], form.initial["question"]) == (
        str(source.pk),
        str(speaker.pk),
        str(question.pk),
    )


def test_save_returns_to_the_claim_list_filtered_by_the_source(admin_client):
    source = make_source(slug="s-back")
    url = add_link(admin_client.get(source_page(source)).content.decode())
    response = admin_client.post(
        url, add_form_data(ref="back-1", quote="One.", source=source.pk, _save="Save")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:claims_claim_changelist") + "?source=s-back"


def test_saving_the_page_as_shown_changes_no_claim(admin_client):
    source = with_claims(3)
    before = {c.pk: c.version for c in source.claims.all()}
    history = Claim.history.count()
    data = form_data(admin_client.get(source_page(source)).content.decode())

    response = admin_client.post(source_page(source), {**data, "_save": "Save"})

    assert response.status_code == 302
    assert {c.pk: c.version for c in source.claims.all()} == before
    assert Claim.history.count() == history


def test_a_claim_filed_in_the_table_is_saved(admin_client):
    source = with_claims(2)
    other = make_question()
    data = form_data(admin_client.get(source_page(source)).content.decode())
    data["claims-1-question"] = [str(other.pk)]
    data["claims-1-status"] = ["disputed"]

    response = admin_client.post(source_page(source), {**data, "_save": "Save"})

    assert response.status_code == 302
    first, second = source.claims.order_by("pk")
    assert (second.question, second.status) == (other, "disputed")
    assert first.question != other and first.status == "checked"


def test_a_reader_sees_the_claims_read_only_with_figures_as_stated_and_no_add_link(client):
    source = with_claims(2)
    client.force_login(make_user("reader"))
    html = client.get(source_page(source)).content.decode()
    assert 'name="claims-0-quote"' not in html
    assert re.search(r'<td class="field-figure">\s*<p>70%</p>', html)
    assert "70.000000" not in html
    assert "Add a claim to this source" not in html


def test_a_claim_checked_in_the_table_records_who_checked_it(client):
    source = make_source(text="China handles nearly 90 percent of processing.")
    claim = make_claim(source=source, quote="nearly 90 percent", status="draft")
    curator = make_user("curator")
    client.force_login(curator)
    data = form_data(client.get(source_page(source)).content.decode())
    data["claims-0-status"] = ["checked"]

    response = client.post(source_page(source), {**data, "_save": "Save"})

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.checked_by) == ("checked", curator)
    assert claim.checked_at is not None
