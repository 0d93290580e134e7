"""Bad input in the admin: payloads come out escaped, big uploads are refused, odd URLs are 4xx.

(The public pages' own escaping tests live with those pages; here: the admin and its exports.)
"""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims.models import Claim, Metal, Question
from sources.models import Actor, Source
from tests.conftest import make_actor, make_claim, make_question, make_source, make_user

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&"
MODELS = [Actor, Source, Metal, Question, Claim]


@pytest.fixture
def curator(client, db):
    client.force_login(make_user("curator"))
    return client


@pytest.fixture
def hostile(db):
    """A record of each model with the payload in every text field a curator can type in."""
    actor = make_actor(name=f"Actor {PAYLOAD}", aliases=PAYLOAD, description=PAYLOAD)
    source = make_source(
        title=f"Source {PAYLOAD}", publisher=actor, authors=PAYLOAD, text=PAYLOAD, notes=PAYLOAD
    )
    metal = Metal.objects.create(symbol="XX", name=f"Metal {PAYLOAD}", category="group")
    question = make_question(title=f"Question {PAYLOAD}", description=PAYLOAD)
    question.subjects.add(actor)
    question.metals.add(metal)
    claim = make_claim(
        source=source,
        question=question,
        speaker=actor,
        quote=PAYLOAD,
        paraphrase=PAYLOAD,
        note=PAYLOAD,
        about=[actor],
        metals=[metal],
        qualifier="exact",
        value=Decimal(1),
        unit="%",
    )
    claim.quote = f"{PAYLOAD} changed"
    claim.save()  # so the history page shows a change with the payload on both sides
    return {Actor: actor, Source: source, Metal: metal, Question: question, Claim: claim}


def admin_pages(hostile):
    for model in MODELS:
        obj = hostile[model]
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{info}_changelist")
        yield reverse(f"{info}_changelist") + "?q=script"
        yield reverse(f"{info}_change", args=[obj.pk])
        yield reverse(f"{info}_history", args=[obj.pk])
        yield reverse(f"{info}_simple_history", args=[obj.pk, obj.history.earliest().pk])
        yield reverse(f"{info}_delete", args=[obj.pk])


def test_payloads_come_out_escaped_on_every_admin_page(curator, hostile):
    for url in admin_pages(hostile):
        response = curator.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url


def test_admin_pages_need_no_inline_script_under_the_content_security_policy(curator, hostile):
    pages = [
        *admin_pages(hostile),
        reverse("admin:index"),
        reverse("admin:claims_claim_add"),
        reverse("admin:claims_claim_import"),
        reverse("admin:claims_claim_export"),
    ]
    for url in pages:
        response = curator.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"], url
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"{url}: inline script {tag}"
        assert not re.search(r"\son(click|load|change|submit)=", html), url


def test_the_login_page_needs_no_inline_script(client, db):
    html = client.get(reverse("admin:login")).content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))


def test_exports_are_downloads_never_rendered_as_html(curator, hostile):
    # A CSV holds the payload as data (a re-import must give it back unchanged), so it is served
    # as an attachment of a non-HTML type that browsers may not sniff.
    model_admin = admin.site._registry[Claim]
    csv = next(
        i for i, f in enumerate(model_admin.get_export_formats()) if f().get_extension() == "csv"
    )
    url = reverse("admin:claims_claim_export")
    response = curator.post(url, {"format": csv, "resource": 0, "claimresource_ref": True})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_import_file_over_the_limit_is_refused_with_a_message(curator, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 1000
    header = "slug,name,kind,country,parent,aliases,wikidata_id,description\n"
    rows = "".join(f"actor-{n},Actor {n},organisation,,,,,\n" for n in range(100))
    upload = SimpleUploadedFile("actors.csv", (header + rows).encode(), content_type="text/csv")
    url = reverse("admin:sources_actor_import")
    response = curator.post(url, {"import_file": upload, "format": 0}, follow=True)
    assert response.status_code == 200
    assert "an import file may be at most 1000" in response.content.decode()
    assert not Actor.objects.exists()


def test_a_request_body_over_the_limit_is_refused(curator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    claim = make_claim()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    curator.raise_request_exception = False
    response = curator.post(url, {"quote": "x" * 5000})
    assert response.status_code == 400


MALFORMED_QUERIES = [
    "?o=x",
    "?o=99.1",
    "?p=abc",
    "?p=-1",
    "?p=99999999999999999999",
    "?status=bogus",
    "?status__exact=%00",
    "?id__gt=abc",
    "?pk=abc",
    "?q=%25%27%22%5C_%3B--%20OR%201%3D1",
    "?q=%00",
    "?_to_field=password",
    "?_popup=abc",
    "?e=1",
    "?question=%27%3B--",
    "?source=%3Cscript%3E",
    "?metals__id__exact=abc",
    "?all=&q=x",
]
MALFORMED_IDS = ["abc", "1.5", "-1", "99999999999999999999", "%00", "%27%20OR%201"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_malformed_admin_urls_give_a_redirect_or_4xx_never_500(curator, hostile, model):
    curator.raise_request_exception = False
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    changelist = reverse(f"{info}_changelist")
    urls = [changelist + query for query in MALFORMED_QUERIES]
    for bad in MALFORMED_IDS:
        urls += [
            f"{changelist}{bad}/change/",
            f"{changelist}{bad}/delete/",
            f"{changelist}{bad}/history/",
            f"{changelist}{bad}/history/1/",
            f"{changelist}{hostile[model].pk}/history/{bad}/",
        ]
    bad_status = {}
    for url in urls:
        status = curator.get(url).status_code
        if not (status in (200, 302) or 400 <= status < 500):
            bad_status[url] = status
    assert not bad_status


def test_admin_search_treats_sql_and_like_characters_as_text(curator, db):
    make_claim(ref="percent", quote="nearly 90% of it")
    make_claim(ref="underscore", quote="a_b")
    make_claim(ref="plain", quote="ninety percent")
    url = reverse("admin:claims_claim_changelist")
    for query, expected in [("90%", ["percent"]), ("a_b", ["underscore"]), ("' OR 1=1 --", [])]:
        response = curator.get(url, {"q": query})
        assert response.status_code == 200
        found = [c.ref for c in response.context["cl"].result_list]
        assert found == expected, query


@pytest.mark.parametrize(
    "url", ["/?q=%00", "/metals/%00/", "/sources/x/?format=%00", "/admin/?%00=1"]
)
def test_a_nul_character_in_the_address_is_a_bad_request(curator, url):
    # PostgreSQL refuses NUL in text: without this it would be a server error there.
    assert curator.get(url).status_code == 400
