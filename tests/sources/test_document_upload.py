"""A document uploaded on a source's admin page: its text becomes the source's text (and its
claims' quotes are looked for in it), and a file refused changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sources.models import Source
from tests.conftest import make_claim, make_source, make_user
from tests.sources.test_documents import (
    ARTICLE,
    BOILERPLATE,
    PNG,
    blank_pdf,
    encrypted_pdf,
    pdf_with_text,
    web_page,
)

pytestmark = pytest.mark.django_db


def change_url(source):
    return reverse("admin:sources_source_change", args=[source.pk])


@pytest.fixture
def curator(client):
    # A curator: may add and change sources, and so upload their documents.
    client.force_login(make_user("curator"))
    return client


def form_data(response):
    """What a browser posts back from the source's page as rendered, its claims left as they are
    (their table's management form with no rows)."""
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {name: "" if name == "document" else str(value) for name, value in data.items()}
    prefix = "claims"
    for name, value in (("TOTAL", 0), ("INITIAL", 0), ("MIN_NUM", 0), ("MAX_NUM", 1000)):
        data[f"{prefix}-{name}_FORMS"] = str(value)
    data["_save"] = "Save"
    return data


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_page_posts_files_and_says_what_it_takes(curator):
    source = make_source()
    html = curator.get(change_url(source)).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="document"' in html
    assert "a saved web page (.html or .mhtml) or a PDF with a text layer" in html
    assert "replaces whatever is in Text above" in html


def test_a_reader_sees_the_text_and_no_upload(client):
    # A reader: may view every source, change none.
    source = make_source(text="The stored text.")
    client.force_login(make_user("reader"))
    response = client.get(change_url(source))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The stored text." in html
    assert 'name="document"' not in html


def test_an_uploaded_web_page_becomes_the_text_and_its_claims_quotes_are_found(curator):
    source = make_source(text="An earlier excerpt.")
    claim = make_claim(source=source, quote=ARTICLE[1])
    assert claim.quote_found is False
    data = form_data(curator.get(change_url(source)))

    response = curator.post(
        change_url(source), {**data, "document": upload("page.html", web_page(), "text/html")}
    )

    assert response.status_code == 302
    source.refresh_from_db()
    for sentence in ARTICLE:
        assert sentence in source.text
    for word in BOILERPLATE:
        assert word not in source.text
    claim.refresh_from_db()
    assert claim.quote_found is True


def test_a_file_given_with_a_pasted_text_wins(curator):
    source = make_source(text="An earlier excerpt.")
    data = form_data(curator.get(change_url(source)))
    data["text"] = "Pasted, and replaced by the file."
    pdf = pdf_with_text("Russia produced 2,600 tonnes of rare earths in 2024.")

    response = curator.post(change_url(source), {**data, "document": upload("r.pdf", pdf)})

    assert response.status_code == 302
    source.refresh_from_db()
    assert source.text == "Russia produced 2,600 tonnes of rare earths in 2024."


def test_a_pasted_text_stays_as_it_is_without_a_file(curator):
    source = make_source(text="An earlier excerpt.")
    data = form_data(curator.get(change_url(source)))
    data["text"] = "A pasted text."

    assert curator.post(change_url(source), data).status_code == 302
    source.refresh_from_db()
    assert source.text == "A pasted text."


def test_a_new_source_takes_its_text_from_a_pdf(curator):
    data = {
        "title": "A report",
        "slug": "a-report",
        "kind": "report",
        "published": "2025",
        "_save": "Save",
    }
    pdf = pdf_with_text("China refined 91 per cent of rare earths.")

    response = curator.post(
        reverse("admin:sources_source_add"), {**data, "document": upload("report.pdf", pdf)}
    )

    assert response.status_code == 302
    assert Source.objects.get(slug="a-report").text == "China refined 91 per cent of rare earths."


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("locked.pdf", encrypted_pdf(), "The PDF locked.pdf is encrypted"),
        ("scan.pdf", blank_pdf(), "The PDF scan.pdf has no text layer"),
        ("photo.png", PNG, "The file photo.png is not a document this page can read"),
        ("long.txt", b"Words. " * 200, "The file long.txt is 1.4\xa0KB; a document may be at most"),
    ],
    ids=["encrypted", "no-text-layer", "binary", "too-large"],
)
def test_a_refused_file_is_named_with_its_reason_and_changes_nothing(
    curator, settings, name, content, message
):
    settings.IMPORT_MAX_UPLOAD_SIZE = 1000
    source = make_source(title="As it was", text="An earlier excerpt.")
    claim = make_claim(source=source, quote="An earlier excerpt.")
    version = Source.objects.get(pk=source.pk).version
    data = form_data(curator.get(change_url(source)))
    data["title"] = "Changed with the upload"

    response = curator.post(change_url(source), {**data, "document": upload(name, content)})

    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["document"]
    assert error.startswith(message)
    assert message in response.content.decode().replace("&#x27;", "'")
    source.refresh_from_db()
    assert (source.title, source.text, source.version) == (
        "As it was",
        "An earlier excerpt.",
        version,
    )
    claim.refresh_from_db()
    assert claim.quote_found is True
