"""The rows pages.rows writes in Python escape what a visitor could put in a record exactly as the
templates they replace did: markup, ampersands, both quotes and format braces, in every field a
row shows (tests/pages/test_rows.py holds the rows to the templates on the demo data, which has
none of these characters)."""

import pytest
from django.template import Context

from pages import rows
from tests.conftest import make_actor, make_claim, make_question, make_source
from tests.pages.test_rows import TEMPLATE_ROW, TEMPLATE_SOURCE_ROW

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script>&\"'{}"


def test_hostile_text_in_every_field_a_row_shows_is_escaped_as_the_template_did(client):
    question = make_question(title=HOSTILE)
    speaker = make_actor(name=HOSTILE, description=HOSTILE)
    source = make_source(title=HOSTILE)
    make_claim(
        question=question,
        source=source,
        speaker=speaker,
        value=5,
        unit="%",
        quote=HOSTILE,
        paraphrase=HOSTILE,
        note=HOSTILE,
    )
    make_claim(question=question, value=50, unit="%", quote=HOSTILE, note=HOSTILE)

    compared = 0
    response = client.get(question.get_absolute_url())
    assert "<script>alert" not in response.content.decode()
    for group in response.context["groups"]:
        for row in group.rows:
            written = f"\n      {rows.compared_row(row)}\n      "
            assert written == TEMPLATE_ROW.render(Context({"row": row}))
            compared += 1
    response = client.get(source.get_absolute_url())
    assert "<script>alert" not in response.content.decode()
    for group in response.context["groups"]:
        for row in group["rows"]:
            written = f"\n  {rows.source_row(row, group)}\n  "
            assert written == TEMPLATE_SOURCE_ROW.render(Context({"row": row, "group": group}))
            compared += 1
    assert compared == 3
