"""The text rule (core/text.py): one rule for forms, imports and the models' validation.

Long text is normalised (line breaks to line feeds, control characters to spaces, non-characters
to U+FFFD) and holds at most LONG_TEXT_MAX characters; short text refuses all of those.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from claims.models import Claim, Metal, Question
from core.text import LONG_TEXT_MAX, LongTextField, normalise_long_text, validate_one_line
from interchange.formats import CSV_FIELD_LIMIT, read_table, write_csv
from interchange.services import data_export, data_import, import_files_in_folder
from sources.models import Actor, Source
from tests.conftest import make_source
from tests.import_helpers import delete_everything, row_counts, snapshot

MODELS = [Actor, Source, Metal, Question, Claim]
FORM_FEED = "\x0c"
ONE_LINE = "this field takes one line of plain text"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("page one.\x0cPage two.", "page one.\nPage two."),  # a PDF's page break
        ("Windows\r\nline\rends", "Windows\nline\nends"),
        ("a\x0bb\x1cc\x85d\u2028e\u2029f", "a\nb\nc\nd\ne\nf"),  # what splitlines breaks on
        ("NUL\x00, bell\x07, DEL\x7f, C1\x9b", "NUL , bell , DEL , C1 "),
        ("lone \ud800 surrogate, \ufffe and \uffff", "lone \ufffd surrogate, \ufffd and \ufffd"),
        ("tabs\tand\nline feeds stay", "tabs\tand\nline feeds stay"),
        ("Ministère — 稀土 🙂", "Ministère — 稀土 🙂"),
    ],
)
def test_long_text_is_normalised(text, stored):
    assert normalise_long_text(text) == stored
    assert normalise_long_text(stored) == stored  # the rule holds its own results


@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("Report\x0c2025", "Character 7 is a control character (U+000C)"),
        ("Report\n", "Character 7 is a line break (U+000A)"),
        ("a\tb", "Character 2 is a tab (U+0009)"),
        ("\x00", "Character 1 is a control character (U+0000)"),
        ("x\u2028", "Character 2 is a line break (U+2028)"),
        ("x\ud800", "Character 2 is U+D800, which is not a character"),
    ],
)
def test_short_text_refuses_what_long_text_would_change(value, what):
    with pytest.raises(ValidationError) as caught:
        validate_one_line(value)
    assert caught.value.messages[0].startswith(f"{what}: {ONE_LINE}.")


def test_short_text_takes_any_plain_unicode():
    validate_one_line("Ministère de l'Industrie — 稀土 🙂 “quoted” 'single'")


# A value each short field would take, so that only the control character after it is refused.
VALID = {"url": "https://example.org/a", "country": "RU", "wikidata_id": "Q159"}
VALID |= {"published": "2025", "as_of": "2025", "symbol": "Nd", "slug": "a-b", "ref": "a-b"}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_text_field_of_every_model_is_under_the_rule(model):
    # A field added later without the rule fails here: each long text normalises a form feed,
    # each short one refuses a control character (U+0001: even URLValidator lets it through).
    for field in model._meta.concrete_fields:
        if isinstance(field, models.TextField):
            assert isinstance(field, LongTextField), field
            assert field.clean(f"a{FORM_FEED}b", None) == "a\nb"
        elif isinstance(field, models.CharField) and not field.choices:
            value = VALID.get(field.name, "Name")
            field.clean(value, None)
            with pytest.raises(ValidationError):
                field.clean(f"{value}\x01", None)


@pytest.mark.django_db
def test_full_clean_normalises_long_text_and_refuses_a_control_character_in_a_title():
    source = Source(title="Title", slug="s", kind="article", text=f"page 1{FORM_FEED}page 2\x00")
    source.full_clean()
    assert source.text == "page 1\npage 2 "

    source.title = f"Title{FORM_FEED}"
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert list(caught.value.message_dict) == ["title"]


@pytest.mark.django_db
def test_every_save_stores_long_text_normalised():
    # Even a write around validation (objects.create) goes through the field's to_python.
    source = make_source(text="a\r\nb\x0cc")
    assert Source.objects.get(pk=source.pk).text == "a\nb\nc"


@pytest.mark.django_db
def test_a_list_field_is_stored_one_item_per_line_and_refuses_the_csv_separator():
    actor = Actor(name="A", slug="a", kind="country", aliases="  PRC \r\n\r\n Beijing\x0cChina ")
    actor.full_clean()
    assert actor.aliases == "PRC\nBeijing\nChina"
    assert actor.alias_list == ["PRC", "Beijing", "China"]

    actor.aliases = "PRC|China"
    with pytest.raises(ValidationError) as caught:
        actor.full_clean()
    assert "separates items in CSV files" in caught.value.message_dict["aliases"][0]


# --------------------------------------------------------------------------- the admin's forms


def _add_source(client, **fields):
    data = {"title": "A report", "slug": "a-report", "kind": "report", **fields}
    data |= {"claims-TOTAL_FORMS": "0", "claims-INITIAL_FORMS": "0"}  # the claims inline
    return client.post(reverse("admin:sources_source_add"), data)


@pytest.mark.django_db
def test_the_admin_form_keeps_a_pasted_pdf_text_with_its_page_breaks_as_line_feeds(admin_client):
    response = _add_source(admin_client, text=f"Page 1.\r\n{FORM_FEED}Page 2 \x00 end.")

    assert response.status_code == 302
    assert Source.objects.get(slug="a-report").text == "Page 1.\n\nPage 2   end."


@pytest.mark.django_db
def test_the_admin_form_refuses_a_control_character_in_a_title_with_a_message(admin_client):
    response = _add_source(admin_client, title=f"A{FORM_FEED}report")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["title"][0].startswith(
        f"Character 2 is a control character (U+000C): {ONE_LINE}."
    )
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_the_admin_form_refuses_a_text_over_the_maximum(admin_client):
    response = _add_source(admin_client, text="x" * (LONG_TEXT_MAX + 1))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["text"] == [
        "This text has 1,000,001 characters; a text field holds at most 1,000,000. "
        "Keep an excerpt, or split the document into parts."
    ]
    assert not Source.objects.exists()


# --------------------------------------------------------------------------- imports


@pytest.mark.django_db
def test_an_import_normalises_a_control_character_however_far_into_the_file(tmp_path):
    # The old reader looked at the first 10,000 characters only: one further in slipped through
    # and broke the XLSX export later.
    long_text = "x" * 20_000 + FORM_FEED + "end"
    (tmp_path / "sources.csv").write_text(
        write_csv(
            _dataset(["slug", "title", "kind", "text"], ["deep", "Deep", "report", long_text])
        )
    )

    report = data_import(paths=[tmp_path / "sources.csv"])

    assert report.ok, report.errors
    assert Source.objects.get(slug="deep").text == "x" * 20_000 + "\nend"


@pytest.mark.django_db
def test_an_import_refuses_a_control_character_in_a_title_naming_line_and_column(tmp_path):
    (tmp_path / "sources.csv").write_text(
        write_csv(
            _dataset(
                ["slug", "title", "kind"],
                ["fine", "Fine", "report"],
                ["bad", f"Bad{FORM_FEED}title", "report"],
            )
        )
    )
    before = row_counts()

    report = data_import(paths=[tmp_path / "sources.csv"])

    assert report.errors == [
        "sources.csv line 3, column title: Character 4 is a control character (U+000C): "
        f"{ONE_LINE}. Remove it (long text belongs in a text field)."
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_an_import_refuses_a_text_over_the_maximum(tmp_path):
    (tmp_path / "claims.csv").write_text(
        write_csv(_dataset(["ref", "source", "quote"], ["long", "s", "q" * (LONG_TEXT_MAX + 1)]))
    )
    make_source(slug="s")

    report = data_import(paths=[tmp_path / "claims.csv"])

    assert report.errors == [
        "claims.csv line 2, column quote: This text has 1,000,001 characters; a text field holds "
        "at most 1,000,000. Keep an excerpt, or split the document into parts."
    ]


def test_the_csv_reader_reads_a_cell_of_the_longest_text_even_all_quotes_and_crlf():
    # The worst case for the file: every character a doubled quote, every line end CR LF.
    quotes = '"' * LONG_TEXT_MAX
    breaks = "\r\n" * (LONG_TEXT_MAX // 2)
    data = f'key,text\nq,"{quotes.replace(chr(34), chr(34) * 2)}"\nb,"{breaks}"\n'.encode()

    rows = read_table(data).dict

    assert rows[0]["text"] == quotes
    assert rows[1]["text"] == breaks


def test_a_cell_beyond_what_the_reader_takes_is_refused_in_plain_words():
    data = f"key,text\nq,{'x' * (CSV_FIELD_LIMIT + 1)}\n".encode()

    with pytest.raises(ValueError) as caught:
        read_table(data)

    assert str(caught.value) == (
        "the file: a cell on line 2 holds more than 2,000,001 characters; a text field holds at "
        "most 1,000,000."
    )


@pytest.mark.django_db
def test_a_long_source_text_is_restored_from_an_export(tmp_path):
    # F3: 140,000 characters saved, exported, then imported into an empty database.
    make_source(slug="long", text="Seven words in a row, and again. " * 4_243)
    before = snapshot()
    assert len(before["Source"]["long"]["text"]) > 140_000

    data_export(folder=tmp_path)
    delete_everything()
    report = data_import(paths=import_files_in_folder(tmp_path))

    assert report.ok, report.errors
    assert snapshot() == before


def _dataset(headers, *rows):
    import tablib

    return tablib.Dataset(*rows, headers=headers)
