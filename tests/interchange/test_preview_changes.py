"""The admin's import preview shows what an import changes: each changed cell of an updated row as
old → new, written as the export writes it, and a summary of new, changed and unchanged rows.

Users: `admin_client`, the superuser, previews the files.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim
from tests.conftest import make_actor, make_claim, make_question, make_source

pytestmark = pytest.mark.django_db


def preview(client, model, text, name):
    opts = model._meta
    return client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile(name, text.encode()),
        },
    )


def rows_of(response):
    """{key cell: RowResult} of the preview's rows."""
    result = response.context["result"]
    return {row.diff[0]: row for row in result.valid_rows()}


@pytest.fixture
def stored_claim():
    question = make_question(slug="imports-share", unit="%")
    source = make_source(slug="report", text="Imports met 98 percent of demand.")
    make_actor(slug="ministry")
    return make_claim(
        ref="imports",
        source=source,
        question=question,
        quote="Imports met 98 percent of demand.",
        qualifier="exact",
        value=Decimal("98"),
        unit="%",
        about=[make_actor(slug="russia")],
    )


HEADER = "ref,source,quote,question,speaker,about,qualifier,value,unit,status\n"


def test_an_updated_row_shows_each_changed_cell_as_old_and_new(admin_client, stored_claim):
    text = HEADER + (
        "imports,report,Imports met 98 percent of demand.,imports-share,ministry,"
        "russia|ministry,exact,97,%,checked\n"
    )

    response = preview(admin_client, Claim, text, "claims.csv")

    row = rows_of(response)["imports"]
    assert row.import_type == "update"
    # As the export writes them: the figure as a plain number, the speaker by its slug, the
    # actors it is about sorted and `|`-separated.
    assert row.changes == [
        ("speaker", "", "ministry"),
        ("about", "russia", "ministry|russia"),
        ("value", "98", "97"),
    ]
    html = response.content.decode()
    assert "<del>98</del> → <ins>97</ins>" in html
    assert "<del>russia</del> → <ins>ministry|russia</ins>" in html
    assert "0 to create, 1 to update, 0 unchanged." in html
    assert "confirm_form" in response.context


def test_the_summary_counts_new_changed_and_unchanged_rows_and_lists_only_what_changes(
    admin_client, stored_claim
):
    make_claim(ref="same", source=stored_claim.source, quote="Same quote.", status="draft")
    text = HEADER + (
        "imports,report,Imports met 98 percent of demand.,imports-share,,russia,exact,97,%,"
        "checked\n"
        "same,report,Same quote.,,,,,,,draft\n"
        "fresh,report,A new quote.,,,,,,,draft\n"
    )

    response = preview(admin_client, Claim, text, "claims.csv")

    html = response.content.decode()
    assert "1 to create, 1 to update, 1 unchanged." in html
    assert "The 1 unchanged row is not listed." in html
    assert "Changed (1)" in html and ">New<" in html
    assert "Same quote." not in html  # the unchanged row
    assert "A new quote." in html
    assert rows_of(response)["fresh"].changes == []


def test_a_preview_of_an_unchanged_file_says_it_changes_nothing(admin_client, stored_claim):
    text = HEADER + (
        "imports,report,Imports met 98 percent of demand.,imports-share,,russia,exact,98,%,"
        "checked\n"
    )

    response = preview(admin_client, Claim, text, "claims.csv")

    assert b"0 to create, 0 to update, 1 unchanged." in response.content
    assert b"confirming changes nothing" in response.content


def test_a_changed_links_cell_shows_the_stored_links(admin_client, stored_claim):
    other = make_claim(ref="other", source=stored_claim.source, quote="Other.")
    stored_claim.links.create(kind="qualifies", target=other)
    text = "ref,source,quote,links\nimports,report,Imports met 98 percent of demand.,\n"

    response = preview(admin_client, Claim, text, "claims.csv")

    assert rows_of(response)["imports"].changes == [("links", "qualifies:other", "")]


def test_the_preview_makes_the_same_queries_for_3_or_30_changed_rows(admin_client):
    source = make_source(slug="many")
    for n in range(30):
        make_claim(ref=f"c{n}", source=source, quote=f"Quote {n}.")

    def changed(count):
        return "ref,source,quote\n" + "".join(
            f"c{n},many,Quote {n} changed.\n" for n in range(count)
        )

    with CaptureQueriesContext(connection) as few:
        preview(admin_client, Claim, changed(3), "claims.csv")
    with CaptureQueriesContext(connection) as many:
        response = preview(admin_client, Claim, changed(30), "claims.csv")

    assert len(many) == len(few)
    assert len(rows_of(response)) == 30
