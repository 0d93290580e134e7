"""Every admin page a curator uses renders, and changelists run a fixed number of queries."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Metal, Question
from sources.models import Actor, Source
from tests.conftest import make_actor, make_claim, make_question, make_source

MODELS = [Actor, Source, Metal, Question, Claim]


def add_rows(count):
    """`count` more rows in every table, each claim with a speaker, a question and relations."""
    nd = Metal.objects.get(symbol="Nd")
    for _ in range(count):
        parent = make_actor()
        speaker = make_actor(parent=parent)
        source = make_source(publisher=parent, text="It is 90 percent.")
        question = make_question()
        question.subjects.add(parent)
        question.metals.add(nd)
        make_claim(
            source=source,
            question=question,
            speaker=speaker,
            cited_source=make_source(),
            about=[parent],
            metals=[nd],
            qualifier="exact",
            value=Decimal(90),
            unit="%",
        )


def changelist_queries(client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_changelist_runs_the_same_queries_for_three_rows_as_for_six(admin_client, model):
    add_rows(3)
    three, response = changelist_queries(admin_client, model)
    add_rows(3)
    six, _ = changelist_queries(admin_client, model)
    assert three == six, f"{model.__name__} changelist: {three} queries for 3 rows, {six} for 6"
    # session, user, the rows, and a few per filter or count: never one per row.
    assert six <= 12


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_add_page_renders(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"<form" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_change_page_renders(admin_client, model):
    add_rows(1)
    obj = model.objects.first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert str(obj).encode() in response.content


@pytest.mark.django_db
def test_the_claim_page_says_whether_the_quote_is_in_the_source(admin_client):
    source = make_source(text="China handles nearly 90 percent of processing.")
    found = make_claim(source=source, quote="nearly 90 percent")
    missing = make_claim(source=source, quote="91 percent")
    page = admin_client.get(reverse("admin:claims_claim_change", args=[found.pk]))
    assert b"found verbatim in the source" in page.content
    page = admin_client.get(reverse("admin:claims_claim_change", args=[missing.pk]))
    assert b"NO: not found" in page.content


@pytest.mark.django_db
def test_the_source_and_question_lists_count_and_sort_by_claims(admin_client):
    question, idle = make_question(title="A contested"), make_question(title="B idle")
    busy, quiet = make_source(title="A busy"), make_source(title="B quiet")
    for _ in range(3):
        make_claim(source=busy, question=question)
    make_claim(source=quiet)

    for url, rows in [
        ("/admin/sources/source/", [(busy, 3), (quiet, 1)]),
        ("/admin/claims/question/", [(question, 3), (idle, 0)]),
    ]:
        html = admin_client.get(url).content.decode()
        cells = html.split('<td class="field-claim_count">')[1:]
        assert [cell.split("<")[0] for cell in cells] == [str(count) for _, count in rows]
        # Sorted by that column, through the link in its header.
        header = html[html.index("column-claim_count") :]
        column = re.search(r'href="\?o=(\d+)', header).group(1)
        ascending = admin_client.get(url, {"o": column}).content.decode()
        assert ascending.index(str(rows[1][0])) < ascending.index(str(rows[0][0]))
        descending = admin_client.get(url, {"o": f"-{column}"}).content.decode()
        assert descending.index(str(rows[0][0])) < descending.index(str(rows[1][0]))


@pytest.mark.django_db
def test_the_source_page_shows_its_claims_inline(admin_client):
    source = make_source()
    make_claim(source=source, ref="eat-one")
    make_claim(source=source, ref="eat-two")
    page = admin_client.get(reverse("admin:sources_source_change", args=[source.pk]))
    assert b"eat-one" in page.content
    assert b"eat-two" in page.content


@pytest.mark.django_db
def test_the_question_page_lists_claims_with_standing_and_links_to_the_public_page(admin_client):
    question = make_question(slug="china-share", unit="%", tolerance=Decimal(2))
    make_claim(question=question, ref="says-93", qualifier="exact", value=Decimal(93), unit="%")
    make_claim(question=question, ref="says-94", qualifier="exact", value=Decimal(94), unit="%")
    page = admin_client.get(reverse("admin:claims_question_change", args=[question.pk]))
    content = page.content.decode()
    assert "says-93" in content and "says-94" in content
    assert "Verdict: <strong>close</strong>" in content
    assert reverse("question_detail", args=["china-share"]) in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("param", "value"),
    [("status", "checked"), ("question", "q-kept"), ("source", "s-kept"), ("speaker", "a-kept")],
)
def test_claims_filter_by_question_source_speaker_and_status(admin_client, param, value):
    kept = make_claim(
        ref="kept",
        question=make_question(slug="q-kept"),
        source=make_source(slug="s-kept"),
        speaker=make_actor(slug="a-kept"),
        status="checked",
    )
    make_claim(ref="other", question=make_question(), speaker=make_actor(), status="draft")
    page = admin_client.get(reverse("admin:claims_claim_changelist"), {param: value})
    assert page.status_code == 200
    assert f">{kept.ref}<".encode() in page.content
    assert b">other<" not in page.content


@pytest.mark.django_db
def test_claims_filter_by_metal(admin_client):
    nd = Metal.objects.get(symbol="Nd")
    make_claim(ref="about-nd", metals=[nd])
    make_claim(ref="about-nothing")
    page = admin_client.get(reverse("admin:claims_claim_changelist"), {"metals__id__exact": nd.pk})
    assert b">about-nd<" in page.content
    assert b">about-nothing<" not in page.content
